import { DestinationRegistry } from '@datafirst/destination';
import { openSqliteStore, type Store } from '@datafirst/store';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics.js';
import { SourceDirectory } from '../source-directory.js';
import { EventPipeline, NO_REQUEST } from './event-pipeline.js';

const MAX_BYTES = 1024;
let store: Store | undefined;
afterEach(async () => store?.close());

async function pipeline(): Promise<{ pipeline: EventPipeline; sourceId: string }> {
  store = openSqliteStore({ path: ':memory:' });
  const source = await store.createSource({ name: 'Shop' });
  const options = { store, destinations: new DestinationRegistry([]), metrics: createMetrics(store) };
  return {
    pipeline: new EventPipeline({
      ...options,
      directory: new SourceDirectory(store),
      consentDefault: 'granted',
      honorGpc: true,
      maxMessageBytes: MAX_BYTES,
    }),
    sourceId: source.id,
  };
}

const track = (messageId: string, note: string) => ({ type: 'track', event: 'Order Completed', messageId, properties: { note } });

describe('EventPipeline message size', () => {
  it('measures server-made messages, which have no request body to bound them: a message over the limit is refused', async () => {
    const { pipeline: events, sourceId } = await pipeline();
    // 300 characters could take 1,800 bytes of JSON, over the limit: this one is measured (about 400) and kept.
    const near = track('near', 'é'.repeat(150) + 'x'.repeat(150));
    // 180 control characters are 1,080 bytes of JSON (each written as \u0001): over.
    const over = track('over', '\u0001'.repeat(180));
    const result = await events.submit({
      sourceId,
      receivedAt: new Date(),
      facts: NO_REQUEST,
      serverMade: true,
      messages: [{ input: near }, { input: over }],
    });
    expect(result.stored).toBe(1);
    expect(result.accepted.map((event) => event.message.messageId)).toEqual(['near']);
    expect(result.rejected).toEqual([{ index: 1, messageId: 'over', errors: [`message: larger than ${MAX_BYTES} bytes`] }]);
  });
});
