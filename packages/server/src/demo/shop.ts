import { readFileSync } from 'node:fs';
import express, { type Router } from 'express';
import { packageFile } from '../package-files.js';

/** The paste-in snippet, with the write key and tag URL filled in. */
export function renderSnippet(writeKey: string, tagSrc: string): string {
  const template = readFileSync(packageFile('@datafirst/tag', 'dist', 'snippet.html'), 'utf8');
  return template.replaceAll('__DF_WRITE_KEY__', writeKey).replaceAll('__DF_SRC__', tagSrc);
}

/**
 * Serves the demo shop: its pages have a `<!-- DATAFIRST_SNIPPET -->` placeholder where a site
 * owner would paste the snippet.
 */
export function shopRouter(writeKey: string, tagPath: string): Router {
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
    res.type('html').set('Cache-Control', 'no-store').send(html.replace('<!-- DATAFIRST_SNIPPET -->', snippet));
  });
  router.use(express.static(root, { index: false }));
  return router;
}
