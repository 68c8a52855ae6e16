import type { DatafirstStubCall } from '../types/df.js';
import { createApi, createPerform } from './api.js';
import { gpcOptOut } from './consent.js';
import { currentDf, globalPrivacyControl, onNavigate, pageUrl, publishDf, tagScript } from './browser.js';
import { collectorUrl } from './config.js';
import { createIdentity } from './identity.js';
import { createQueue } from './queue.js';
import { safe } from './safe.js';

/**
 * Starts the tag: reads the `data-` attributes of its script, replaces the snippet's stub with the
 * API, replays the calls the stub recorded in the order they were made, and starts sending.
 */
export const boot = safe(() => {
  const found = currentDf() as DatafirstStubCall[] | undefined;
  // A started tag is an object, the stub an array: a second _df.js does nothing.
  if (found && !Array.isArray(found)) return;
  const script = tagScript();
  const data = script?.dataset;
  const writeKey = data?.writeKey;
  if (!writeKey) return;

  const perform = createPerform(
    createIdentity(+data.attributionDays! || 28, data.cookieDomain),
    createQueue(collectorUrl(data.api, script!.src, pageUrl()), writeKey),
    data.consent !== 'denied',
    // Global Privacy Control is a browser setting: it cannot change while the page lives.
    gpcOptOut(globalPrivacyControl(), data.gpc),
  );
  const api = createApi(perform);
  publishDf(api);
  if (found) {
    for (const call of found) perform(...call);
    // Code that kept a reference to the stub reaches the API now, not a dead array.
    Object.assign(found, api);
  } else {
    // Loaded by a plain <script> tag, without the snippet (which calls page() itself).
    api.page();
  }

  if (data.spa === 'true') {
    // Frameworks call replaceState for scroll positions and hash changes: only a new URL is a new page.
    let last = pageUrl().split('#')[0];
    onNavigate(() => {
      const url = pageUrl().split('#')[0];
      if (url !== last) api.page();
      last = url;
    });
  }
});
