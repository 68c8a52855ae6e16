import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellNumber, cellTime } from './row-values.js';

describe('cellTime', () => {
  // A collector far from UTC: a time without a zone must still be read as UTC.
  const zone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'America/New_York';
  });
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it.each([
    ['2026-12-07T10:00:00Z', '2026-12-07T10:00:00.000Z'],
    ['2026-12-07 10:00:00', '2026-12-07T10:00:00.000Z'],
    ['2026-12-07', '2026-12-07T00:00:00.000Z'],
    ['2026-12-07T10:00:00+02:00', '2026-12-07T08:00:00.000Z'],
    ['12/07/2026 10:00', '2026-12-07T10:00:00.000Z'],
    ['Mon, 07 Dec 2026 10:00:00 GMT', '2026-12-07T10:00:00.000Z'],
    [1_796_000_000, '2026-11-30T00:53:20.000Z'],
  ])('reads %j as %s, whatever the machine’s zone', (cell, iso) => {
    expect(cellTime(cell)).toEqual({ ok: true, value: iso });
  });

  it('refuses what is no time, with the cell', () => {
    expect(cellTime('soon')).toEqual({ ok: false, error: 'not a date or time: "soon"' });
  });
});

describe('cellNumber', () => {
  it.each([
    ['42.50', 42.5],
    [' 7 ', 7],
    ['-3', -3],
    ['.5', 0.5],
    ['1e3', 1000],
    [19.99, 19.99],
  ])('reads %j as %d', (cell, number) => {
    expect(cellNumber(cell)).toEqual({ ok: true, value: number });
  });

  it.each(['0x10', '0b1', 'Infinity', '12 EUR', 'n/a'])('refuses %j, which is no decimal amount', (cell) => {
    expect(cellNumber(cell)).toEqual({ ok: false, error: `not a number: ${JSON.stringify(cell)}` });
  });

  it('takes an empty cell as no value', () => {
    expect(cellNumber('  ')).toEqual({ ok: true, value: undefined });
  });
});
