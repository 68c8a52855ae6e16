import { createHash } from 'node:crypto';
import type { EnrichedMessage, Message } from '@datafirst/protocol';
import type { ErasureRequest } from './privacy.js';

/** An email as compared for erasure and suppression: trimmed, lower case. */
export const normalEmail = (email: string): string => email.trim().toLowerCase();

/** A phone number as compared for erasure and suppression: its digits only. */
export const normalPhone = (phone: string): string => phone.replace(/\D/g, '');

/**
 * The hashes a person is suppressed by: one per identifier, kind-prefixed and normalised, so the
 * list holds no raw identifier and `Jane@Example.com ` matches `jane@example.com`.
 */
export function identityHashes(person: ErasureRequest): string[] {
  const entries: [string, string | undefined][] = [
    ['user', person.userId?.trim() || undefined],
    ['anon', person.anonymousId?.trim() || undefined],
    ['email', person.email === undefined ? undefined : normalEmail(person.email) || undefined],
    ['phone', person.phone === undefined ? undefined : normalPhone(person.phone) || undefined],
  ];
  return entries
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([kind, value]) => createHash('sha256').update(`${kind}:${value}`).digest('hex'));
}

/** The identifiers a message carries: its ids, and the email and phone of its traits. */
export function identitiesOf(message: Message | EnrichedMessage): ErasureRequest {
  const traits = { ...(message.context?.traits ?? {}), ...(message.traits ?? {}) };
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  return {
    userId: text(message.userId),
    anonymousId: text(message.anonymousId),
    email: text(traits.email),
    phone: text(traits.phone),
  };
}
