import express, { type Router } from 'express';
import { uiSecurityHeaders } from './security-headers.js';

/**
 * Serves the admin UI (plain HTML, CSS and ES modules, no build step) at `/admin/`. Every URL
 * it uses is relative and its pages are `#/…` routes, so it also works when a reverse proxy
 * serves the collector under a path such as `/df/`. Mount at `/admin`.
 */
export function adminUi(publicDir: string): Router {
  const router = express.Router();
  router.use(uiSecurityHeaders());
  router.get('/', (req, res) => {
    const [path, query] = req.originalUrl.split('?', 2);
    // `/admin` → `admin/`: relative, so `/df/admin` under a proxy becomes `/df/admin/`.
    if (!path!.endsWith('/')) return void res.redirect(301, `admin/${query === undefined ? '' : `?${query}`}`);
    res.set('Cache-Control', 'no-cache').sendFile(`${publicDir}/admin/index.html`);
  });
  // no-cache: revalidated on every load (cheap, with ETags), so an upgrade never mixes old and new files.
  router.use(
    '/assets',
    express.static(`${publicDir}/admin/assets`, {
      index: false,
      cacheControl: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  return router;
}
