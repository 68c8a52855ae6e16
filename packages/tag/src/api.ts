import type { Datafirst, DatafirstMethod } from '../types/df.js';
import type { TagConfig } from './config.js';
import { advertisingAllowed } from './consent.js';
import type { Identity } from './identity.js';
import { buildMessage, type TagMessage } from './message.js';
import { CONSENT_KEY, USER_ID_KEY, type KeyValueStore } from './storage.js';

/** What the API needs from the page and the rest of the tag. */
export interface ApiDeps {
  config: TagConfig;
  identity: Identity;
  storage: KeyValueStore;
  enqueue(message: TagMessage): void;
  page(): { title: string; referrer: string; locale: string };
  gpc(): boolean;
  now(): number;
  url(): string;
  uuid(): string;
}

/** Performs one call of the API; `time` and `url` default to now and here. Never throws. */
export type Perform = (method: DatafirstMethod, args: ArrayLike<unknown>, time?: number, url?: string) => void;

type Loose = Record<string, unknown> | undefined;

/** Creates the public API and the `perform` that replays the snippet's recorded calls through it. */
export function createApi(deps: ApiDeps): { api: Datafirst; perform: Perform } {
  const { config, storage } = deps;

  const act = (method: DatafirstMethod, args: ArrayLike<unknown>, time = deps.now(), url = deps.url()): void => {
    let [first, second] = Array.from(args) as [unknown, Loose];
    if (method === 'reset') {
      storage.remove(USER_ID_KEY);
      return deps.identity.reset();
    }
    if (method === 'consent') {
      return storage.set(CONSENT_KEY, (first as { advertising: boolean }).advertising ? 'granted' : 'denied');
    }
    // page(properties) and identify(traits): the name or id may be left out.
    if (first && typeof first === 'object' && method !== 'track') [first, second] = [undefined, first as Loose];
    if (method === 'identify' && first != null) storage.set(USER_ID_KEY, String(first));
    const choice = storage.get(CONSENT_KEY);
    const advertising = advertisingAllowed(
      choice ? choice === 'granted' : undefined,
      config.consentDefault,
      deps.gpc(),
      config.honourGpc,
    );
    deps.enqueue(
      buildMessage(
        {
          type: method,
          event: method === 'track' ? (first as string) : undefined,
          name: method === 'page' ? (first as string | undefined) : undefined,
          properties: method === 'identify' ? undefined : second,
          traits: method === 'identify' ? second : undefined,
          time,
          url,
        },
        {
          ...deps.page(),
          ids: deps.identity.read(url, advertising),
          userId: storage.get(USER_ID_KEY) || undefined,
          advertising,
          messageId: deps.uuid(),
        },
      ),
    );
  };

  // The host page must never see an exception from the tag: a bad argument costs only that call.
  const perform: Perform = (...call) => {
    try {
      act(...call);
    } catch {
      // Dropped on purpose.
    }
  };
  const method =
    (name: DatafirstMethod) =>
    (...args: unknown[]) =>
      perform(name, args);
  return {
    api: {
      page: method('page'),
      track: method('track'),
      identify: method('identify'),
      reset: method('reset'),
      consent: method('consent'),
    },
    perform,
  };
}
