/**
 * Failed admin sign-ins per client IP in a sliding window. The admin token is long and random,
 * but a limit turns a brute-force attempt from hours into centuries and makes it visible.
 * In memory: each collector process counts its own; a restart forgives.
 */
export class FailedLoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `ip` may try again, or undefined when it may try now. */
  retryAfterSeconds(ip: string): number | undefined {
    const recent = this.recent(ip);
    if (recent.length < this.max) return undefined;
    return Math.max(1, Math.ceil((recent[0]! + this.windowMs - this.now()) / 1000));
  }

  /** Records a failed attempt from `ip`. */
  fail(ip: string): void {
    const recent = this.recent(ip);
    recent.push(this.now());
    this.failures.delete(ip); // re-inserted last, so the map stays in order of last failure
    this.failures.set(ip, recent.slice(-this.max));
    // Spoofed or rotating addresses must not grow this without bound: forget the quietest.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(ip: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(ip) ?? []).filter((at) => at > since);
  }
}
