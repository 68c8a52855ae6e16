import { readFileSync } from 'node:fs';
import express, { type Router } from 'express';
import { packageFile } from '../package-files.js';

/** The paste-in snippet, with the write key and tag URL filled in. */
export function renderSnippet(writeKey: string, tagSrc: string): string {
  const template = readFileSync(packageFile('@datafirst/tag', 'dist', 'snippet.html'), 'utf8');
  return template.replaceAll('__DF_WRITE_KEY__', writeKey).replaceAll('__DF_SRC__', tagSrc);
}

/** Shown at the top of every demo shop page: nothing it tracks leaves this machine. */
export const DEMO_BANNER =
  '<div class="demo-banner" role="status" style="background:#fffc00;color:#000;padding:.5em 1em;font:600 14px system-ui,sans-serif;text-align:center">' +
  'Demo mode: events go to the built-in Snapchat mock. Nothing reaches Snapchat.</div>';

/**
 * Serves the demo shop: its pages have a `<!-- DATAFIRST_SNIPPET -->` placeholder where a site
 * owner would paste the snippet. Each page gets the demo banner, and its links to the event
 * debugger point at the admin listener (`adminUrl`), which is not on the shop's origin.
 */
export function shopRouter(writeKey: string, tagPath: string, adminUrl: string): Router {
  const root = packageFile('@datafirst/example-shop', 'public');
  const snippet = renderSnippet(writeKey, tagPath);
  const router = express.Router();
  router.get(['/', '/:page.html'], (req, res, next) => {
    const page = typeof req.params.page === 'string' ? req.params.page : 'index';
    if (!/^[a-z-]+$/.test(page)) return next();
    let html: string;
    try {
      html = readFileSync(`${root}/${page}.html`, 'utf8');
    } catch {
      return next();
    }
    const shown = html
      .replace('<!-- DATAFIRST_SNIPPET -->', snippet)
      .replace(/<body[^>]*>/, (body) => `${body}\n  ${DEMO_BANNER}`)
      .replaceAll('href="/debugger"', `href="${adminUrl}/admin/#/debugger"`);
    res.type('html').set('Cache-Control', 'no-store').send(shown);
  });
  router.use(express.static(root, { index: false }));
  return router;
}
