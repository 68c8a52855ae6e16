import { describe, expect, it } from 'vitest';
import { MatchQualityTally } from './match-quality-tally.js';

const MINUTE = 60_000;

describe('MatchQualityTally', () => {
  it('counts each delivery once under identifier "" and once under each identifier it carried, per minute of receipt', () => {
    const tally = new MatchQualityTally();
    tally.add('int_a', 'src_1', 10 * MINUTE + 1, ['email', 'click_id']);
    tally.add('int_a', 'src_1', 10 * MINUTE + 59_999, ['email']);
    tally.add('int_a', 'src_1', 11 * MINUTE, []);
    tally.add('int_b', 'src_1', 10 * MINUTE, ['email']);
    expect(tally.rows()).toEqual([
      ['int_a', 10 * MINUTE, 'src_1', '', 2],
      ['int_a', 10 * MINUTE, 'src_1', 'email', 2],
      ['int_a', 10 * MINUTE, 'src_1', 'click_id', 1],
      ['int_a', 11 * MINUTE, 'src_1', '', 1],
      ['int_b', 10 * MINUTE, 'src_1', '', 1],
      ['int_b', 10 * MINUTE, 'src_1', 'email', 1],
    ]);
  });

  it('has no rows when nothing was added', () => {
    expect(new MatchQualityTally().rows()).toEqual([]);
  });
});
