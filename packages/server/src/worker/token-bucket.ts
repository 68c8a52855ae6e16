/**
 * A token bucket: `rate` tokens a second, holding at most `burst`. Each request to a destination
 * takes one, so a lane never sends faster than the destination's limit on average.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private rate: number,
    private burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  /** Changes the limits (an integration's settings changed), keeping the tokens saved so far. */
  configure(rate: number, burst: number): void {
    if (rate === this.rate && burst === this.burst) return;
    this.refill();
    this.rate = rate;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, burst);
  }

  /** Takes a token if one is there and returns 0, or returns how many ms until one will be. */
  take(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }

  /** Milliseconds until the bucket is full again: from then on, whoever sends next may use a whole burst. */
  msUntilFull(): number {
    this.refill();
    return Math.ceil(((this.burst - this.tokens) / this.rate) * 1000);
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.rate);
    this.updatedAt = now;
  }
}
