import express, { type Router } from 'express';
import type { Source, SourceChanges, Store } from '@datafirst/store';
import type { Logger } from 'pino';
import { renderSnippet } from '../demo/shop.js';
import type { SourceDirectory } from '../source-directory.js';
import { checkName, knownFields, objectBody, throwIfAny } from './admin-input.js';
import { adminRoute } from './admin-route.js';
import { maskSecret } from './mask.js';

export interface SourceRoutesOptions {
  store: Store;
  directory: SourceDirectory;
  /** The tag's public URL, for the snippet shown with a new write key. */
  tagSrc: string;
  logger?: Logger;
}

const HOUR_S = 60 * 60;
/** How long a rotated-out write key keeps working unless told otherwise: a day to update every page. */
export const DEFAULT_GRACE_S = 24 * HOUR_S;
const MAX_GRACE_S = 30 * 24 * HOUR_S;

/** A source as the API shows it: the write key masked, with its number of integrations. */
function sourceJson(source: Source, integrations: number) {
  return {
    id: source.id,
    name: source.name,
    write_key: maskSecret(source.writeKey),
    previous_key_expires_at: source.previousKeyExpiresAt ?? null,
    allowed_origins: source.allowedOrigins,
    rate_limit_rps: source.rateLimitRps,
    server_side: source.serverSide,
    integrations,
    created_at: source.createdAt,
  };
}

const MAX_ALLOWED_ORIGINS = 50;
const MAX_RATE_LIMIT_RPS = 100_000;

/** `allowed_origins`: a list of origins as browsers send them (`https://shop.example`, no path), or errors. */
function checkOrigins(value: unknown, errors: string[]): string[] {
  const problem = 'allowed_origins: a list of origins such as "https://shop.example" (scheme, host and port only)';
  if (!Array.isArray(value) || value.length > MAX_ALLOWED_ORIGINS) {
    errors.push(`${problem}, at most ${MAX_ALLOWED_ORIGINS}`);
    return [];
  }
  const origins: string[] = [];
  for (const item of value) {
    let origin: string | undefined;
    try {
      const url = new URL(String(item));
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === item) origin = url.origin;
    } catch {
      origin = undefined;
    }
    if (origin === undefined) {
      errors.push(`${problem}; ${JSON.stringify(item)} is not one`);
      return [];
    }
    origins.push(origin);
  }
  return [...new Set(origins)];
}

/** `rate_limit_rps`: requests a second above 0, or null for no limit; else an error. */
function checkRate(value: unknown, errors: string[]): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_RATE_LIMIT_RPS) {
    errors.push(`rate_limit_rps: requests a second, above 0 and at most ${MAX_RATE_LIMIT_RPS}, or null for no limit`);
    return null;
  }
  return value;
}

/** Sources: create, list, read, rename, rotate the write key, delete. */
export function sourceRoutes(options: SourceRoutesOptions): Router {
  const { store, directory } = options;
  const router = express.Router();
  const route = (handler: Parameters<typeof adminRoute>[0]) => adminRoute(handler);
  const withCount = async (source: Source) => sourceJson(source, (await store.listIntegrations(source.id)).length);

  router.get(
    '/sources',
    route(async (_req, res) => {
      const [sources, integrations] = await Promise.all([store.listSources(), store.listIntegrations()]);
      const count = (id: string) => integrations.filter((integration) => integration.sourceId === id).length;
      res.json({ sources: sources.map((source) => sourceJson(source, count(source.id))) });
    }),
  );

  router.post(
    '/sources',
    route(async (req, res) => {
      const body = objectBody(req.body);
      const errors = knownFields(body, ['name']);
      const name = checkName(body.name ?? 'Website', errors);
      throwIfAny(errors);
      const source = await store.createSource({ name });
      directory.invalidate();
      // The only answer that shows the write key (and the snippet carrying it): afterwards it is masked.
      res
        .status(201)
        .json({ ...sourceJson(source, 0), write_key: source.writeKey, snippet: renderSnippet(source.writeKey, options.tagSrc) });
    }),
  );

  router.get(
    '/sources/:id',
    route(async (req, res) => {
      const source = await store.getSource(String(req.params.id));
      if (!source) return void res.status(404).json({ error: 'no such source' });
      res.json(await withCount(source));
    }),
  );

  router.patch(
    '/sources/:id',
    route(async (req, res) => {
      const body = objectBody(req.body);
      const errors = knownFields(
        body,
        ['name', 'allowed_origins', 'rate_limit_rps', 'server_side'],
        ['id', 'write_key', 'created_at'],
      );
      const changes: SourceChanges = {};
      if (body.name !== undefined) changes.name = checkName(body.name, errors);
      if (body.allowed_origins !== undefined) changes.allowedOrigins = checkOrigins(body.allowed_origins, errors);
      if (body.rate_limit_rps !== undefined) changes.rateLimitRps = checkRate(body.rate_limit_rps, errors);
      if (body.server_side !== undefined) {
        if (typeof body.server_side === 'boolean') changes.serverSide = body.server_side;
        else errors.push('server_side: true for a source whose write key stays on servers, false for a browser source');
      }
      if (Object.keys(changes).length === 0 && errors.length === 0) {
        errors.push('name, allowed_origins, rate_limit_rps or server_side: give at least one to change');
      }
      throwIfAny(errors);
      const source = await store.admin.updateSource(String(req.params.id), changes);
      if (!source) return void res.status(404).json({ error: 'no such source' });
      directory.invalidate();
      res.json(await withCount(source));
    }),
  );

  router.post(
    '/sources/:id/rotate-key',
    route(async (req, res) => {
      const body = objectBody(req.body);
      const errors = knownFields(body, ['grace_seconds']);
      const grace = body.grace_seconds ?? DEFAULT_GRACE_S;
      if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_S) {
        errors.push(`grace_seconds: an integer from 0 (the old key stops at once) to ${MAX_GRACE_S} (30 days)`);
      }
      throwIfAny(errors);
      const source = await store.admin.rotateWriteKey(String(req.params.id), (grace as number) * 1000);
      if (!source) return void res.status(404).json({ error: 'no such source' });
      directory.invalidate();
      // The new key is shown this once, like at creation.
      res.json({
        ...(await withCount(source)),
        write_key: source.writeKey,
        snippet: renderSnippet(source.writeKey, options.tagSrc),
      });
    }),
  );

  router.delete(
    '/sources/:id',
    route(async (req, res) => {
      const deleted = await store.admin.deleteSource(String(req.params.id));
      directory.invalidate();
      if (!deleted) return void res.status(404).json({ error: 'no such source' });
      res.status(204).end();
    }),
  );

  return router;
}
