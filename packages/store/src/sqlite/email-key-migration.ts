import { EVENT_BLOCK_BITS } from './email-key.js';
import type { Migration } from './migrations.js';

/** The email key of a stored email hash, in SQL: its first four bytes as a signed 32-bit integer (see email-key.ts). */
const EMAIL_KEY_OF_HASH = (() => {
  const nibble = (position: number) => `(instr('0123456789ABCDEF', substr(hex(email_hash), ${position}, 1)) - 1)`;
  const unsigned = Array.from({ length: 8 }, (_, i) => `${nibble(i + 1)} * ${16 ** (7 - i)}`).join(' + ');
  return `((${unsigned}) + 2147483648) % 4294967296 - 2147483648`;
})();

/**
 * Migration 32: the email search by a compact key, in blocks of events. The index of migration 30
 * held each event's 32-byte email hash: random keys, so a sync of a million rows dirtied about
 * one index page per row on every commit. The index now holds four bytes of the hash (a search
 * checks the whole hash on the few events it finds), ordered by block of events first, so new
 * events share the pages of the newest block (see email-key.ts). The hash stays beside the
 * message, unindexed.
 */
export const EMAIL_KEY_MIGRATION: Migration = {
  version: 32,
  name: 'event search: the email hash indexed by a 4-byte key, in blocks of events',
  sql: `
    ALTER TABLE events ADD COLUMN email_key INTEGER;
    UPDATE events SET email_key = ${EMAIL_KEY_OF_HASH} WHERE email_hash IS NOT NULL;
    CREATE INDEX events_by_email_key ON events(id >> ${EVENT_BLOCK_BITS}, email_key) WHERE email_key IS NOT NULL;
    DROP INDEX events_by_email_hash;
  `,
};
