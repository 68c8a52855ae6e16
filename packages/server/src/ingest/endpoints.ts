import type { MessageType } from '@datafirst/protocol';

/** What an ingest path takes: a batch of messages, or one message of a type. */
export type Endpoint = { kind: 'batch' } | { kind: 'single'; type: MessageType };

const batch: Endpoint = { kind: 'batch' };
const single = (type: MessageType): Endpoint => ({ kind: 'single', type });

/**
 * Every ingest path, as Segment's and RudderStack's clients post to them: `/v1/<type>`, the short
 * forms analytics-next uses (`/v1/t`, `/v1/p`, …, no option changes them), and RudderStack's
 * browser SDK's sendBeacon path (its write key comes as `?writeKey=`).
 */
export const ENDPOINTS: Readonly<Record<string, Endpoint>> = {
  '/v1/batch': batch,
  '/v1/b': batch,
  '/beacon/v1/batch': batch,
  '/v1/track': single('track'),
  '/v1/t': single('track'),
  '/v1/page': single('page'),
  '/v1/p': single('page'),
  '/v1/screen': single('screen'),
  '/v1/s': single('screen'),
  '/v1/identify': single('identify'),
  '/v1/i': single('identify'),
  '/v1/group': single('group'),
  '/v1/g': single('group'),
  '/v1/alias': single('alias'),
  '/v1/a': single('alias'),
};
