import type { LimitStore } from '@datafirst/store';

/** The key under which every failure counts, whatever address it came from. */
const ANY_ADDRESS = '*';

/**
 * Failed admin sign-ins in a sliding window, per client IP and against the admin token as a whole
 * (all addresses together): addresses are cheap to change (or, behind a trusted proxy, to forge), so
 * the per-token limit is what bounds a distributed guesser. It only slows guessers down and makes them
 * visible: the token's length is what makes guessing hopeless, and a correct token is always let in,
 * so no flood of wrong guesses can lock the admin out.
 * Counted in the database (the store's `limits`), on its clock: every collector sharing it sees the
 * same failures, so a guesser gains nothing by spreading over them, and a restart forgives nothing.
 */
export class FailedLoginLimiter {
  constructor(
    private readonly store: LimitStore,
    private readonly maxPerAddress = 10,
    private readonly windowMs = 60_000,
    private readonly maxPerToken = 10 * maxPerAddress,
  ) {}

  /** Seconds until `ip` may try a wrong token again, or undefined when it may try now. */
  async retryAfterSeconds(ip: string): Promise<number | undefined> {
    const waits = await Promise.all([this.wait(ip, this.maxPerAddress), this.wait(ANY_ADDRESS, this.maxPerToken)]);
    const known = waits.filter((wait) => wait !== undefined);
    return known.length === 0 ? undefined : Math.max(...known);
  }

  /** Records a failed attempt from `ip`. */
  async fail(ip: string): Promise<void> {
    await this.store.recordFailedSignIn([ip, ANY_ADDRESS], this.windowMs);
  }

  private async wait(key: string, max: number): Promise<number | undefined> {
    const { now, times } = await this.store.recentFailedSignIns(key, this.windowMs, max);
    if (times.length < max) return undefined;
    // The oldest of the last `max` failures leaving the window lets one more try in.
    return Math.max(1, Math.ceil((times[0]! + this.windowMs - now) / 1000));
  }
}
