import { createHash } from 'node:crypto';
import type { SyncMode } from '@datafirst/store';
import { serverMessageId } from '../pipeline/server-message-ids.js';

// Message ids are at most 255 characters; a longer key is replaced by its digest.
const MAX_KEY_IN_ID = 160;

/**
 * The messageId of a row's event: `sync:<syncId>:<key>` (a server-made id public ingest cannot
 * write), the same on every run, so the store
 * keeps (and the destination counts) a row once even when a crashed run is resumed. In upsert
 * mode a changed row is a new event: its id also carries the row's hash.
 */
export function syncMessageId(syncId: string, rowKey: string, hash: string, mode: SyncMode): string {
  const key = rowKey.length > MAX_KEY_IN_ID ? `sha256-${createHash('sha256').update(rowKey).digest('hex')}` : rowKey;
  const id = serverMessageId('sync', `${syncId}:${key}`);
  return mode === 'upsert' ? `${id}:${hash.slice(0, 16)}` : id;
}
