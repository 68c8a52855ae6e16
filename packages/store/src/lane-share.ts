/** A lane's row as a round of lane keeping reads it: whose it is. */
export interface HeldLane {
  integrationId: string;
  owner: string;
}

/**
 * What `owner` holds after a round, and the lanes it takes: its share is every lane held by
 * anyone or asked for, divided by the live workers, rounded up; it takes free lanes among
 * `asked`, in the order given, while it holds fewer. Pure: each engine reads the rows and
 * writes the lanes taken in its own transaction.
 */
export function shareLanes(
  owner: string,
  lanes: readonly HeldLane[],
  asked: readonly string[],
  liveWorkers: number,
): { held: string[]; take: string[]; share: number } {
  const held = lanes.filter((lane) => lane.owner === owner).map((lane) => lane.integrationId);
  const taken = new Set(lanes.map((lane) => lane.integrationId));
  const share = Math.ceil(new Set([...taken, ...asked]).size / Math.max(1, liveWorkers));
  const take: string[] = [];
  for (const integrationId of asked) {
    if (held.length + take.length >= share) break;
    if (taken.has(integrationId)) continue;
    taken.add(integrationId);
    take.push(integrationId);
  }
  return { held: [...held, ...take].sort(), take, share };
}
