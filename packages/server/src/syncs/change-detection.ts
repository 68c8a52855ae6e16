import { createHash } from 'node:crypto';
import type { SyncMode, SyncRowState } from '@datafirst/store';
import type { Mapping, Row } from './mapping.js';
import { cellText } from './row-values.js';

/**
 * A hash of the row's mapped columns (in mapping order), so that a run can tell a changed row
 * from an unchanged one without keeping the rows themselves. 128 bits of SHA-256, hex.
 */
export function rowHash(row: Row, mapping: Mapping): string {
  const cells = [...mapping].map(([target, source]) => [
    target,
    'column' in source ? (cellText(row[source.column]) ?? null) : source.value,
  ]);
  return createHash('sha256').update(JSON.stringify(cells)).digest('hex').slice(0, 32);
}

/** How a row compares with what the last runs saw of it. */
export type RowChange = 'added' | 'changed' | 'unchanged';

/** What to do with one row this run. */
export interface RowDecision {
  change: RowChange;
  /** Hand it to the pipeline now. */
  send: boolean;
}

/**
 * Compares a row with its recorded state: a row never seen, or one that failed (retried every
 * run until it goes through), is `added` and sent; a row whose hash moved is `changed`, and sent
 * again only in `upsert` mode; anything else is `unchanged` and not sent.
 */
export function decideRow(hash: string, previous: SyncRowState | undefined, mode: SyncMode): RowDecision {
  if (previous === undefined || previous.status === 'failed') return { change: 'added', send: true };
  if (previous.hash === hash) return { change: 'unchanged', send: false };
  return { change: 'changed', send: mode === 'upsert' };
}
