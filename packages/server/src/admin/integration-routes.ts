import express, { type Router } from 'express';
import { validateMessage, type EnrichedMessage } from '@datafirst/protocol';
import { toSnapEvent, type SnapchatClient, type SnapchatConfig } from '@datafirst/snapchat';
import type { Integration, Store } from '@datafirst/store';
import type { Logger } from 'pino';
import type { SourceDirectory } from '../source-directory.js';
import {
  BadRequest,
  checkCategories,
  checkEnabled,
  checkName,
  checkSnapchatConfig,
  knownFields,
  objectBody,
  queryString,
  throwIfAny,
} from './admin-input.js';
import { adminRoute } from './admin-route.js';
import { maskConfig, maskSecret, SECRET_CONFIG_KEYS } from './mask.js';
import { sampleTestMessage } from './sample-test-message.js';
import { describeExchange } from '../snapchat-exchange.js';

export interface IntegrationRoutesOptions {
  store: Store;
  directory: SourceDirectory;
  snapchat: SnapchatClient;
  logger?: Logger;
}

const CREATE_FIELDS = ['source_id', 'vendor', 'name', 'enabled', 'config', 'consent_categories'];
// `resume` asks a paused integration to try again with unchanged credentials.
const PATCH_FIELDS = ['name', 'enabled', 'config', 'consent_categories', 'resume'];

/** An integration as the API shows it: secrets masked. */
export function integrationJson(integration: Integration) {
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

/**
 * A config patch merged into the current config. A secret sent back exactly as the API showed
 * it (masked) means "unchanged", so a read-modify-write round trip keeps the real token.
 */
function mergeConfig(current: Record<string, unknown>, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const merged: Record<string, unknown> = { ...current, ...patch };
  for (const key of SECRET_CONFIG_KEYS) {
    const given = (patch as Record<string, unknown>)[key];
    if (typeof given === 'string' && given === maskSecret(current[key])) merged[key] = current[key];
  }
  return merged;
}

/** Integrations: create, list, read, update (enable, disable, map events…), delete, send a test event. */
export function integrationRoutes(options: IntegrationRoutesOptions): Router {
  const { store, directory, logger } = options;
  const router = express.Router();
  const route = (handler: Parameters<typeof adminRoute>[0]) => adminRoute(handler, logger);

  router.post(
    '/integrations',
    route(async (req, res) => {
      const body = objectBody(req.body);
      const errors = knownFields(body, CREATE_FIELDS);
      const source = typeof body.source_id === 'string' ? await store.getSource(body.source_id) : undefined;
      if (!source) errors.push(typeof body.source_id === 'string' ? 'source_id: no such source' : 'source_id: required');
      if (body.vendor !== undefined && body.vendor !== 'snapchat')
        errors.push('vendor: must be "snapchat" (the only destination so far)');
      const name = checkName(body.name ?? 'Snapchat', errors);
      const enabled = checkEnabled(body.enabled ?? true, errors);
      const config = checkSnapchatConfig(body.config, errors);
      const consentCategories = checkCategories(body.consent_categories ?? ['advertising'], errors);
      throwIfAny(errors);
      const integration = await store.createIntegration({
        sourceId: source!.id,
        vendor: 'snapchat',
        name,
        enabled,
        config: config as unknown as Record<string, unknown>,
        consentCategories,
      });
      directory.invalidate();
      res.status(201).json(integrationJson(integration));
    }),
  );

  router.get(
    '/integrations',
    route(async (req, res) => {
      res.json({ integrations: (await store.listIntegrations(queryString(req.query.source_id))).map(integrationJson) });
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
      const body = objectBody(req.body);
      const errors = knownFields(body, PATCH_FIELDS, ['id', 'source_id', 'vendor', 'created_at', 'updated_at', 'paused_reason']);
      const name = body.name === undefined ? undefined : checkName(body.name, errors);
      const enabled = body.enabled === undefined ? undefined : checkEnabled(body.enabled, errors);
      // A config patch merges into the current one (top-level keys; event_map is replaced whole),
      // so the write-only token need not be resent; `null` clears an optional setting.
      const config =
        body.config === undefined ? undefined : checkSnapchatConfig(mergeConfig(current.config, body.config), errors);
      const consentCategories =
        body.consent_categories === undefined ? undefined : checkCategories(body.consent_categories, errors);
      if (body.resume !== undefined && typeof body.resume !== 'boolean') errors.push('resume: true or false');
      throwIfAny(errors);
      await store.updateIntegration(current.id, {
        name,
        enabled,
        config: config as unknown as Record<string, unknown> | undefined,
        consentCategories,
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
      if (!deleted) return void res.status(404).json({ error: 'no such integration' });
      res.status(204).end();
    }),
  );

  router.post(
    '/integrations/:id/test',
    route(async (req, res) => {
      const integration = await store.getIntegration(String(req.params.id));
      if (!integration) return void res.status(404).json({ error: 'no such integration' });
      const body = objectBody(req.body);
      throwIfAny(knownFields(body, ['message', 'test_event_code']));
      if (body.test_event_code !== undefined && typeof body.test_event_code !== 'string') {
        throw new BadRequest(['test_event_code: a string (from Events Manager → Test Events)']);
      }
      const testEventCode = queryString(body.test_event_code);
      const config = integration.config as unknown as SnapchatConfig;
      const message = testMessage(body.message, config);
      const built = toSnapEvent(message, config, { testEventCode });
      if (!built.ok) throw new BadRequest([`message: the test event cannot be sent: ${built.reason}: ${built.detail}`]);
      // Snapchat's validation endpoint checks the event and shows it as a test event, uncounted.
      const sent = await options.snapchat.validate(config, [built.event], testEventCode);
      res.json({
        ...describeExchange(sent),
        duration_ms: sent.durationMs,
      });
    }),
  );

  return router;
}

function testMessage(input: unknown, config: SnapchatConfig): EnrichedMessage {
  if (input === undefined) return sampleTestMessage(new Date(), config);
  const result = validateMessage(input);
  if (!result.ok) throw new BadRequest(result.errors.map((error) => `message.${error}`));
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
