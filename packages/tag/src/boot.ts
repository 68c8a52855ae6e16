import { createApi } from './api.js';
import {
  cookieJar,
  currentDf,
  globalPrivacyControl,
  http,
  localStore,
  onLeave,
  onNavigate,
  onOnline,
  pageState,
  pageUrl,
  publishDf,
  setTimer,
  tagScript,
} from './browser.js';
import { readConfig } from './config.js';
import { createDelivery } from './delivery.js';
import { createIdentity } from './identity.js';
import { createQueue } from './queue.js';
import { queueStore } from './storage.js';
import { uuid } from './uuid.js';

/**
 * Starts the tag: reads its configuration, replaces the snippet's stub with the API, replays the
 * calls the stub recorded in the order they were made, and starts sending. Runs once per page.
 */
export function boot(): void {
  try {
    const found = currentDf();
    // A started tag is an object, the stub an array: a second _df.js does nothing.
    if (found && !Array.isArray(found)) return;
    const script = tagScript();
    const config = script && readConfig(script.data, script.src, pageUrl());
    if (!config) return;

    const storage = localStore();
    const delivery = createDelivery(config.api, config.writeKey, http, Date.now);
    const queue = createQueue({
      store: queueStore(storage, config.writeKey),
      send: delivery.send,
      beacon: delivery.beacon,
      setTimer,
      random: Math.random,
    });
    const { api, perform } = createApi({
      config,
      identity: createIdentity(cookieJar(config.cookieDomain), uuid, config.attributionDays),
      storage,
      enqueue: queue.push,
      page: pageState,
      gpc: globalPrivacyControl,
      now: Date.now,
      url: pageUrl,
      uuid,
    });

    publishDf(api);
    if (found) {
      for (const [method, args, time, url] of found) perform(method, args, time, url);
      // Code that kept a reference to the stub now reaches the API instead of a dead array.
      Object.assign(found, api);
    } else {
      // Loaded by a plain <script> tag, without the snippet (which calls page() itself).
      api.page();
    }

    onLeave(queue.leave);
    onOnline(queue.retry);
    if (config.spa) {
      // Frameworks call replaceState for scroll positions and hash changes: only a new URL is a new page.
      let last = pageUrl().split('#')[0];
      onNavigate(() => {
        const url = pageUrl().split('#')[0];
        if (url !== last) api.page();
        last = url;
      });
    }
  } catch {
    // The host page must never see an exception from the tag.
  }
}
