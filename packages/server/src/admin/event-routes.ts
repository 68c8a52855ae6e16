import express, { type Router } from 'express';
import { isReasonCode, type DestinationRegistry } from '@datafirst/destination';
import type { ReplayableStatus, Store } from '@datafirst/store';
import type { Logger } from 'pino';
import { adminAuthOf } from './admin-auth.js';
import { BadRequest, knownFields, objectBody, queryString, throwIfAny } from './admin-input.js';
import { eventFilters } from './event-filters.js';
import { adminRoute } from './admin-route.js';
import type { AdminSessions } from './admin-session.js';
import { eventJson } from './event-json.js';
import { EventStreams } from './event-stream.js';

export interface EventRoutesOptions {
  store: Store;
  destinations: DestinationRegistry;
  sessions: AdminSessions;
  logger?: Logger;
  closing?: AbortSignal;
}

/** The statuses a delivery can be replayed from. */
const REPLAYABLE: readonly ReplayableStatus[] = ['dead', 'failed'];

/**
 * The `status` of a replay request: `dead` (the default), `failed`, or a list of them. Parked
 * (`blocked`) deliveries are not replayed: saving the setting that cures them requeues them.
 */
function replayStatuses(value: unknown, errors: string[]): ReplayableStatus[] | undefined {
  if (value === undefined) return undefined;
  const given: unknown[] = Array.isArray(value) ? value : [value];
  const statuses = REPLAYABLE.filter((status) => given.includes(status));
  if (given.length === 0 || statuses.length !== new Set(given).size) {
    errors.push('status: "dead", "failed", or a list of them');
  }
  return statuses;
}

/**
 * Events: the recent list, the live stream (server-sent events), and replaying dead letters or
 * failed deliveries (by integration, time, reason code or text, or one by its id).
 */
export function eventRoutes(options: EventRoutesOptions): Router {
  const { store, logger } = options;
  const router = express.Router();
  const route = (handler: Parameters<typeof adminRoute>[0]) => adminRoute(handler);
  const streams = new EventStreams({ store, destinations: options.destinations, logger, closing: options.closing });

  router.get(
    '/events',
    route(async (req, res) => {
      const filters = eventFilters(req.query, ['after_id']);
      const afterId = req.query.after_id === undefined ? undefined : Number(req.query.after_id);
      if (afterId !== undefined && !Number.isInteger(afterId)) throw new BadRequest(['after_id: an event id (integer)']);
      const events = await store.listEvents({ ...filters, afterId });
      res.json({ events: events.map((event) => eventJson(event, options.destinations)) });
    }),
  );

  router.get(
    '/events/stream',
    route(async (req, res) => {
      const filters = eventFilters(req.query);
      const auth = adminAuthOf(res);
      // A stream outlives the request that opened it: end it when its session is signed out or expires.
      const guard = { stillAllowed: async () => auth?.via !== 'session' || options.sessions.isLive(auth.session) };
      await streams.serve(req, res, filters, guard);
    }),
  );

  router.post(
    '/deliveries/replay',
    route(async (req, res) => {
      const body = objectBody(req.body);
      const errors = knownFields(body, ['status', 'integration_id', 'from', 'to', 'reason', 'reason_code']);
      const statuses = replayStatuses(body.status, errors);
      if (body.reason_code !== undefined && !isReasonCode(body.reason_code)) {
        errors.push('reason_code: one of the codes GET /v1/admin/reason-codes lists');
      }
      const time = (value: unknown, name: string) => {
        if (value === undefined) return undefined;
        const ms = typeof value === 'string' ? Date.parse(value) : NaN;
        if (Number.isNaN(ms)) errors.push(`${name}: an ISO 8601 date-time`);
        return ms;
      };
      const from = time(body.from, 'from');
      const to = time(body.to, 'to');
      throwIfAny(errors);
      const replayed = await store.replayDeliveries({
        statuses,
        integrationId: queryString(body.integration_id),
        from,
        to,
        reason: queryString(body.reason),
        reasonCode: queryString(body.reason_code),
      });
      res.json({ replayed });
    }),
  );

  router.post(
    '/deliveries/:id/replay',
    route(async (req, res) => {
      const id = Number(req.params.id);
      if (!Number.isSafeInteger(id) || id < 1) throw new BadRequest(['id: a delivery id (integer)']);
      const replayed = await store.replayDeliveries({ deliveryId: id, statuses: REPLAYABLE });
      if (replayed === 0) return void res.status(404).json({ error: 'no failed or dead delivery with this id' });
      res.json({ replayed });
    }),
  );

  return router;
}
