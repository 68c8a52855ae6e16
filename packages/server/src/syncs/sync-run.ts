import type { Message } from '@datafirst/protocol';
import type { Store, Sync, SyncRowError, SyncRowRecord, SyncRun, SyncRunCounts } from '@datafirst/store';
import { emptyRunCounts } from '@datafirst/store';
import { NO_REQUEST, type EventPipeline } from '../pipeline/event-pipeline.js';
import { decideRow, rowHasher } from './change-detection.js';
import { missingColumns, parseMapping, rowMessage, type Mapping, type Row } from './mapping.js';
import { cellText } from './row-values.js';
import { syncMessageId } from './sync-message-id.js';
import { WarehouseError, type RowBatch } from './warehouse-connection.js';

/** Row errors a run keeps for the admin API; the counts have the rest. */
export const MAX_ROW_ERRORS = 20;

/** What a run needs besides the sync and its rows. */
export interface RunContext {
  store: Store;
  pipeline: EventPipeline;
  /** Events older than this are skipped as `too_old` (the strictest destination's limit). */
  maxEventAgeMs: number | undefined;
  /** The run's clock, for event ages. */
  now: () => number;
  /** Who holds the sync's lease for this run, to release it at the end. */
  owner: string;
  /** Throws when the run lost its lease (another process took the sync over). */
  checkLease: () => void;
}

/** A sync's mapping as stored, read back (it was validated when saved). */
export function storedMapping(sync: Sync): Mapping {
  const errors: string[] = [];
  const mapping = parseMapping(sync.mapping, errors);
  if (errors.length > 0) throw new WarehouseError(`the stored mapping is invalid: ${errors.join('; ')}`);
  return mapping;
}

/** A row that is to be sent, with what its record will say when it went through. */
interface Outgoing {
  key: string;
  hash: string;
  message: Message;
}

/**
 * Takes a started run through its rows to its end: each batch is compared with the recorded row
 * states, the rows to send go through the pipeline (which stores them durably, once per
 * messageId), and only then are the rows' states recorded. A crash between the two re-sends the
 * batch on the next run, which the pipeline acknowledges as duplicates: nothing is lost, and
 * nothing is stored or sent twice.
 */
export async function executeRun(
  context: RunContext,
  sync: Sync,
  run: SyncRun,
  batches: AsyncIterable<RowBatch>,
): Promise<SyncRun> {
  const { store } = context;
  const mapping = storedMapping(sync);
  const hashRow = rowHasher(mapping);
  const counts: SyncRunCounts = emptyRunCounts();
  const rowErrors: SyncRowError[] = [];
  const noteError = (error: SyncRowError) => {
    if (rowErrors.length < MAX_ROW_ERRORS) rowErrors.push(error);
  };
  let checkedColumns = false;
  try {
    await store.syncs.updateRun(run.id, { status: 'querying' });
    for await (const batch of batches) {
      context.checkLease();
      if (!checkedColumns) {
        const missing = missingColumns(mapping, sync.primaryKey, batch.columns);
        if (missing.length > 0) throw new WarehouseError(missing.join('; '));
        checkedColumns = true;
        await store.syncs.updateRun(run.id, { status: 'sending' });
      }
      await runBatch(context, sync, { mapping, hashRow }, batch.rows, counts, noteError);
      await store.syncs.updateRun(run.id, { counts, rowErrors });
    }
    await store.syncs.finishRun(run.id, context.owner, { status: 'succeeded', counts, rowErrors, error: null });
  } catch (error) {
    const reason = error instanceof WarehouseError ? error.message : `internal error: ${(error as Error).message}`;
    await store.syncs.finishRun(run.id, context.owner, { status: 'failed', counts, rowErrors, error: reason });
  }
  // Deleted with its sync meanwhile, the run is as it was last seen.
  return (await store.syncs.getRun(run.id)) ?? { ...run, status: 'failed', counts, rowErrors, error: 'the sync was deleted' };
}

