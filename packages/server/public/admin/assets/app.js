// @ts-check
// The admin UI's shell: session check, sign-in, the #/ router, navigation and sign-out. Each page
// is a module whose render(main, ctx) draws it and may return a cleanup for when the page is left.
import { api, ApiError, errorMessage, setCsrfToken, whenSignedOut } from './api.js';
import { fill, h, toast } from './dom.js';
import * as debuggerPage from './pages/debugger.js';
import * as healthPage from './pages/health.js';
import * as integrationForm from './pages/integration-form.js';
import * as integrationsPage from './pages/integrations.js';
import * as linkDetail from './pages/link-detail.js';
import * as linkForm from './pages/link-form.js';
import * as linksPage from './pages/links.js';
import * as matchPage from './pages/match-quality.js';
import * as signInPage from './pages/sign-in.js';
import * as sourcesPage from './pages/sources.js';
import * as syncDetail from './pages/sync-detail.js';
import * as syncsPage from './pages/syncs.js';
import * as testPage from './pages/test-event.js';
import * as trendsPage from './pages/trends.js';

const ROUTES = [
  { pattern: /^\/sources$/, nav: '#/sources', page: sourcesPage },
  { pattern: /^\/integrations$/, nav: '#/integrations', page: integrationsPage },
  { pattern: /^\/integrations\/(new|[\w-]+)$/, nav: '#/integrations', page: integrationForm },
  { pattern: /^\/links$/, nav: '#/links', page: linksPage },
  { pattern: /^\/links\/(new)$/, nav: '#/links', page: linkForm },
  { pattern: /^\/links\/([\w-]+)\/edit$/, nav: '#/links', page: linkForm },
  { pattern: /^\/links\/([\w-]+)$/, nav: '#/links', page: linkDetail },
  { pattern: /^\/syncs$/, nav: '#/syncs', page: syncsPage },
  { pattern: /^\/syncs\/([\w-]+)$/, nav: '#/syncs', page: syncDetail },
  { pattern: /^\/test$/, nav: '#/test', page: testPage },
  { pattern: /^\/debugger$/, nav: '#/debugger', page: debuggerPage },
  { pattern: /^\/match-quality$/, nav: '#/match-quality', page: matchPage },
  { pattern: /^\/health$/, nav: '#/health', page: healthPage },
  { pattern: /^\/trends$/, nav: '#/trends', page: trendsPage },
];
const DEFAULT_ROUTE = '#/sources';

// index.html has these three.
const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
const signOutButton = /** @type {HTMLButtonElement} */ (document.getElementById('sign-out'));
let signedIn = false;
let leave = null; // the current page's cleanup
let controller = null; // aborts the current page's pending requests

/** The current route: path and query of the `#/path?query` fragment. */
function currentRoute() {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(1) : DEFAULT_ROUTE.slice(1);
  const [path = '', query = ''] = hash.split('?');
  return { path, query: new URLSearchParams(query) };
}

/** Goes to a route (`#/…`), adding a history entry. */
export function navigate(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

/** Changes the current route's query without a history entry or a re-render (e.g. filters). */
export function replaceQuery(params) {
  const { path } = currentRoute();
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value)).toString();
  history.replaceState(null, '', `#${path}${query ? `?${query}` : ''}`);
}

function teardown() {
  controller?.abort();
  try {
    leave?.();
  } catch {
    // a page's cleanup failing must not stop the next page
  }
  leave = null;
}

async function render() {
  teardown();
  if (!signedIn) return showSignIn();
  const { path, query } = currentRoute();
  const route = ROUTES.find((r) => r.pattern.test(path));
  if (!route) return navigate(DEFAULT_ROUTE);
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === route.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  controller = new AbortController();
  const match = /** @type {RegExpMatchArray} */ (path.match(route.pattern)); // the route was found by this pattern
  const ctx = { params: match.slice(1), query, signal: controller.signal, navigate, replaceQuery };
  fill(main, h('p', { class: 'muted' }, 'Loading…'));
  try {
    leave = (await route.page.render(main, ctx)) ?? null;
  } catch (error) {
    if ((error instanceof Error && error.name === 'AbortError') || ctx.signal.aborted) return;
    fill(
      main,
      h('h1', {}, 'Something went wrong'),
      h('p', { role: 'alert' }, error instanceof ApiError ? error.message : String(error)),
    );
  }
  if (ctx.signal.aborted) return;
  document.title = `${main.querySelector('h1')?.textContent ?? 'Admin'} · Datafirst`;
  // Move focus to the new page's heading, so keyboard and screen reader users start there.
  const heading = main.querySelector('h1');
  if (heading && document.activeElement === document.body) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

function showSignIn(message) {
  signedIn = false;
  // A dialog left open (a form whose save found the session gone) would cover the sign-in page.
  for (const dialog of document.querySelectorAll('dialog[open]')) /** @type {HTMLDialogElement} */ (dialog).close();
  setCsrfToken(null);
  nav.hidden = true;
  signOutButton.hidden = true;
  teardown();
  document.title = 'Sign in · Datafirst';
  signInPage.render(main, {
    message,
    onSignedIn(session) {
      startSession(session);
      render();
    },
  });
}

function startSession(session) {
  signedIn = true;
  setCsrfToken(session.csrf_token);
  nav.hidden = false;
  signOutButton.hidden = false;
}

whenSignedOut(() => {
  if (signedIn) showSignIn('Your session ended: sign in again.');
});

signOutButton.addEventListener('click', async () => {
  try {
    await api('DELETE', 'session');
  } catch (error) {
    // Unanswered, the session is still valid: saying "signed out" would leave it open unawares.
    if (!(error instanceof ApiError) || error.status !== 401) {
      toast(`Not signed out: ${errorMessage(error)}`, 'error');
      return;
    }
    // 401: signed out already, which is what the user wants.
  }
  showSignIn('You are signed out.');
  toast('Signed out.');
});

window.addEventListener('hashchange', () => {
  if (location.hash === '' || location.hash.startsWith('#/')) render();
});

// On load: a session cookie from before (HttpOnly, so only the server can tell) means signed in.
try {
  const session = await api('GET', 'session?probe=1');
  if (session.signed_in === false) signedIn = false;
  else startSession(session);
} catch {
  signedIn = false;
}
render();
