import { describe, expect, it } from 'vitest';
import { matchMockRoute } from './mock-routes.js';

describe('matchMockRoute', () => {
  it.each([
    ['/v3/pixel-1/events', { name: 'v3.send', apiVersion: 'v3', kind: 'send', method: 'POST', assetId: 'pixel-1' }],
    [
      '/v3/pixel-1/events/validate',
      { name: 'v3.validate', apiVersion: 'v3', kind: 'validate', method: 'POST', assetId: 'pixel-1' },
    ],
    ['/v3/pixel-1/events/validate/logs', { name: 'v3.logs', apiVersion: 'v3', kind: 'logs', method: 'GET', assetId: 'pixel-1' }],
    [
      '/v3/pixel-1/events/validate/stats',
      { name: 'v3.stats', apiVersion: 'v3', kind: 'stats', method: 'GET', assetId: 'pixel-1' },
    ],
    ['/v3/app%20one/events', { name: 'v3.send', apiVersion: 'v3', kind: 'send', method: 'POST', assetId: 'app one' }],
    ['/v3/%E0%A4%A/events', { name: 'v3.send', apiVersion: 'v3', kind: 'send', method: 'POST', assetId: '%E0%A4%A' }],
    ['/v2/conversion', { name: 'v2.send', apiVersion: 'v2', kind: 'send', method: 'POST' }],
    ['/v2/conversion/validate', { name: 'v2.validate', apiVersion: 'v2', kind: 'validate', method: 'POST' }],
    ['/v2/conversion/validate/logs', { name: 'v2.logs', apiVersion: 'v2', kind: 'logs', method: 'GET' }],
    ['/v2/conversion/validate/stats', { name: 'v2.stats', apiVersion: 'v2', kind: 'stats', method: 'GET' }],
  ])('matches %s', (path, expected) => {
    expect(matchMockRoute(path)).toEqual(expected);
  });

  it.each([
    '/',
    '/v3/events',
    '/v3//events',
    '/v3/p/events/logs',
    '/v2/conversion/logs',
    '/v1/conversion',
    '/v3/p/events/validate/other',
  ])('matches nothing at %s', (path) => {
    expect(matchMockRoute(path)).toBeUndefined();
  });
});