/** Decides, maps, sends and records one batch of rows. */
async function runBatch(
  context: RunContext,
  sync: Sync,
  { mapping, hashRow }: { mapping: Mapping; hashRow: (row: Row) => string },
  rows: readonly Row[],
  counts: SyncRunCounts,
  noteError: (error: SyncRowError) => void,
): Promise<void> {
  const records: SyncRowRecord[] = [];
  const outgoing: Outgoing[] = [];
  const keyed: { key: string; row: Row }[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    counts.queried++;
    const key = cellText(row[sync.primaryKey]);
    if (key === undefined) {
      counts.failed++;
      noteError({ rowKey: '', reasonCode: 'invalid_row', detail: `primary_key: the row's "${sync.primaryKey}" is empty` });
    } else if (seen.has(key)) {
      counts.failed++;
      noteError({ rowKey: key, reasonCode: 'invalid_row', detail: `primary_key: "${key}" appears more than once` });
    } else {
      seen.add(key);
      keyed.push({ key, row });
    }
  }
  const states = await context.store.syncs.rowStates(
    sync.id,
    keyed.map((entry) => entry.key),
  );
  const oldest = context.maxEventAgeMs === undefined ? -Infinity : context.now() - context.maxEventAgeMs;
  for (const { key, row } of keyed) {
    const hash = hashRow(row);
    const previous = states.get(key);
    const decision = decideRow(hash, previous, sync.mode);
    counts[decision.change]++;
    if (!decision.send) {
      // Insert mode: a changed row is not sent, but the next run compares with what it is now.
      if (decision.change === 'changed' && previous) records.push({ key, hash, status: previous.status });
      continue;
    }
    const mapped = rowMessage(row, mapping, {
      messageId: syncMessageId(sync.id, key, hash, sync.mode),
      actionSource: sync.actionSource,
      sync: { id: sync.id, rowKey: key },
    });
    if (!mapped.ok) {
      counts.failed++;
      noteError({ rowKey: key, reasonCode: 'invalid_row', detail: mapped.error });
      records.push({ key, hash, status: 'failed' });
      continue;
    }
    const time = mapped.message.timestamp === undefined ? context.now() : Date.parse(mapped.message.timestamp);
    if (time < oldest) {
      counts.skipped++;
      const days = Math.floor((context.now() - time) / 86_400_000);
      noteError({
        rowKey: key,
        reasonCode: 'too_old',
        detail: `the row's event is ${days} days old; destinations take it no older than ${Math.floor(context.maxEventAgeMs! / 86_400_000)} days`,
      });
      records.push({ key, hash, status: 'skipped' });
      continue;
    }
    outgoing.push({ key, hash, message: mapped.message });
  }

  if (outgoing.length > 0) {
    const result = await context.pipeline.submit({
      sourceId: sync.sourceId,
      receivedAt: new Date(context.now()),
      facts: NO_REQUEST,
      serverMade: true, // a row's id is `sync:…`, a server-made id
      messages: outgoing.map((item) => ({ input: item.message })),
      // A row no integration would take fails here, and is retried by the next run.
      refuseUnsendable: true,
    });
    const rejected = new Map(result.rejected.map((error) => [error.index, error]));
    for (const [index, item] of outgoing.entries()) {
      const refusal = rejected.get(index);
      if (refusal === undefined) {
        counts.sent++;
        records.push({ key: item.key, hash: item.hash, status: 'sent' });
      } else {
        counts.failed++;
        const reasonCode = refusal.reasonCode ?? 'invalid_row';
        // The reason code is given apart: the detail need not start with it too.
        const text = refusal.errors.join('; ');
        const detail = text.startsWith(`${reasonCode}: `) ? text.slice(reasonCode.length + 2) : text;
        noteError({ rowKey: item.key, reasonCode, detail });
        records.push({ key: item.key, hash: item.hash, status: 'failed' });
      }
    }
  }
  // Only now, once the events are durable: a crash before this re-sends, and dedup keeps them once.
  if (records.length > 0) await context.store.syncs.recordRows(sync.id, records);
}
