import { describe, expect, it } from 'vitest';
import { parseMockCliArgs, runMockCli } from './mock-cli.js';

describe('parseMockCliArgs', () => {
  it.each([
    ['nothing', [], { port: 9090, host: '127.0.0.1' }],
    ['a port', ['--port', '0'], { port: 0, host: '127.0.0.1' }],
    ['a port with =', ['--port=8080'], { port: 8080, host: '127.0.0.1' }],
    ['a host', ['--host', '0.0.0.0'], { port: 9090, host: '0.0.0.0' }],
    ['a base path', ['--base-path', '/snapchat-mock'], { port: 9090, host: '127.0.0.1', basePath: '/snapchat-mock' }],
    [
      'tokens, merging repeats',
      ['--token', 'T1:pixel-1,pixel-2', '--token=T2:app-1', '--token', 'T1:pixel-3,pixel-1'],
      { port: 9090, host: '127.0.0.1', tokens: { T1: ['pixel-1', 'pixel-2', 'pixel-3'], T2: ['app-1'] } },
    ],
    ['a token holding a colon', ['--token', 'a:b:pixel-1'], { port: 9090, host: '127.0.0.1', tokens: { 'a:b': ['pixel-1'] } }],
  ])('reads %s', (_label, argv, expected) => {
    expect(parseMockCliArgs(argv)).toEqual(expected);
  });

  it.each([['--help'], ['-h']])('asks for help on %s', (flag) => {
    expect(parseMockCliArgs(['--port', '1', flag])).toBe('help');
  });

  it.each([
    [['--port'], '--port needs a value'],
    [['--port', 'http'], '--port must be 0-65535, not http'],
    [['--port', '70000'], '--port must be 0-65535, not 70000'],
    [['--token', 'lonely'], '--token must look like TOKEN:asset1,asset2, not lonely'],
    [['--token', 'T:'], '--token must look like TOKEN:asset1,asset2, not T:'],
    [['--verbose'], 'unknown argument: --verbose'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseMockCliArgs(argv)).toThrow(message);
  });
});

describe('runMockCli', () => {
  it('starts a demo mock, prints its URL and serves the Snapchat paths', async () => {
    const lines: string[] = [];
    const mock = await runMockCli({ port: 0, host: '127.0.0.1' }, (line) => lines.push(line));
    try {
      expect(lines).toEqual([`Snapchat mock listening on http://127.0.0.1:${mock.port} (demo mode: any non-empty token)`]);
      const response = await fetch(`${mock.url}/v3/pixel-1/events/validate/stats?access_token=anything`);
      expect(response.status).toBe(200);
    } finally {
      await mock.close();
    }
  });

  it('enforces the tokens it was given', async () => {
    const lines: string[] = [];
    const mock = await runMockCli({ port: 0, host: '127.0.0.1', tokens: { T1: ['pixel-1'] } }, (line) => lines.push(line));
    try {
      expect(lines[0]).toMatch(/\(1 token\)$/);
      const allowed = await fetch(`${mock.url}/v3/pixel-1/events/validate/stats?access_token=T1`);
      const forbidden = await fetch(`${mock.url}/v3/pixel-2/events/validate/stats?access_token=T1`);
      expect([allowed.status, forbidden.status]).toEqual([200, 403]);
    } finally {
      await mock.close();
    }
  });
});
