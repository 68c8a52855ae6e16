import type { DeliveryHealth } from './admin.js';
import { iso } from './columns.js';
import { integrationNameOrDeleted } from './rows.js';
import type { DeliveryStatus } from './store.js';

const DAY_MS = 24 * 60 * 60_000;

/** The tries of one minute, counted by what came of them; `minute` is the minute's start, epoch ms. */
export interface MinuteOutcomeRow {
  minute: number;
  delivered: number;
  retried: number;
  failed: number;
  parked: number;
}

/** The pending deliveries: how many, how many due, and when the oldest was created. */
export interface BacklogRow {
  pending: number;
  due: number;
  oldest: number | null;
}

/** How many deliveries are parked in one status (`blocked` or `dead`). */
export interface ParkedCountRow {
  status: string;
  n: number;
}

/** The last try that went wrong, with its delivery and integration (whose name is NULL once deleted). */
export interface LastErrorRow {
  at: number;
  status: string;
  http_status: number | null;
  reason: string | null;
  reason_code: string | null;
  delivery_id: number;
  event_id: number;
  integration_id: string;
  integration_name: string | null;
}

/** The first moment whose errors still count: errors older than a day are not "the last error" any more. */
export const lastErrorSince = (now: number): number => now - DAY_MS;

/** Delivery health from what an engine read: outcomes per minute, the backlog, the parked counts, the last error. */
export function assembleDeliveryHealth(read: {
  minutes: readonly MinuteOutcomeRow[];
  backlog: BacklogRow;
  parked: readonly ParkedCountRow[];
  lastError: LastErrorRow | undefined;
}): DeliveryHealth {
  const { backlog, lastError: last } = read;
  const parkedBy = new Map(read.parked.map((row) => [row.status, row.n]));
  return {
    perMinute: read.minutes.map((row) => ({
      minute: iso(row.minute),
      delivered: row.delivered,
      retried: row.retried,
      failed: row.failed,
      parked: row.parked,
    })),
    backlog: {
      pending: backlog.pending,
      due: backlog.due,
      oldestPendingAt: backlog.oldest === null ? null : iso(backlog.oldest),
      blocked: parkedBy.get('blocked') ?? 0,
      dead: parkedBy.get('dead') ?? 0,
    },
    lastError: last
      ? {
          at: iso(last.at),
          eventId: last.event_id,
          deliveryId: last.delivery_id,
          integrationId: last.integration_id,
          integrationName: integrationNameOrDeleted(last.integration_name),
          status: last.status as DeliveryStatus,
          httpStatus: last.http_status,
          reason: last.reason,
          reasonCode: last.reason_code,
        }
      : null,
  };
}
