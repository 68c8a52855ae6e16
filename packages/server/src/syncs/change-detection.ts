import * as crypto from 'node:crypto';
import type { SyncMode, SyncRowState } from '@datafirst/store';
import type { Mapping, Row } from './mapping.js';
import { cellText } from './row-values.js';

/** SHA-256 of a text, hex: the one-shot `crypto.hash`, which skips a Hash object per call. */
const sha256Hex = (text: string): string => crypto.hash('sha256', text, 'hex');

/**
 * A function that hashes a row's mapped columns (in mapping order), so that a run can tell a
 * changed row from an unchanged one without keeping the rows themselves. 128 bits of SHA-256,
 * hex, of the JSON text `[[target, cell text or null], …]` (static values as given). The hashes
 * are stored: this text must never change, or every row of every sync would look changed once.
 * The JSON of the targets and static values is written once per mapping, not once per row.
 */
export function rowHasher(mapping: Mapping): (row: Row) => string {
  const parts = [...mapping].map(([target, source]) =>
    'column' in source
      ? { prefix: `[${JSON.stringify(target)},`, column: source.column }
      : { prefix: JSON.stringify([target, source.value]), column: undefined },
  );
  return (row) => {
    let text = '[';
    for (let i = 0; i < parts.length; i++) {
      const { prefix, column } = parts[i]!;
      if (i > 0) text += ',';
      text += column === undefined ? prefix : `${prefix}${JSON.stringify(cellText(row[column]) ?? null)}]`;
    }
    return sha256Hex(`${text}]`).slice(0, 32);
  };
}

/** The hash of one row's mapped columns (see {@link rowHasher}). */
export function rowHash(row: Row, mapping: Mapping): string {
  return rowHasher(mapping)(row);
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
