import { describe, expect, test } from 'vitest';
import { isReasonCode, REASON_CODES } from './reason-codes.js';

describe('reason codes', () => {
  test('parks what a setting can cure, and says what fixes it', () => {
    expect(REASON_CODES.missing_event_source_url).toEqual({
      outcome: 'blocked',
      label: 'Parked: no page URL',
      fix: "Set the integration's site URL",
    });
    expect(REASON_CODES.credentials_refused).toEqual({
      outcome: 'blocked',
      label: 'Paused: credentials refused',
      fix: "Correct the integration's credentials and save them",
    });
  });

  test('every parked code says what fixes it', () => {
    const parked = Object.entries(REASON_CODES).filter(([, info]) => info.outcome === 'blocked');
    expect(parked.map(([code]) => code)).toEqual(['credentials_refused', 'missing_event_source_url']);
    for (const [, info] of parked) expect('fix' in info && info.fix.length > 0).toBe(true);
  });

  test('knows its codes and nothing else', () => {
    expect(isReasonCode('config_changed')).toBe(true);
    expect(isReasonCode('missing_event_source_url')).toBe(true);
    expect(isReasonCode('toString')).toBe(false);
    expect(isReasonCode(undefined)).toBe(false);
  });
});
