import type { DestinationRegistry } from '@datafirst/destination';
import type { EventRecord } from '@datafirst/store';
import { maskSecret } from './mask.js';

/**
 * The event name the debugger shows, as the events filter reads it (the store's nameFilterOf): a
 * track's event, a page's or screen's name after its type, or the call type.
 */
export function eventName(message: EventRecord['message']): string {
  if (message.type === 'track') return String(message.event ?? '');
  if (message.type === 'page' || message.type === 'screen') {
    return message.name ? `${message.type}: ${String(message.name)}` : message.type;
  }
  return message.type;
}

/**
 * An event as the admin API shows it: the message as received, which identifiers it carried
 * (for any destination: what the message holds, and what each delivery recorded it sent),
 * and each delivery's stages (payload as sent, hashed; Snapchat's answer; retry schedule or the
 * reason it was not sent). A write key a sender put inside a message is masked like any other.
 */
export function eventJson(record: EventRecord, destinations: DestinationRegistry) {
  const message =
    'writeKey' in record.message ? { ...record.message, writeKey: maskSecret(record.message.writeKey) } : record.message;
  return {
    id: record.id,
    source_id: record.sourceId,
    name: eventName(record.message),
    received_at: record.message.receivedAt,
    message,
    identifiers: identifiersCarried(record, destinations),
    deliveries: record.deliveries.map((d) => ({
      id: d.id,
      integration_id: d.integrationId,
      integration_name: d.integrationName,
      status: d.status,
      attempts: d.attempts,
      reason_code: d.reasonCode,
      reason: d.reason,
      next_attempt_at: d.status === 'pending' ? new Date(d.nextAttemptAt).toISOString() : null,
      payload: d.payload,
      response: d.response,
      history: d.history,
      updated_at: d.updatedAt,
    })),
  };
}

/** What changes when a delivery moves on; equal fingerprints mean nothing new to show. */
export function eventFingerprint(record: EventRecord): string {
  return record.deliveries.map((d) => `${d.id}:${d.status}:${d.attempts}:${d.updatedAt}`).join('|');
}

/** Every identifier a destination declares, and whether this event carried it. */
function identifiersCarried(record: EventRecord, destinations: DestinationRegistry): Record<string, boolean> {
  const carried = new Set(record.deliveries.flatMap((d) => d.identifiers));
  const found: Record<string, boolean> = {};
  for (const destination of destinations.all()) {
    for (const key of destination.identifiersOf(record.message)) carried.add(key);
    for (const { key } of destination.identifiers) found[key] = false;
  }
  for (const key of carried) found[key] = true;
  return found;
}
