/**
 * The leased batches a worker holds at once, across all its lanes. A batch is in memory from its
 * lease until its outcomes are recorded (its events, what was built and sent, the answer), so
 * the count of them, not of lanes, bounds the worker's memory: a worker holding many lanes lets
 * them take turns, first come first served, rather than hold every lane's batches at once.
 */
export class BatchSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  /** Resolves once a slot is this caller's; callers are served in the order they asked. */
  take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot back: to the longest waiting caller, if any. */
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
