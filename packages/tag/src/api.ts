import type { Message } from '@datafirst/protocol';
import type { Datafirst, DatafirstMethod } from '../types/df.js';
import {
  browserLocale,
  documentReferrer,
  documentTitle,
  globalPrivacyControl,
  pageUrl,
  readStored,
  writeStored,
} from './browser.js';
import type { TagData } from './config.js';
import { advertisingAllowed, gpcOptOut } from './consent.js';
import type { Identity } from './identity.js';
import { pageContext } from './page-context.js';
import { safe } from './safe.js';
import { uuid } from './uuid.js';
import { VERSION } from './version.js';

/** A message as the tag sends it: always with the fields that the queue and the dedup rely on. */
export type TagMessage = Message & { messageId: string; anonymousId: string; timestamp: string };

/** The API's methods, in the order the snippet defines them. */
export const METHODS: DatafirstMethod[] = ['page', 'track', 'identify', 'reset', 'consent'];

/** localStorage key of the user id that `identify` set. */
export const USER_ID_KEY = '_df_uid';

/** localStorage key of the visitor's advertising choice: `granted` or `denied`. */
export const CONSENT_KEY = '_df_consent';

/** Performs one call of the API made at `time` on `url` (by default now and here). Never throws. */
export type Perform = (method: DatafirstMethod, args: unknown[], time?: number, url?: string) => void;

type Fields = Record<string, unknown> | undefined;

/**
 * Creates `perform`, through which both the API and the replay of the snippet's calls go. Each call
 * becomes a Segment-spec message with the page context of the moment it was made; undefined fields
 * vanish when it is serialised. Consent follows `data-consent` and `data-gpc`.
 */
export function createPerform(data: TagData, identity: Identity, enqueue: (message: TagMessage) => void): Perform {
  // Global Privacy Control is a browser setting: it cannot change while the page lives.
  const optedOut = gpcOptOut(globalPrivacyControl(), data.gpc);
  return safe((method: DatafirstMethod, [first, second]: unknown[], time = Date.now(), url = pageUrl()) => {
    if (method === 'reset') {
      writeStored(USER_ID_KEY);
      return identity.reset();
    }
    if (method === 'consent') {
      return writeStored(CONSENT_KEY, (first as { advertising: boolean }).advertising ? 'granted' : 'denied');
    }
    // identify(traits) and page(properties), as Segment allows: the id or the name may be left out.
    if (first && typeof first === 'object') [first, second] = [undefined, first];
    // A user id is a string (or a number) here: an object was moved to `second` just above. One the
    // collector would refuse (blank, or over its LIMITS.maxIdLength of 255: api.test.ts keeps them
    // equal, as importing it would bring the schema along) is not kept: sent with every later call,
    // it would have every one of them refused. The call still goes, with its traits.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    const userId = method === 'identify' && first != null ? String(first).trim() : '';
    if (userId && userId.length <= 255) writeStored(USER_ID_KEY, userId);
    const advertising = advertisingAllowed(optedOut, readStored(CONSENT_KEY), data.consent);
    const ids = identity.read(url, advertising);
    enqueue({
      type: method,
      ...(method === 'identify'
        ? { traits: second as Fields }
        : { [method === 'track' ? 'event' : 'name']: first, properties: second as Fields }),
      userId: readStored(USER_ID_KEY),
      anonymousId: ids.anonymousId,
      messageId: uuid(),
      timestamp: new Date(time).toISOString(),
      context: {
        page: pageContext(url, documentTitle(), documentReferrer()),
        locale: browserLocale(),
        library: { name: 'datafirst.js', version: VERSION },
        snapchat: ids.snapchat,
        consent: { categoryPreferences: { advertising } },
      },
    });
  });
}

/** The public API over `perform`. */
export function createApi(perform: Perform): Datafirst {
  const api = {} as Record<DatafirstMethod, (...args: unknown[]) => void>;
  for (const method of METHODS) api[method] = (...args) => perform(method, args);
  return api;
}
