/** The key under which every failure counts, whatever address it came from. */
const ANY_ADDRESS = '*';

/**
 * Failed admin sign-ins in a sliding window, per client IP and against the admin token as a whole
 * (all addresses together): addresses are cheap to change (or, behind a trusted proxy, to forge), so
 * the per-token limit is what bounds a distributed guesser. It only slows guessers down and makes them
 * visible: the token's length is what makes guessing hopeless, and a correct token is always let in,
 * so no flood of wrong guesses can lock the admin out.
 * In memory: each collector process counts its own; a restart forgives.
 */
export class FailedLoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxPerAddress = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxPerToken = 10 * maxPerAddress,
  ) {}

  /** Seconds until `ip` may try a wrong token again, or undefined when it may try now. */
  retryAfterSeconds(ip: string): number | undefined {
    const waits = [this.wait(ip, this.maxPerAddress), this.wait(ANY_ADDRESS, this.maxPerToken)].filter(
      (wait) => wait !== undefined,
    );
    return waits.length === 0 ? undefined : Math.max(...waits);
  }

  /** Records a failed attempt from `ip`. */
  fail(ip: string): void {
    this.record(ip, this.maxPerAddress);
    this.record(ANY_ADDRESS, this.maxPerToken);
  }

  private wait(key: string, max: number): number | undefined {
    const recent = this.recent(key);
    if (recent.length < max) return undefined;
    return Math.max(1, Math.ceil((recent[recent.length - max]! + this.windowMs - this.now()) / 1000));
  }

  private record(key: string, max: number): void {
    const recent = this.recent(key);
    recent.push(this.now());
    this.failures.delete(key); // re-inserted last, so the map stays in order of last failure
    this.failures.set(key, recent.slice(-max));
    // Spoofed or rotating addresses must not grow this without bound: forget the quietest.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((at) => at > since);
  }
}
