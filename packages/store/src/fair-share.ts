/** Something queued on behalf of a source, and how much work it is (e.g. its number of events). */
export interface QueuedWork {
  sourceId: string;
  size: number;
}

/**
 * The queued items one turn takes: round-robin by source (each source's first item, then each
 * source's second, …, sources in the order they first queued), until `budget` is spent; at least
 * one item is always taken. So a source that queued a thousand batches cannot hold back another's
 * one: that one goes in the first round. Each source's own items keep their order.
 */
export function takeFairShare<T extends QueuedWork>(queue: readonly T[], budget: number): { taken: T[]; rest: T[] } {
  const bySource = new Map<string, T[]>();
  for (const item of queue) {
    const items = bySource.get(item.sourceId);
    if (items) items.push(item);
    else bySource.set(item.sourceId, [item]);
  }
  const taken = new Set<T>();
  let spent = 0;
  for (let round = 0; taken.size < queue.length; round++) {
    for (const items of bySource.values()) {
      const item = items[round];
      if (item === undefined) continue;
      if (taken.size > 0 && spent + item.size > budget) return split(queue, taken);
      taken.add(item);
      spent += item.size;
    }
  }
  return split(queue, taken);
}

function split<T>(queue: readonly T[], taken: ReadonlySet<T>): { taken: T[]; rest: T[] } {
  return { taken: [...taken], rest: queue.filter((item) => !taken.has(item)) };
}
