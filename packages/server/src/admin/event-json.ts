import type { EventRecord } from '@datafirst/store';
import { identifiersOf } from './match-identifiers.js';
import { maskSecret } from './mask.js';

/** The event name the debugger shows: a track's event, a page's name, or the call type. */
export function eventName(message: EventRecord['message']): string {
  if (message.type === 'track') return String(message.event ?? '');
  if (message.type === 'page') return message.name ? `page: ${String(message.name)}` : 'page';
  return message.type;
}

/**
 * An event as the admin API shows it: the message as received, which identifiers it carried,
 * and each delivery's stages (payload as sent, hashed; Snapchat's answer; retry schedule or the
 * reason it was not sent). A write key a sender put inside a message is masked like any other.
 */
export function eventJson(record: EventRecord) {
  const message =
    'writeKey' in record.message ? { ...record.message, writeKey: maskSecret(record.message.writeKey) } : record.message;
  return {
    id: record.id,
    source_id: record.sourceId,
    name: eventName(record.message),
    received_at: record.message.receivedAt,
    message,
    identifiers: identifiersOf(
      record.message,
      record.deliveries.map((d) => d.payload),
    ),
    deliveries: record.deliveries.map((d) => ({
      id: d.id,
      integration_id: d.integrationId,
      integration_name: d.integrationName,
      status: d.status,
      attempts: d.attempts,
      reason: d.reason,
      next_attempt_at: d.status === 'pending' ? new Date(d.nextAttemptAt).toISOString() : null,
      payload: d.payload,
      response: d.response,
      // Tries as the API has always shown them; their reason codes are not part of it yet.
      history: d.history.map(({ reasonCode: _code, ...attempt }) => attempt),
      updated_at: d.updatedAt,
    })),
  };
}

/** What changes when a delivery moves on; equal fingerprints mean nothing new to show. */
export function eventFingerprint(record: EventRecord): string {
  return record.deliveries.map((d) => `${d.id}:${d.status}:${d.attempts}:${d.updatedAt}`).join('|');
}
