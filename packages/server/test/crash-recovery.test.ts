import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startDatafirst, WRITE_KEY, type DatafirstProcess } from '../../../e2e/support/datafirst.js';

const dir = mkdtempSync(join(tmpdir(), 'datafirst-crash-'));
const running: DatafirstProcess[] = [];
afterEach(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

it('delivers an acknowledged event after the server is killed with SIGKILL right after answering 200', async () => {
  const dbPath = join(dir, 'datafirst.db');
  // First life: no worker, so the event can only have survived in the database.
  const first = await startDatafirst({ dbPath, env: { DATAFIRST_WORKER: '0' } });
  running.push(first);
  const res = await fetch(`${first.url}/v1/batch`, {
    method: 'POST',
    body: JSON.stringify({
      writeKey: WRITE_KEY,
      batch: [
        {
          type: 'track',
          event: 'Order Completed',
          messageId: 'crash-1',
          userId: 'user-9',
          properties: { order_id: 'ORD-9', revenue: 42.5, currency: 'eur' },
          context: { page: { url: 'https://shop.example.com/thanks' }, traits: { email: 'Crash@Example.com' } },
        },
      ],
    }),
  });
  expect(res.status).toBe(200);
  first.process.kill('SIGKILL');
  await new Promise((resolve) => first.process.once('exit', resolve));

  const second = await startDatafirst({ dbPath });
  running.push(second);
  await expect.poll(async () => (await second.mockEvents()).length, { timeout: 15_000 }).toBe(1);
  const [received] = await second.mockEvents();
  expect(received!.event).toMatchObject({
    event_name: 'PURCHASE',
    event_id: 'crash-1',
    custom_data: { currency: 'EUR', value: 42.5, order_id: 'ORD-9' },
  });
});
