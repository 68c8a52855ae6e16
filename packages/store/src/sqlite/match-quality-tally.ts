/**
 * What one group commit adds to match quality (`match_quality_minutes`), summed in memory and
 * written once per distinct row when the commit's inserts are done. A trigger kept it per delivery
 * row before: two upserts and a join for every delivery, 40% of the commit's time, where a commit
 * of 400 events now writes a handful of rows. The worker's later changes of a delivery's
 * identifiers still go through a trigger: they come one by one anyway.
 */
export class MatchQualityTally {
  // Key: integration, minute, source and identifier, joined by a character none of them holds.
  private readonly minutes = new Map<string, number>();

  /** Counts one delivery row written for an event received at `receivedAt` (ms). */
  add(integrationId: string, sourceId: string, receivedAt: number, identifiers: readonly string[]): void {
    const minute = Math.floor(receivedAt / 60_000) * 60_000;
    // Identifier '' counts every delivery; any other, those that carried that identifier.
    for (const identifier of ['', ...identifiers]) {
      const key = [integrationId, minute, sourceId, identifier].join('\u0000');
      this.minutes.set(key, (this.minutes.get(key) ?? 0) + 1);
    }
  }

  /** The increments, as `[integrationId, minute, sourceId, identifier, n]`. */
  rows(): [string, number, string, string, number][] {
    return [...this.minutes].map(([key, n]) => {
      const [integrationId, minute, sourceId, identifier] = key.split('\u0000') as [string, string, string, string];
      return [integrationId, Number(minute), sourceId, identifier, n];
    });
  }
}
