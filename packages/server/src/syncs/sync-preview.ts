import type { DestinationRegistry } from '@datafirst/destination';
import type { EnrichedMessage } from '@datafirst/protocol';
import type { Integration, Sync } from '@datafirst/store';
import { NO_REQUEST, type EventPipeline } from '../pipeline/event-pipeline.js';
import { rowHash } from './change-detection.js';
import { rowMessage, type Row } from './mapping.js';
import { cellText } from './row-values.js';
import { storedMapping } from './sync-run.js';
import { syncMessageId } from './sync-message-id.js';
import { missingColumns } from './mapping.js';
import { WarehouseError, type RowBatch } from './warehouse-connection.js';

/** Rows a preview shows. */
export const PREVIEW_ROWS = 20;

/** What one integration would make of a previewed row. */
export interface PreviewPayload {
  integration_id: string;
  vendor: string;
  /** The destination's event as it would be sent, or null when it would not be sent. */
  payload: unknown;
  reason_code: string | null;
  detail: string | null;
}

/** One previewed row: the message it becomes (or why it cannot) and each integration's payload. */
export interface PreviewRow {
  row_key: string | null;
  message: EnrichedMessage | null;
  error: string | null;
  payloads: PreviewPayload[];
}

/**
 * The first rows of a sync as the messages they become (through the pipeline's validate, enrich
 * and route, storing nothing) and as each enabled integration's destination would build them.
 */
export async function previewRows(
  options: { pipeline: EventPipeline; destinations: DestinationRegistry; integrations: readonly Integration[] },
  sync: Sync,
  batches: AsyncIterable<RowBatch>,
): Promise<{ columns: readonly string[]; rows: PreviewRow[] }> {
  const mapping = storedMapping(sync);
  let columns: readonly string[] = [];
  const rows: Row[] = [];
  for await (const batch of batches) {
    columns = batch.columns;
    rows.push(...batch.rows.slice(0, PREVIEW_ROWS - rows.length));
    if (rows.length >= PREVIEW_ROWS) break;
  }
  const missing = missingColumns(mapping, sync.primaryKey, columns);
  if (missing.length > 0) throw new WarehouseError(missing.join('; '));

  const now = new Date();
  const previewed: PreviewRow[] = [];
  for (const row of rows) {
    const key = cellText(row[sync.primaryKey]) ?? null;
    const hash = rowHash(row, mapping);
    const mapped = rowMessage(row, mapping, {
      messageId: syncMessageId(sync.id, key ?? '', hash, sync.mode),
      actionSource: sync.actionSource,
      sync: { id: sync.id, rowKey: key ?? '' },
    });
    if (!mapped.ok) {
      previewed.push({ row_key: key, message: null, error: mapped.error, payloads: [] });
      continue;
    }
    const prepared = await options.pipeline.prepare({
      sourceId: sync.sourceId,
      receivedAt: now,
      facts: NO_REQUEST,
      serverMade: true, // a row's id is `sync:…`, a server-made id
      messages: [{ input: mapped.message }],
      // Its `sync:` message ids are the server's own.
    });
    const event = prepared.accepted[0];
    if (!event) {
      previewed.push({ row_key: key, message: null, error: prepared.rejected[0]?.errors.join('; ') ?? 'refused', payloads: [] });
      continue;
    }
    const payloads = options.integrations
      .filter((integration) => integration.enabled)
      .map((integration) => buildPayload(options.destinations, integration, event.message, now));
    previewed.push({ row_key: key, message: event.message, error: null, payloads });
  }
  return { columns, rows: previewed };
}

/** What an integration's destination builds of a message, or why it would not send it. */
function buildPayload(
  destinations: DestinationRegistry,
  integration: Integration,
  message: EnrichedMessage,
  now: Date,
): PreviewPayload {
  const base = { integration_id: integration.id, vendor: integration.vendor };
  const destination = destinations.get(integration.vendor);
  if (!destination)
    return { ...base, payload: null, reason_code: 'unknown_destination', detail: `no destination "${integration.vendor}"` };
  const config = destination.validateConfig(integration.config);
  if (!config.ok) return { ...base, payload: null, reason_code: 'request_rejected', detail: config.errors.join('; ') };
  const built = destination.build(message, config.config, { now });
  return built.ok
    ? { ...base, payload: built.event, reason_code: null, detail: null }
    : { ...base, payload: null, reason_code: built.code, detail: built.detail };
}
