import type { EnrichedMessage } from '@datafirst/protocol';

/**
 * The event "Send test event" sends when none is given: a page view with just enough
 * identifiers (IP + user agent) for Snapchat to accept it.
 */
export function sampleTestMessage(now: Date): EnrichedMessage {
  return {
    type: 'page',
    name: 'Datafirst test event',
    messageId: `test-${crypto.randomUUID()}`,
    timestamp: now.toISOString(),
    receivedAt: now.toISOString(),
    context: {
      page: { url: 'https://example.com/datafirst-test' },
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (Datafirst test event)',
    },
  };
}
