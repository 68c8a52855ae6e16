import type { Request, Response } from 'express';
import type { DestinationRegistry } from '@datafirst/destination';
import type { EventRecord, Store } from '@datafirst/store';
import type { Logger } from 'pino';
import type { EventFilters } from './event-filters.js';
import { eventFingerprint, eventJson } from './event-json.js';

export interface EventStreamOptions {
  store: Store;
  destinations: DestinationRegistry;
  logger?: Logger;
  /** Aborted when the server shuts down: every stream ends. */
  closing?: AbortSignal;
  /** How often to look for new and changed events. */
  pollMs?: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs?: number;
  /** Streams open at once; each polls the store, so a forgotten pile of tabs must not pile up load. */
  maxStreams?: number;
}

// The store may be written by other processes (workers), so the stream polls it rather than
// listening in-process. A delivery's updated_at is taken inside its write transaction, so a
// change commits well within this margin of its time: looking back this far never misses one.
const CHANGE_MARGIN_MS = 2_000;
// Events a stream remembers having sent, to send only what changed; older ones just drop out.
const REMEMBERED = 2_000;
// At most this many new or changed events per poll: a debugger shows a sample of a flood.
const PER_POLL = 200;

/** One live stream's handle: whether it should stop, and whether the session behind it still holds. */
export interface StreamGuard {
  stillAllowed(): Promise<boolean>;
}

/**
 * Server-sent events for the live debugger: the latest events matching the filters, then every
 * new event and every change of an event already sent (pending → delivered, a retry, a failure),
 * as `event: event` messages whose data is the event's JSON, newest state wins. `event: ready`
 * marks the end of the first batch; `event: signed-out` the end of the session.
 */
export class EventStreams {
  private open = 0;
  private readonly pollMs: number;
  private readonly heartbeatMs: number;
  private readonly maxStreams: number;

  constructor(private readonly options: EventStreamOptions) {
    this.pollMs = options.pollMs ?? 500;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.maxStreams = options.maxStreams ?? 20;
  }

  /** Serves one stream until the client leaves, the session ends or the server closes. */
  async serve(req: Request, res: Response, filters: EventFilters, guard: StreamGuard): Promise<void> {
    const closing = this.options.closing;
    // A browser reconnects a stream the shutdown ended, over the connection it still holds: served,
    // that stream would hold the process up for as long as the tab stays open.
    if (closing?.aborted) {
      res.status(503).set({ 'Retry-After': '5', Connection: 'close' }).json({ error: 'the collector is shutting down' });
      return;
    }
    if (this.open >= this.maxStreams) {
      res
        .status(503)
        .set('Retry-After', '10')
        .json({ error: `too many live streams open (${this.maxStreams}); close a debugger tab` });
      return;
    }
    this.open++;
    let stopped = false;
    let wake: (() => void) | undefined;
    const stop = () => {
      stopped = true;
      wake?.();
    };
    req.on('close', stop);
    closing?.addEventListener('abort', stop);
    try {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        // Said outright: without it, a client holding an unfinished stream when the server closes
        // kept the close waiting (seen with undici), though HTTP/1.1 keeps connections alive anyway.
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no', // nginx would otherwise hold the stream in its buffer
      });
      res.write('retry: 2000\n\n');
      await this.run(
        res,
        filters,
        guard,
        () => stopped,
        (resume) => {
          wake = resume;
        },
      );
    } catch (error) {
      if (!stopped) this.options.logger?.warn({ err: error }, 'live event stream failed');
    } finally {
      this.open--;
      req.off('close', stop);
      closing?.removeEventListener('abort', stop);
      res.end();
    }
  }

  private async run(
    res: Response,
    filters: EventFilters,
    guard: StreamGuard,
    stopped: () => boolean,
    onWait: (resume: () => void) => void,
  ): Promise<void> {
    const { store } = this.options;
    const sent = new Map<number, string>();
    let lastWrite = Date.now();
    const send = (record: EventRecord) => {
      const fingerprint = eventFingerprint(record);
      if (sent.get(record.id) === fingerprint) return;
      sent.delete(record.id);
      sent.set(record.id, fingerprint);
      if (sent.size > REMEMBERED) sent.delete(sent.keys().next().value!);
      res.write(`event: event\ndata: ${JSON.stringify(eventJson(record, this.options.destinations))}\n\n`);
      lastWrite = Date.now();
    };
    const matchesStatus = (record: EventRecord) =>
      !filters.status ||
      record.deliveries.some(
        (d) => d.status === filters.status && (!filters.integrationId || d.integrationId === filters.integrationId),
      );

    // The newest id overall (not just matching ones) is where "new" starts.
    let lastId = (await store.listEvents({ limit: 1 }))[0]?.id ?? 0;
    let changedSince = Date.now() - CHANGE_MARGIN_MS;
    const first = await store.listEvents(filters);
    for (const record of first.reverse()) send(record);
    res.write('event: ready\ndata: {}\n\n');

    while (!stopped()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        onWait(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (stopped()) return;
      if (!(await guard.stillAllowed())) {
        res.write('event: signed-out\ndata: {}\n\n');
        return;
      }
      const pollStarted = Date.now();
      const { sourceId, integrationId, name, status, search } = filters;
      const fresh = await store.listEvents({ sourceId, integrationId, name, status, search, afterId: lastId, limit: PER_POLL });
      // Changes are read without the status filter: an event shown as pending must still be
      // seen becoming delivered, even when the filter asks for pending ones.
      const changed = await store.listEvents({
        sourceId,
        integrationId,
        name,
        search,
        updatedSince: changedSince,
        limit: PER_POLL,
      });
      changedSince = pollStarted - CHANGE_MARGIN_MS;
      for (const record of fresh.reverse()) {
        lastId = Math.max(lastId, record.id);
        send(record);
      }
      for (const record of changed.reverse()) {
        if (record.id <= lastId && (sent.has(record.id) || matchesStatus(record))) send(record);
      }
      if (Date.now() - lastWrite >= this.heartbeatMs) {
        res.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
    }
  }
}
