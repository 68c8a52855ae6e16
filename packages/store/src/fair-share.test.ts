import { describe, expect, it } from 'vitest';
import { takeFairShare } from './fair-share.js';

const item = (sourceId: string, n: number, size = 1) => ({ sourceId, size, name: `${sourceId}${n}` });
const names = (items: { name: string }[]) => items.map((i) => i.name);

describe('takeFairShare', () => {
  it("takes each source's items in turn, so a light source is not queued behind a heavy one", () => {
    const queue = [item('a', 1), item('a', 2), item('a', 3), item('a', 4), item('b', 1), item('c', 1), item('b', 2)];
    const { taken, rest } = takeFairShare(queue, 4);
    expect(names(taken)).toEqual(['a1', 'b1', 'c1', 'a2']);
    expect(names(rest)).toEqual(['a3', 'a4', 'b2']);
  });

  it('takes everything when the budget allows, sources interleaved', () => {
    const { taken, rest } = takeFairShare([item('a', 1), item('a', 2), item('b', 1)], 100);
    expect(names(taken)).toEqual(['a1', 'b1', 'a2']);
    expect(rest).toEqual([]);
  });

  it('always takes one item, even one larger than the budget', () => {
    const { taken, rest } = takeFairShare([item('a', 1, 5000), item('b', 1)], 10);
    expect(names(taken)).toEqual(['a1']);
    expect(names(rest)).toEqual(['b1']);
  });

  it('takes nothing from an empty queue', () => {
    expect(takeFairShare([], 10)).toEqual({ taken: [], rest: [] });
  });
});
