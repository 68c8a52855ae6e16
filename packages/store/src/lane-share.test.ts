import { describe, expect, it } from 'vitest';
import { shareLanes } from './lane-share.js';

describe('shareLanes', () => {
  it('takes free lanes in the order asked, up to the lanes held or asked divided by the live workers, rounded up', () => {
    expect(shareLanes('a', [], ['i1', 'i2', 'i3'], 2)).toEqual({ held: ['i1', 'i2'], take: ['i1', 'i2'], share: 2 });
  });

  it("counts another worker's lanes in the share but never takes them", () => {
    const lanes = [{ integrationId: 'i1', owner: 'b' }];
    expect(shareLanes('a', lanes, ['i1', 'i2', 'i3', 'i4'], 2)).toEqual({ held: ['i2', 'i3'], take: ['i2', 'i3'], share: 2 });
  });

  it('takes nothing more once it holds its share, and reports what it holds sorted', () => {
    const lanes = [
      { integrationId: 'i3', owner: 'a' },
      { integrationId: 'i1', owner: 'a' },
    ];
    expect(shareLanes('a', lanes, ['i2', 'i4'], 2)).toEqual({ held: ['i1', 'i3'], take: [], share: 2 });
  });
});
