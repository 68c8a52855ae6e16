import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { startDatafirst, WRITE_KEY, type DatafirstProcess } from '../../../e2e/support/datafirst.js';
import { postgresSchema, postgresServer, type TestDatabaseServer, type TestSchema } from '../../store/test/databases.js';

let server: TestDatabaseServer | undefined;
let schema: TestSchema | undefined;
let datafirst: DatafirstProcess | undefined;
afterAll(async () => {
  await datafirst?.stop();
  await schema?.drop();
  await server?.stop();
});

it('runs `datafirst start` on PostgreSQL: events sent to the collector reach the Snapchat mock, the URL masked', async () => {
  server = await postgresServer();
  schema = await postgresSchema(server.url);
  // The test server trusts every local connection, so this password is accepted and ignored: it
  // stands for a real one, which the startup lines must never show.
  const url = new URL(schema.url);
  url.password = 'not-to-be-shown';
  datafirst = await startDatafirst({ env: { DATAFIRST_DATABASE_URL: url.toString() } });
  expect(datafirst.output()).toMatch(/Database: +PostgreSQL postgres:\/\/postgres:\*\*\*\*@/);
  expect(datafirst.output()).not.toContain('not-to-be-shown');

  const res = await fetch(`${datafirst.url}/v1/batch`, {
    method: 'POST',
    body: JSON.stringify({
      writeKey: WRITE_KEY,
      batch: [
        {
          type: 'track',
          event: 'Order Completed',
          messageId: 'pg-order-1',
          userId: 'user-7',
          properties: { order_id: 'ORD-7', revenue: 19.5, currency: 'eur' },
          context: { page: { url: 'https://shop.example.com/thanks' }, traits: { email: 'pg@example.com' } },
        },
        {
          type: 'page',
          name: 'Home',
          messageId: 'pg-page-1',
          anonymousId: 'anon-7',
          context: {
            page: { url: 'https://shop.example.com/' },
            ip: '203.0.113.9',
            userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
          },
        },
      ],
    }),
  });
  expect(res.status).toBe(200);
  await expect.poll(async () => (await datafirst!.mockEvents()).length, { timeout: 15_000 }).toBe(2);
  const events = await datafirst.mockEvents();
  expect(events.map((event) => [event.event.event_id, event.event.event_name]).sort()).toEqual([
    ['pg-order-1', 'PURCHASE'],
    ['pg-page-1', 'PAGE_VIEW'],
  ]);
  expect(events.find((event) => event.event.event_id === 'pg-order-1')!.event).toMatchObject({
    custom_data: { currency: 'EUR', value: 19.5, order_id: 'ORD-7' },
  });

  // The events and their outcomes are in PostgreSQL, not in a SQLite file.
  const client = new pg.Client({ connectionString: schema.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ message_id: string; status: string }>(
      'SELECT e.message_id, d.status FROM events e JOIN deliveries d ON d.event_id = e.id ORDER BY e.message_id',
    );
    expect(rows).toEqual([
      { message_id: 'pg-order-1', status: 'delivered' },
      { message_id: 'pg-page-1', status: 'delivered' },
    ]);
  } finally {
    await client.end();
  }
});
