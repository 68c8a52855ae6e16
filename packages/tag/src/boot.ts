import type { DatafirstStubCall } from '../types/df.js';
import { createApi, createPerform } from './api.js';
import { currentDf, onNavigate, pageUrl, publishDf, tagScript } from './browser.js';
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
  // The stub is an array, a started tag has no push: a second _df.js does nothing.
  if (found && !found.push) return;
  const script = tagScript();
  const data = script.dataset;
  const writeKey = data.writeKey;
  if (!writeKey) return;

  const perform = createPerform(data, createIdentity(data), createQueue(collectorUrl(data.api, script.src, pageUrl()), writeKey));
  const api = createApi(perform);
  publishDf(api);
  for (const call of found || []) perform(...call);

  if (data.spa === 'true') {
    // Frameworks call replaceState for scroll positions and hash changes: only a new URL is a new page.
    let last = pageUrl().split('#')[0];
    onNavigate(() => last !== (last = pageUrl().split('#')[0]) && api.page());
  }
});
