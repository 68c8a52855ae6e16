import express, { type Request, type Response, type Router } from 'express';
import { randomToken } from '@datafirst/store';
import { clientIp } from '../ingest/client-address.js';
import { clickIdFromUrl } from '@datafirst/snapchat';
import { notAClick } from './click-filter.js';
import { clickEvent, type LinkEventMap } from './conversion-events.js';
import { queryPairs, redirectUrl } from './destination.js';
import { clickConsent, clickMessage } from './link-messages.js';
import { skipReasonFor, submitLinkMessages, type LinkContext } from './link-context.js';

/** Click ids: 16 letters and digits, about 95 random bits, so no one can name another fan's click by guessing. */
export const CLICK_ID_LENGTH = 16;

const NOT_FOUND_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Link not found</title></head>
<body><h1>Link not found</h1><p>This link does not exist or is no longer active.</p></body></html>
`;

/**
 * `GET /go/:id`: records the click (ScCid, IP, user agent, referrer, every query parameter),
 * stores its Click event for the link's pixels, and redirects (302) to the link's destination
 * with every parameter and our click id. Unknown links get a plain 404 page, never a redirect.
 */
export function redirectRouter(context: LinkContext): Router {
  const router = express.Router();
  router.get('/go/:id', (req, res) => {
    follow(context, req, res).catch((error: unknown) => {
      context.logger.error({ err: error }, 'smart link failed');
      if (!res.headersSent) res.status(500).type('text/plain').send('This link could not be followed; please try again.');
    });
  });
  // Anything else under /go is a link that does not exist either, and gets the same page.
  router.all(['/go', '/go/{*rest}'], (_req, res) => notFound(res));
  return router;
}

function notFound(res: Response): void {
  res.status(404).set('Cache-Control', 'no-store').type('html').send(NOT_FOUND_PAGE);
}

async function follow(context: LinkContext, req: Request, res: Response): Promise<void> {
  const id = String(req.params.id);
  const link = /^[A-Za-z0-9]{1,32}$/.test(id) ? await context.store.links.getLink(id) : undefined;
  if (!link || link.archivedAt !== null) return notFound(res);
  const queryAt = req.originalUrl.indexOf('?');
  // Browsers never send a fragment; a raw `#` a client sent anyway ends the query, as it would in
  // a URL, so the click id added after it is not lost in the destination's fragment.
  const rawQuery = queryAt < 0 ? '' : req.originalUrl.slice(queryAt + 1).split('#', 1)[0]!;
  let location = redirectUrl(link.destinationUrl, rawQuery, link.clickIdParam, undefined);

  const skip = notAClick(req.method, req.headers);
  // Says what happened to whoever tests a link with curl, which is classed as a bot.
  let counted = `not-counted; reason=${skip}`;
  if (skip !== undefined) {
    context.logger.debug({ link: link.id, why: skip }, 'smart link followed without counting a click');
  } else {
    const url = `${context.publicUrl}/go/${link.id}${rawQuery === '' ? '' : `?${rawQuery}`}`;
    const clickId = randomToken(CLICK_ID_LENGTH);
    const destination = redirectUrl(link.destinationUrl, rawQuery, link.clickIdParam, clickId);
    // The fan reaches the offer even if storing fails: a lost click beats a lost visitor.
    try {
      const { click, created } = await context.store.links.recordClick({
        id: clickId,
        linkId: link.id,
        adClickId: clickIdFromUrl(url) ?? null,
        ip: clientIp(req, req.app.get('trust proxy') as number | boolean) ?? null,
        userAgent: req.get('user-agent') ?? null,
        referrer: req.get('referer') ?? null,
        query: queryPairs(rawQuery),
        url,
        destination,
        gpc: req.get('sec-gpc') === '1',
      });
      location = created ? destination : redirectUrl(link.destinationUrl, rawQuery, link.clickIdParam, click.id);
      counted = created ? 'counted' : 'not-counted; reason=repeat';
      if (created) {
        const planned = clickEvent(click.id, link.events as LinkEventMap);
        const message = clickMessage(link, click, planned, clickConsent(click, context.consent), new Date());
        await submitLinkMessages(context, link, [{ message, skip: skipReasonFor(planned.linkEvent, planned.snapchatEvent) }]);
      }
    } catch (error) {
      counted = 'not-counted; reason=error';
      context.logger.error({ err: error, link: link.id }, 'could not record a smart-link click; redirecting anyway');
    }
  }
  // Each click must reach us: nothing may cache the redirect. Written by hand because Express's
  // res.redirect re-encodes the URL, and parameters must reach the offer exactly as they came.
  res.writeHead(302, { location, 'cache-control': 'no-store', 'x-robots-tag': 'noindex', 'x-datafirst-click': counted });
  res.end();
}
