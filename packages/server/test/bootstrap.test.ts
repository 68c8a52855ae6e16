import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call } from './admin-helpers.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

// What a start makes of the environment: the default source, and its Snapchat integration.

const PIXEL_ID = '2e4f6a8c-0b1d-4e3f-9a5c-7d9e1f3a5b7c';

/** The integrations of the collector, by name. */
async function integrationNames(collector: TestCollector): Promise<string[]> {
  const { body } = await call(collector, 'GET', '/v1/admin/integrations');
  return (body.integrations as { name: string }[]).map((integration) => integration.name);
}

/** Deletes every integration, then starts again on the same database with the same environment. */
async function deleteAllAndRestart(collector: TestCollector, env: Record<string, string>): Promise<TestCollector> {
  const { body } = await call(collector, 'GET', '/v1/admin/integrations');
  for (const { id } of body.integrations as { id: string }[]) {
    expect((await call(collector, 'DELETE', `/v1/admin/integrations/${id}`)).status).toBe(204);
  }
  await collector.close();
  return startTestCollector(['--no-worker'], env, collector);
}

describe('the integration a start makes', () => {
  it("makes the demo's integration with the demo source only: one the admin deleted stays deleted", async () => {
    const first = await startTestCollector(['--no-worker']);
    let again: TestCollector | undefined;
    try {
      expect(await integrationNames(first)).toEqual(['Snapchat (demo mock)']);
      again = await deleteAllAndRestart(first, {});
      expect(await integrationNames(again)).toEqual([]);
    } finally {
      await (again ?? first).close();
      rmSync(dirname(first.dbPath), { recursive: true, force: true });
    }
  });

  it("makes SNAP_PIXEL_ID's integration again at a start that finds it missing: the environment declares it", async () => {
    const env = { SNAP_PIXEL_ID: PIXEL_ID, SNAP_ACCESS_TOKEN: 'token-of-the-pixel' };
    const first = await startTestCollector(['--no-worker', '--snapchat-url', 'http://127.0.0.1:9'], env);
    let again: TestCollector | undefined;
    try {
      expect(await integrationNames(first)).toEqual(['Snapchat']);
      again = await deleteAllAndRestart(first, env);
      expect(await integrationNames(again)).toEqual(['Snapchat']);
    } finally {
      await (again ?? first).close();
      rmSync(dirname(first.dbPath), { recursive: true, force: true });
    }
  });
});
