import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './admin-helpers.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector();
});
afterAll(() => collector.stopAndClean());

describe('GET /v1/admin/syncs/targets', () => {
  it('lists the mapping targets a sync takes, as the mapping is checked against them', async () => {
    const targets = await call(collector, 'GET', '/v1/admin/syncs/targets');
    expect(targets).toEqual({
      status: 200,
      body: {
        targets: [
          'event',
          'timestamp',
          'user_id',
          'email',
          'phone',
          'first_name',
          'last_name',
          'city',
          'state',
          'zip',
          'country',
          'click_id',
          'ip',
          'user_agent',
          'page_url',
          'value',
          'currency',
          'order_id',
        ],
        required: ['event'],
        property_target: 'properties.<name>',
      },
    });
    // The same list the API names when it refuses a target.
    const refused = await call(collector, 'POST', '/v1/admin/syncs', { mapping: { emial: 'email' } });
    expect(refused.body.errors).toContain(
      `mapping.emial: unknown target (known: ${targets.body.targets.join(', ')}, properties.<name>)`,
    );
  });
});
