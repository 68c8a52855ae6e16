import express, { type Router } from 'express';
import { curedReasonCodes, secretKeys, type AnyDestination, type DestinationRegistry } from '@datafirst/destination';
import { validateMessage, type EnrichedMessage } from '@datafirst/protocol';
import type { Integration, Store } from '@datafirst/store';
import type { Logger } from 'pino';
import type { SourceDirectory } from '../source-directory.js';
import {
  BadRequest,
  checkCategories,
  checkDestinationConfig,
  checkEnabled,
  checkName,
  knownFields,
  objectBody,
  queryString,
  throwIfAny,
} from './admin-input.js';
import { adminRoute } from './admin-route.js';
import { maskConfig, maskSecret } from './mask.js';

export interface IntegrationRoutesOptions {
  store: Store;
  directory: SourceDirectory;
  destinations: DestinationRegistry;
  logger?: Logger;
}

const CREATE_FIELDS = ['source_id', 'vendor', 'name', 'enabled', 'config', 'consent_categories'];
// `resume` asks a paused integration to try again with unchanged credentials.
const PATCH_FIELDS = ['name', 'enabled', 'config', 'consent_categories', 'resume'];

/** An integration as the API shows it: the secrets its destination declares, masked. */
export function integrationJson(integration: Integration, destinations: DestinationRegistry) {
  const destination = destinations.get(integration.vendor);
  return {
    id: integration.id,
    source_id: integration.sourceId,
    vendor: integration.vendor,
    name: integration.name,
    enabled: integration.enabled,
    config: maskConfig(integration.config, destination ? secretKeys(destination.fields) : Object.keys(integration.config)),
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
function mergeConfig(destination: AnyDestination, current: Record<string, unknown>, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const merged: Record<string, unknown> = { ...current, ...patch };
  for (const key of secretKeys(destination.fields)) {
    const given = (patch as Record<string, unknown>)[key];
    if (typeof given === 'string' && given === maskSecret(current[key])) merged[key] = current[key];
  }
  return merged;
}

/**
 * Integrations: create, list, read, update (enable, disable, map events and fields…), delete,
 * preview the payload of a recent event, send a test event.
 */
export function integrationRoutes(options: IntegrationRoutesOptions): Router {
  const { store, directory, destinations } = options;
  const router = express.Router();
  const route = (handler: Parameters<typeof adminRoute>[0]) => adminRoute(handler);
  const json = (integration: Integration) => integrationJson(integration, destinations);
  const destinationOf = (integration: Integration): AnyDestination => {
    const destination = destinations.get(integration.vendor);
    if (!destination) throw new BadRequest([`vendor: "${integration.vendor}" is not a destination this deployment has`]);
    return destination;
  };

  router.post(
    '/integrations',
    route(async (req, res) => {
      const body = objectBody(req.body);
      const errors = knownFields(body, CREATE_FIELDS);
      const source = typeof body.source_id === 'string' ? await store.getSource(body.source_id) : undefined;
      if (!source) errors.push(typeof body.source_id === 'string' ? 'source_id: no such source' : 'source_id: required');
      const vendor = body.vendor ?? destinations.vendors()[0];
      const destination = typeof vendor === 'string' ? destinations.get(vendor) : undefined;
      if (!destination) errors.push(vendorError(destinations));
      const name = checkName(body.name ?? destination?.name ?? '', errors);
      const enabled = checkEnabled(body.enabled ?? true, errors);
      const config = destination ? checkDestinationConfig(destination, body.config, errors) : undefined;
      const consentCategories = checkCategories(body.consent_categories ?? ['advertising'], errors);
      throwIfAny(errors);
      const integration = await store.createIntegration({
        sourceId: source!.id,
        vendor: destination!.vendor,
        name,
        enabled,
        config: config!,
        consentCategories,
      });
      directory.invalidate();
      res.status(201).json(json(integration));
    }),
  );

  router.get(
    '/integrations',
    route(async (req, res) => {
      res.json({ integrations: (await store.listIntegrations(queryString(req.query.source_id))).map(json) });
    }),
  );

  router.get(
    '/integrations/:id',
    route(async (req, res) => {
      const integration = await store.getIntegration(String(req.params.id));
      if (!integration) return void res.status(404).json({ error: 'no such integration' });
      res.json(json(integration));
    }),
  );

  router.patch(
    '/integrations/:id',
    route(async (req, res) => {
      const current = await store.getIntegration(String(req.params.id));
      if (!current) return void res.status(404).json({ error: 'no such integration' });
      const destination = destinationOf(current);
      const body = objectBody(req.body);
      const errors = knownFields(body, PATCH_FIELDS, ['id', 'source_id', 'vendor', 'created_at', 'updated_at', 'paused_reason']);
      const name = body.name === undefined ? undefined : checkName(body.name, errors);
      const enabled = body.enabled === undefined ? undefined : checkEnabled(body.enabled, errors);
      // A config patch merges into the current one (top-level keys; event_map is replaced whole),
      // so the write-only token need not be resent; `null` clears an optional setting.
      const config =
        body.config === undefined
          ? undefined
          : checkDestinationConfig(destination, mergeConfig(destination, current.config, body.config), errors);
      const consentCategories =
        body.consent_categories === undefined ? undefined : checkCategories(body.consent_categories, errors);
      if (body.resume !== undefined && typeof body.resume !== 'boolean') errors.push('resume: true or false');
      throwIfAny(errors);
      await store.updateIntegration(current.id, { name, enabled, config, consentCategories });
      // A changed setting may cure what was parked for want of it: requeue that, the worker tries
      // again. New credentials also lift the pause (so does `resume`, with unchanged ones).
      const cured = config === undefined ? [] : curedReasonCodes(destination.fields, current.config, config);
      if (cured.includes('credentials_refused') || (current.pausedReason && body.resume === true)) {
        await store.resumeIntegration(current.id);
      }
      const parked = cured.filter((code) => code !== 'credentials_refused');
      if (parked.length > 0) await store.requeueParked(current.id, parked);
      directory.invalidate();
      res.json(json((await store.getIntegration(current.id))!));
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
    '/integrations/:id/preview',
    route(async (req, res) => {
      const integration = await store.getIntegration(String(req.params.id));
      if (!integration) return void res.status(404).json({ error: 'no such integration' });
      const destination = destinationOf(integration);
      const body = objectBody(req.body);
      const errors = knownFields(body, ['event', 'config']);
      if (body.event !== undefined && (typeof body.event !== 'string' || body.event === ''))
        errors.push('event: an event name, such as Order Completed');
      // An unsaved config (the editor's current state) merges into the saved one, as PATCH would.
      const config =
        body.config === undefined
          ? integration.config
          : checkDestinationConfig(destination, mergeConfig(destination, integration.config, body.config), errors);
      throwIfAny(errors);
      const name = queryString(body.event);
      const [recent] = await store.listEvents({ sourceId: integration.sourceId, name, limit: 1 });
      if (!recent) {
        return void res.json({ event: name ?? null, message: null, payload: null, reason: 'no event of that name yet' });
      }
      // With the traits earlier identify calls gave the person, as the worker builds it.
      const { userId, anonymousId } = recent.message;
      const profileTraits = await store.getProfileTraits(integration.sourceId, userId, anonymousId);
      const built = destination.build(recent.message, config!, { now: new Date(), profileTraits });
      res.json({
        event: name ?? null,
        message: recent.message,
        payload: built.ok ? (built.event as unknown) : null,
        reason_code: built.ok ? null : built.code,
        reason: built.ok ? null : built.detail,
      });
    }),
  );

  router.post(
    '/integrations/:id/test',
    route(async (req, res) => {
      const integration = await store.getIntegration(String(req.params.id));
      if (!integration) return void res.status(404).json({ error: 'no such integration' });
      const destination = destinationOf(integration);
      const body = objectBody(req.body);
      throwIfAny(knownFields(body, ['message', 'test_event_code']));
      if (body.test_event_code !== undefined && typeof body.test_event_code !== 'string') {
        throw new BadRequest(['test_event_code: a string (from Events Manager → Test Events)']);
      }
      if (!destination.validate) throw new BadRequest([`${destination.name} has no endpoint for test events`]);
      const testEventCode = queryString(body.test_event_code);
      const now = new Date();
      const message = body.message === undefined ? destination.sampleMessage(now, integration.config) : testMessage(body.message);
      const built = destination.build(message, integration.config, { now, testEventCode });
      if (!built.ok) throw new BadRequest([`message: the test event cannot be sent: ${built.detail}`]);
      // The validation endpoint checks the event and shows it as a test event, uncounted.
      const sent = await destination.validate(integration.config, [built.event], testEventCode);
      res.json({ request: sent.request, response: sent.response, outcome: sent.outcome, duration_ms: sent.durationMs });
    }),
  );

  return router;
}

function vendorError(destinations: DestinationRegistry): string {
  const vendors = destinations.vendors().map((vendor) => `"${vendor}"`);
  return vendors.length === 1
    ? `vendor: must be ${vendors[0]} (the only destination so far)`
    : `vendor: one of ${vendors.join(', ')}`;
}

function testMessage(input: unknown): EnrichedMessage {
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
