import { describe, expect, test } from 'vitest';
import { BatchSlots } from './batch-slots.js';

describe('BatchSlots', () => {
  test('gives at most its size at once, then serves the waiting in the order they asked', async () => {
    const slots = new BatchSlots(2);
    const served: string[] = [];
    const ask = (name: string) => slots.take().then(() => served.push(name));
    await Promise.all([ask('a'), ask('b')]);
    const waiting = [ask('c'), ask('d')];
    await Promise.resolve();
    expect(served).toEqual(['a', 'b']);
    slots.give();
    await waiting[0];
    expect(served).toEqual(['a', 'b', 'c']);
    slots.give();
    await waiting[1];
    expect(served).toEqual(['a', 'b', 'c', 'd']);
  });

  test('a slot given back with no one waiting is free for the next caller', async () => {
    const slots = new BatchSlots(1);
    await slots.take();
    slots.give();
    let served = false;
    void slots.take().then(() => (served = true));
    await Promise.resolve();
    expect(served).toBe(true);
  });
});
