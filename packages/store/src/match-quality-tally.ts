/**
 * What one group commit adds to match quality (`match_quality_minutes`), summed in memory and
 * written once per distinct row when the commit's inserts are done. A trigger kept it per delivery
 * row before: two upserts and a join for every delivery, 40% of the commit's time, where a commit
 * of 400 events now writes a handful of rows. The worker's later changes of a delivery's
 * identifiers still go through a trigger: they come one by one anyway.
 */
export class MatchQualityTally {
  // Per integration, minute and source (joined by a character none of them holds): the count of
  // each identifier, where identifier '' counts every delivery.
  private readonly minutes = new Map<string, Map<string, number>>();

  /** Counts one delivery row written for an event received at `receivedAt` (ms). */
  add(integrationId: string, sourceId: string, receivedAt: number, identifiers: readonly string[]): void {
    const key = `${integrationId}\u0000${Math.floor(receivedAt / 60_000) * 60_000}\u0000${sourceId}`;
    let counts = this.minutes.get(key);
    if (!counts) this.minutes.set(key, (counts = new Map<string, number>()));
    counts.set('', (counts.get('') ?? 0) + 1);
    for (const identifier of identifiers) counts.set(identifier, (counts.get(identifier) ?? 0) + 1);
  }

  /** The increments, as `[integrationId, minute, sourceId, identifier, n]`. */
  rows(): [string, number, string, string, number][] {
    return [...this.minutes].flatMap(([key, counts]) => {
      const [integrationId, minute, sourceId] = key.split('\u0000') as [string, string, string];
      return [...counts].map(([identifier, n]): [string, number, string, string, number] => [
        integrationId,
        Number(minute),
        sourceId,
        identifier,
        n,
      ]);
    });
  }
}
