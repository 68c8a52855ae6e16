import express, { type Request, type Response, type Router } from 'express';
import { validateSnapchatConfig, type SnapchatClient, type SnapchatConfig } from '@datafirst/snapchat';
import type { DeliveryStatus, EventRecord, Integration, Source, Store } from '@datafirst/store';
import type { SourceDirectory } from '../source-directory.js';
import { requireAdminToken } from './admin-auth.js';
import { maskConfig, maskSecret } from './mask.js';
import { sampleTestMessage } from './sample-test-message.js';
import { toSnapEvent } from '@datafirst/snapchat';
import { validateMessage, type EnrichedMessage } from '@datafirst/protocol';

export interface AdminOptions {
  store: Store;
  directory: SourceDirectory;
  adminToken: string;
  snapchat: SnapchatClient;
}

const STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'skipped', 'failed', 'blocked', 'dead'];

class BadRequest extends Error {}

/** The management API: sources, integrations, recent events, test events. Bearer admin token. */
export function adminRouter(options: AdminOptions): Router {
  const { store, directory } = options;
  const router = express.Router();
  router.use(requireAdminToken(options.adminToken));
  router.use(express.json({ limit: '1mb' }));

  const route = (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => {
    handler(req, res).catch((error: unknown) => {
      if (error instanceof BadRequest) res.status(400).json({ error: error.message });
      else res.status(500).json({ error: 'internal error' });
    });
  };

  router.post(
    '/sources',
    route(async (req, res) => {
      const name = req.body?.name ?? 'Website';
      if (typeof name !== 'string' || name.trim() === '' || name.length > 200) throw new BadRequest('name: a non-empty string of at most 200 characters');
      const source = await store.createSource({ name: name.trim() });
      directory.invalidate();
      // The write key is shown once, at creation; afterwards it is masked.
      res.status(201).json({ ...sourceJson(source), write_key: source.writeKey });
    }),
  );

  router.get(
    '/sources',
    route(async (_req, res) => {
      res.json({ sources: (await store.listSources()).map(sourceJson) });
    }),
  );

  router.post(
    '/integrations',
    route(async (req, res) => {
      const body = req.body ?? {};
      const source = typeof body.source_id === 'string' ? await store.getSource(body.source_id) : undefined;
      if (!source) throw new BadRequest('source_id: no such source');
      if (body.vendor !== 'snapchat') throw new BadRequest('vendor: must be "snapchat"');
      const config = checkConfig(body.config);
      const integration = await store.createIntegration({
        sourceId: source.id,
        vendor: 'snapchat',
        name: checkName(body.name ?? 'Snapchat'),
        enabled: checkEnabled(body.enabled ?? true),
        config: config as unknown as Record<string, unknown>,
        consentCategories: checkCategories(body.consent_categories ?? ['advertising']),
      });
      directory.invalidate();
      res.status(201).json(integrationJson(integration));
    }),
  );

  router.get(
    '/integrations',
    route(async (req, res) => {
      const sourceId = typeof req.query.source_id === 'string' ? req.query.source_id : undefined;
      res.json({ integrations: (await store.listIntegrations(sourceId)).map(integrationJson) });
    }),
  );

  router.get(
    '/integrations/:id',
    route(async (req, res) => {
      const integration = await store.getIntegration(String(req.params.id));
      if (!integration) return void res.status(404).json({ error: 'no such integration' });
      res.json(integrationJson(integration));
    }),
  );

  router.patch(
    '/integrations/:id',
    route(async (req, res) => {
      const current = await store.getIntegration(String(req.params.id));
      if (!current) return void res.status(404).json({ error: 'no such integration' });
      const body = req.body ?? {};
      // A config patch merges into the current one, so the write-only token need not be resent.
      const config = body.config === undefined ? undefined : checkConfig({ ...current.config, ...body.config });
      const updated = await store.updateIntegration(current.id, {
        name: body.name === undefined ? undefined : checkName(body.name),
        enabled: body.enabled === undefined ? undefined : checkEnabled(body.enabled),
        config: config as unknown as Record<string, unknown> | undefined,
        consentCategories: body.consent_categories === undefined ? undefined : checkCategories(body.consent_categories),
      });
      // New credentials may cure a pause: requeue what was parked, the worker tries again.
      const credentialsChanged =
        config && (config.access_token !== current.config.access_token || config.pixel_id !== current.config.pixel_id);
      if (credentialsChanged || (current.pausedReason && body.resume === true)) await store.resumeIntegration(current.id);
      directory.invalidate();
      res.json(integrationJson((await store.getIntegration(current.id))!));
    }),
  );

  router.delete(
    '/integrations/:id',
    route(async (req, res) => {
      const deleted = await store.deleteIntegration(String(req.params.id));
      directory.invalidate();
      res.status(deleted ? 204 : 404).end();
    }),
  );

  router.post(
    '/integrations/:id/test',
    route(async (req, res) => {
      const integration = await store.getIntegration(String(req.params.id));
      if (!integration) return void res.status(404).json({ error: 'no such integration' });
      const config = integration.config as unknown as SnapchatConfig;
      const message = testMessage(req.body?.message);
      const built = toSnapEvent(message, config, { testEventCode: optionalString(req.body?.test_event_code) });
      if (!built.ok) throw new BadRequest(`the test event cannot be sent: ${built.reason}: ${built.detail}`);
      const sent = await options.snapchat.validate(config, [built.event], optionalString(req.body?.test_event_code));
      res.json({
        request: { url: sent.url, body: JSON.parse(sent.body) },
        response: { status: sent.status ?? null, body: parseMaybe(sent.responseBody) },
        outcome: sent.outcome,
      });
    }),
  );

  router.post(
    '/deliveries/replay',
    route(async (req, res) => {
      const body = req.body ?? {};
      const time = (value: unknown, name: string) => {
        if (value === undefined) return undefined;
        const ms = typeof value === 'string' ? Date.parse(value) : NaN;
        if (Number.isNaN(ms)) throw new BadRequest(`${name}: an ISO 8601 date-time`);
        return ms;
      };
      const replayed = await store.replayDeadLetters({
        integrationId: optionalString(body.integration_id),
        from: time(body.from, 'from'),
        to: time(body.to, 'to'),
        reason: optionalString(body.reason),
      });
      res.json({ replayed });
    }),
  );

  router.get(
    '/events',
    route(async (req, res) => {
      const q = req.query;
      const status = typeof q.status === 'string' ? q.status : undefined;
      if (status && !STATUSES.includes(status as DeliveryStatus)) throw new BadRequest(`status: one of ${STATUSES.join(', ')}`);
      const limit = q.limit === undefined ? 50 : Number(q.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new BadRequest('limit: an integer from 1 to 500');
      const afterId = q.after_id === undefined ? undefined : Number(q.after_id);
      const events = await store.listEvents({
        sourceId: typeof q.source_id === 'string' ? q.source_id : undefined,
        integrationId: typeof q.integration_id === 'string' ? q.integration_id : undefined,
        name: typeof q.name === 'string' ? q.name : undefined,
        status: status as DeliveryStatus | undefined,
        afterId: Number.isInteger(afterId) ? afterId : undefined,
        limit,
      });
      res.json({ events: events.map(eventJson) });
    }),
  );

  return router;
}

function checkConfig(input: unknown): SnapchatConfig {
  const result = validateSnapchatConfig(input);
  if (!result.ok) throw new BadRequest(`config: ${result.errors.join('; ')}`);
  return result.config;
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200) throw new BadRequest('name: a non-empty string of at most 200 characters');
  return name.trim();
}

function checkEnabled(enabled: unknown): boolean {
  if (typeof enabled !== 'boolean') throw new BadRequest('enabled: true or false');
  return enabled;
}

function checkCategories(categories: unknown): string[] {
  if (!Array.isArray(categories) || !categories.every((c) => typeof c === 'string' && /^[a-z_]{1,50}$/.test(c))) {
    throw new BadRequest('consent_categories: an array of category names such as ["advertising"]');
  }
  return categories;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseMaybe(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function testMessage(input: unknown): EnrichedMessage {
  if (input === undefined) return sampleTestMessage(new Date());
  const result = validateMessage(input);
  if (!result.ok) throw new BadRequest(`message: ${result.errors.join('; ')}`);
  const now = new Date().toISOString();
  const message = result.message;
  return {
    ...message,
    messageId: message.messageId ?? `test-${crypto.randomUUID()}`,
    timestamp: message.timestamp ?? now,
    receivedAt: now,
    context: message.context ?? {},
  };
}

function sourceJson(source: Source) {
  return { id: source.id, name: source.name, write_key: maskSecret(source.writeKey), created_at: source.createdAt };
}

function integrationJson(integration: Integration) {
  return {
    id: integration.id,
    source_id: integration.sourceId,
    vendor: integration.vendor,
    name: integration.name,
    enabled: integration.enabled,
    config: maskConfig(integration.config),
    consent_categories: integration.consentCategories,
    paused_reason: integration.pausedReason,
    created_at: integration.createdAt,
    updated_at: integration.updatedAt,
  };
}

function eventJson(record: EventRecord) {
  return {
    id: record.id,
    source_id: record.sourceId,
    message: record.message,
    deliveries: record.deliveries.map((d) => ({
      id: d.id,
      integration_id: d.integrationId,
      integration_name: d.integrationName,
      status: d.status,
      attempts: d.attempts,
      reason: d.reason,
      next_attempt_at: d.status === 'pending' ? new Date(d.nextAttemptAt).toISOString() : null,
      payload: d.payload,
      response: d.response,
      history: d.history,
      updated_at: d.updatedAt,
    })),
  };
}
