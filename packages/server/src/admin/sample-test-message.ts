import type { EnrichedMessage } from '@datafirst/protocol';
import { toActionSource, type SnapchatConfig } from '@datafirst/snapchat';

/**
 * The event "Send test event" sends when none is given, with just enough identifiers (IP + user
 * agent) for Snapchat to accept it: a page view, or for an app integration an app open, since a
 * page view means nothing to an app. The app's store id comes from the integration's `app_id`.
 */
export function sampleTestMessage(now: Date, config: Pick<SnapchatConfig, 'action_source'> = {}): EnrichedMessage {
  const common = {
    messageId: `test-${crypto.randomUUID()}`,
    timestamp: now.toISOString(),
    receivedAt: now.toISOString(),
  };
  if (toActionSource(config.action_source) === 'MOBILE_APP') {
    return {
      ...common,
      type: 'track',
      event: 'Application Opened',
      context: {
        ip: '203.0.113.7',
        userAgent: 'Datafirst test event',
        snapchat: { eventName: 'APP_OPEN' },
        app: { name: 'Datafirst test event' },
      },
    };
  }
  return {
    ...common,
    type: 'page',
    name: 'Datafirst test event',
    context: {
      page: { url: 'https://example.com/datafirst-test' },
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (Datafirst test event)',
    },
  };
}
