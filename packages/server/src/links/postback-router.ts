import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { NewEvent } from '@datafirst/store';
import { conversionWindow, conversionJson } from './attribution.js';
import { conversionEvents, type LinkEventMap } from './conversion-events.js';
import { clickConsent, conversionMessage } from './link-messages.js';
import { skipReasonFor, submitLinkMessages, type LinkContext } from './link-context.js';
import { sourceForPostbackKey } from './postback-key.js';
import { parsePostbackParams } from './postback-params.js';

/** Marks txids we made up for postbacks that sent none; they are no order id to give Snapchat. */
export const GENERATED_TXID_PREFIX = 'df-auto-';

class PostbackError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: string[],
  ) {
    super(message);
  }
}

/**
 * `GET|POST /v1/postback`: an offer network reports a conversion of a smart-link click, server
 * to server, authenticated by the source's postback key. The conversion is recorded (and counted
 * in revenue) once per txid; the events it produces go to the link's pixels like any event.
 */
export function postbackRouter(context: LinkContext): Router {
  const router = express.Router();
  const bodies = [express.urlencoded({ extended: false, limit: '16kb' }), express.json({ limit: '16kb' })];
  // Every answer, a refused body's too, is about one conversion: no cache may keep it for a retry.
  const noStore: express.RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  };
  router.all('/v1/postback', noStore, ...bodies, (req, res) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.status(405).set('Allow', 'GET, POST').json({ success: false, error: 'use GET or POST for /v1/postback' });
      return;
    }
    handle(context, req, res).catch((error: unknown) => {
      if (error instanceof PostbackError) {
        res
          .status(error.status)
          .json({ success: false, error: error.message, ...(error.errors ? { errors: error.errors } : {}) });
        return;
      }
      context.logger.error({ err: error }, 'postback failed');
      // Nothing is half done: the network retries and the txid keeps the retry from counting twice.
      res.status(503).set('Retry-After', '5').json({ success: false, error: 'could not record the conversion; retry later' });
    });
  });
  return router;
}

/** Query and body parameters as one flat record; the body wins, the first of repeated values counts. */
function parametersOf(req: Request): Record<string, unknown> {
  const flat = (record: unknown) =>
    Object.fromEntries(
      Object.entries(typeof record === 'object' && record !== null ? record : {}).map(([key, value]) => [
        key,
        Array.isArray(value) ? value[0] : typeof value === 'number' ? String(value) : value,
      ]),
    );
  return { ...flat(req.query), ...(req.method === 'POST' ? flat(req.body) : {}) };
}

function postbackKeyOf(req: Request, params: Record<string, unknown>): string | undefined {
  if (typeof params.key === 'string' && params.key !== '') return params.key;
  const header = req.get('x-postback-key');
  if (header) return header.trim();
  const authorization = req.get('authorization');
  return authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
}

async function handle(context: LinkContext, req: Request, res: Response): Promise<void> {
  const { store } = context;
  const input = parametersOf(req);
  const key = postbackKeyOf(req, input);
  if (!key)
    throw new PostbackError(401, 'missing postback key: send it as ?key=, a key field in the body, or an X-Postback-Key header');
  const sourceId = sourceForPostbackKey(await store.links.listPostbackKeys(), key);
  if (!sourceId) throw new PostbackError(401, 'invalid postback key');

  const checked = parsePostbackParams(input);
  if (!checked.ok) throw new PostbackError(400, checked.errors.join('; '), checked.errors);
  const params = checked.params;
  const requested = await store.links.getClick(params.clickId);
  // Another source's click is as unknown as a made-up one: a key must not reveal other sources' clicks.
  if (!requested || requested.sourceId !== sourceId) {
    throw new PostbackError(
      404,
      `unknown click_id ${JSON.stringify(params.clickId)}: no click on this source's smart links has this id`,
    );
  }
  const requestedLink = (await store.links.getLink(requested.linkId))!;

  const now = new Date();
  const window = conversionWindow(requested.createdAt, now, requestedLink.conversionWindowDays);
  const recorded = await store.links.recordConversion({
    clickId: requested.id,
    txid: params.txid ?? `${GENERATED_TXID_PREFIX}${randomUUID()}`,
    kind: params.kind,
    value: params.value,
    // A value without a currency takes the link's, when it has one.
    currency: params.currency ?? (params.value !== null ? requestedLink.currency : null),
    withinWindow: window.within,
    receivedAt: now.toISOString(),
  });
  // A repeated txid is the first conversion again: it decides the click, kind and window.
  const { conversion, duplicate, history } = recorded;
  const click = conversion.clickId === requested.id ? requested : (await store.links.getClick(conversion.clickId))!;
  const link = click.linkId === requestedLink.id ? requestedLink : (await store.links.getLink(click.linkId))!;
  const late = conversion.withinWindow
    ? undefined
    : conversionWindow(click.createdAt, new Date(conversion.receivedAt), link.conversionWindowDays).reason;
  const windowSkip = late === undefined ? undefined : { code: 'outside_conversion_window' as const, detail: late };

  const planned = conversionEvents(
    { kind: conversion.kind, txid: conversion.txid, clickId: click.id, history },
    link.events as LinkEventMap,
  );
  const consent = clickConsent(click, context.consent);
  const extras = { userId: params.userId, traits: params.traits, txidGiven: !conversion.txid.startsWith(GENERATED_TXID_PREFIX) };
  // Stored again for a duplicate too: if the first try failed after recording, this completes it;
  // otherwise the message ids are already stored and nothing new is sent.
  const events = await submitLinkMessages(
    context,
    link,
    planned.map((event) => ({
      message: conversionMessage(link, click, conversion, event, extras, consent, new Date(conversion.receivedAt)),
      skip: skipReasonFor(event.linkEvent, event.snapchatEvent, windowSkip),
    })),
  );

  // The answer says what happens to each event: an id stored before is sent no more than it was.
  const allStoredBefore = events.every((event) => event.duplicate);
  res.json({
    success: true,
    duplicate,
    ...(duplicate ? { note: duplicateNote(allStoredBefore) } : {}),
    conversion: conversionJson(conversion),
    events: planned.map((event, index) => {
      const submitted = events[index]!;
      return {
        event: event.linkEvent,
        name: event.name,
        snapchat_event: event.snapchatEvent,
        message_id: event.messageId,
        ...(submitted.duplicate ? { duplicate: true } : { deliveries: deliveriesJson(submitted.event) }),
      };
    }),
  });
}

function duplicateNote(allStoredBefore: boolean): string {
  return allStoredBefore
    ? 'this txid was already recorded: the conversion counts once and nothing is sent again'
    : 'this txid was already recorded: the conversion counts once; its events an earlier try left unstored are stored now';
}

function deliveriesJson(event: NewEvent) {
  return event.deliveries.map((delivery) => ({
    integration_id: delivery.integrationId,
    status: delivery.status,
    reason_code: delivery.reasonCode ?? null,
    reason: delivery.reason ?? null,
  }));
}
