import express, { type Request, type Response, type Router } from 'express';
import type { Link } from '@datafirst/store';
import { BadRequest } from '../admin/admin-input.js';
import { adminRoute } from '../admin/admin-route.js';
import { clickJson, conversionJson, statsJson, summarizeClick } from './attribution.js';
import type { LinkEventMap } from './conversion-events.js';
import { checkLinkSettings } from './link-settings.js';
import type { LinkContext } from './link-context.js';
import { sendLinkTestEvent } from './link-test-event.js';
import { maskedPostbackKey, newPostbackKey } from './postback-key.js';

export type LinkAdminOptions = LinkContext;

const refuse = (error: string) => new BadRequest([error]);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The admin API of smart links (`/links…`) and of postback keys (`/sources/:id/postback-key`),
 * mounted by the admin router under `/v1/admin`, behind its authentication and JSON body parser.
 */
export function linkAdminRouter(options: LinkAdminOptions): Router {
  const { store } = options;
  const router = express.Router();
  const route = (handler: (req: Request, res: Response) => Promise<void>) => adminRoute(handler);
  const findLink = async (req: Request, res: Response): Promise<Link | undefined> => {
    const link = await store.links.getLink(String(req.params.id));
    if (!link) res.status(404).json({ error: 'no such link' });
    return link;
  };

  router.post(
    '/links',
    route(async (req, res) => {
      const checked = checkLinkSettings(req.body ?? {}, 'create');
      if (!checked.ok) throw new BadRequest(checked.errors);
      const { sourceId: givenSource, ...settings } = checked.settings;
      const integrations = await checkIntegrations(settings.integrationIds ?? []);
      const sourceId = givenSource ?? integrations[0]?.sourceId;
      if (!sourceId) throw refuse('source_id: required when the link has no integrations');
      if (!(await store.getSource(sourceId))) throw refuse(`source_id: no such source ${sourceId}`);
      const link = await store.links.createLink({
        sourceId,
        name: settings.name!,
        destinationUrl: settings.destinationUrl!,
        offerType: settings.offerType!,
        integrationIds: settings.integrationIds!,
        includeSourceIntegrations: settings.includeSourceIntegrations!,
        clickIdParam: settings.clickIdParam!,
        conversionWindowDays: settings.conversionWindowDays!,
        events: settings.events!,
        currency: settings.currency ?? null,
      });
      res.status(201).json(linkJson(link, options.publicUrl));
    }),
  );

  router.get(
    '/links',
    route(async (req, res) => {
      const sourceId = typeof req.query.source_id === 'string' ? req.query.source_id : undefined;
      const base = options.publicUrl;
      const links = await store.links.listLinks(sourceId);
      const withTotals = await Promise.all(
        links.map(async (link) => ({
          ...linkJson(link, base),
          totals: statsJson(link.id, await store.links.linkStats(link.id), {}).totals,
        })),
      );
      res.json({ links: withTotals });
    }),
  );

  router.get(
    '/links/:id',
    route(async (req, res) => {
      const link = await findLink(req, res);
      if (link) res.json(linkJson(link, options.publicUrl));
    }),
  );

  router.patch(
    '/links/:id',
    route(async (req, res) => {
      const current = await findLink(req, res);
      if (!current) return;
      const checked = checkLinkSettings(req.body ?? {}, 'patch', current.events as LinkEventMap);
      if (!checked.ok) throw new BadRequest(checked.errors);
      if (checked.settings.integrationIds) await checkIntegrations(checked.settings.integrationIds);
      const updated = await store.links.updateLink(current.id, checked.settings);
      res.json(linkJson(updated!, options.publicUrl));
    }),
  );

  // Archiving, not deleting: the link stops redirecting, but conversions of its earlier clicks
  // still arrive for weeks and must still count and be sent.
  router.delete(
    '/links/:id',
    route(async (req, res) => {
      const link = await findLink(req, res);
      if (!link) return;
      await store.links.updateLink(link.id, { archived: true });
      res.status(204).end();
    }),
  );

  router.get(
    '/links/:id/stats',
    route(async (req, res) => {
      const link = await findLink(req, res);
      if (!link) return;
      const range = { from: dateParam(req.query.from, 'from'), to: dateParam(req.query.to, 'to') };
      res.json(statsJson(link.id, await store.links.linkStats(link.id, range), range));
    }),
  );

  router.get(
    '/links/:id/clicks',
    route(async (req, res) => {
      const link = await findLink(req, res);
      if (!link) return;
      const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw refuse('limit: an integer from 1 to 500');
      res.json({ clicks: (await store.links.listClicks(link.id, limit)).map(clickJson) });
    }),
  );

  router.get(
    '/links/:id/clicks/:clickId',
    route(async (req, res) => {
      const link = await findLink(req, res);
      if (!link) return;
      const click = await store.links.getClick(String(req.params.clickId));
      if (!click || click.linkId !== link.id) return void res.status(404).json({ error: 'no such click on this link' });
      const conversions = await store.links.listConversions(click.id);
      res.json({ ...clickJson(summarizeClick(click, conversions)), conversions: conversions.map(conversionJson) });
    }),
  );

  router.post(
    '/links/:id/test',
    route(async (req, res) => {
      const link = await findLink(req, res);
      if (!link) return;
      res.json(await sendLinkTestEvent(options, link, (req.body ?? {}) as Record<string, unknown>, options.publicUrl));
    }),
  );

  router.post(
    '/sources/:id/postback-key',
    route(async (req, res) => {
      const source = await store.getSource(String(req.params.id));
      if (!source) return void res.status(404).json({ error: 'no such source' });
      const rotated = (await store.links.getPostbackKey(source.id)) !== undefined;
      const { key, hash, hint } = newPostbackKey();
      const saved = await store.links.setPostbackKey(source.id, hash, hint);
      // The key is shown this once; only its hash is kept.
      res.status(201).json({
        source_id: source.id,
        postback_key: key,
        rotated,
        created_at: saved.createdAt,
        postback_url: `${options.publicUrl}/v1/postback?key=${key}&click_id={click_id}&event={event}&value={value}&currency={currency}&txid={txid}`,
      });
    }),
  );

  router.get(
    '/sources/:id/postback-key',
    route(async (req, res) => {
      const key = await store.links.getPostbackKey(String(req.params.id));
      if (!key) return void res.status(404).json({ error: 'this source has no postback key; POST to create one' });
      res.json({ source_id: key.sourceId, postback_key: maskedPostbackKey(key), created_at: key.createdAt });
    }),
  );

  async function checkIntegrations(ids: string[]) {
    const found = await Promise.all(ids.map((id) => store.getIntegration(id)));
    const missing = ids.filter((_, index) => !found[index]);
    if (missing.length > 0) throw refuse(`integrations: no such integration ${missing.join(', ')}`);
    return found.filter((integration) => integration !== undefined);
  }

  return router;
}

function dateParam(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value)))
    throw refuse(`${name}: a date like 2025-06-01`);
  return value;
}

function linkJson(link: Link, base: string) {
  return {
    id: link.id,
    url: `${base}/go/${link.id}`,
    source_id: link.sourceId,
    name: link.name,
    destination_url: link.destinationUrl,
    offer_type: link.offerType,
    integrations: link.integrationIds,
    include_source_integrations: link.includeSourceIntegrations,
    click_id_param: link.clickIdParam,
    conversion_window_days: link.conversionWindowDays,
    currency: link.currency,
    events: link.events,
    archived: link.archivedAt !== null,
    archived_at: link.archivedAt,
    created_at: link.createdAt,
    updated_at: link.updatedAt,
  };
}
