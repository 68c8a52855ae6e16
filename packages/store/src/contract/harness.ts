import type { EnrichedMessage } from '@datafirst/protocol';
import { afterEach, beforeEach } from 'vitest';
import type { NewDelivery, Store } from '../store.js';

/** What an engine is opened with, beside where its database is (which the engine's test decides). */
export interface StoreOptions {
  secretKey?: string;
  secretConfigKeys?: readonly string[];
}

/** A fresh, empty database of one engine, for one test. */
export interface TestDatabase {
  /** Opens a store on this database (the same one each time); rejects as the engine refuses a start. */
  open(options: StoreOptions): Promise<Store>;
  /** Removes the database, once every store opened on it is closed. */
  destroy(): Promise<void>;
}

/** Makes a fresh database for each test: the one thing an engine gives the contract suite. */
export type CreateTestDatabase = () => Promise<TestDatabase>;

/** The secret key of the tests that seal secrets. */
export const SECRET_KEY = 'test-secret-key-of-at-least-32-characters';

/** The integration config keys the tests treat as secrets. */
export const SECRET_CONFIG_KEYS = ['api_secret'];

/** The store under test, opened before each test of the calling `describe` and closed after it. */
export interface StoreUnderTest {
  readonly store: Store;
  /** Closes the store and opens the same database again, e.g. with a secret key. */
  reopen(options?: StoreOptions): Promise<Store>;
  /** Closes the store (before opening attempts that must fail). */
  close(): Promise<void>;
}

/** Registers the hooks that give each test a fresh store of the engine. */
export function useStore(createDatabase: CreateTestDatabase): StoreUnderTest {
  let database: TestDatabase | undefined;
  let current: Store | undefined;
  const open = (options: StoreOptions = {}) => database!.open({ secretConfigKeys: SECRET_CONFIG_KEYS, ...options });
  const close = async () => {
    const store = current;
    current = undefined;
    await store?.close();
  };
  beforeEach(async () => {
    database = await createDatabase();
    current = await open();
  });
  afterEach(async () => {
    await close();
    await database?.destroy();
  });
  return {
    get store() {
      if (!current) throw new Error('the store is closed');
      return current;
    },
    async reopen(options) {
      await close();
      current = await open(options);
      return current;
    },
    close,
  };
}

/** A track message as the collector stores it; received now unless `extra` says otherwise. */
export function message(messageId: string, extra: Partial<EnrichedMessage> = {}): EnrichedMessage {
  const now = new Date().toISOString();
  return {
    type: 'track',
    event: 'Order Completed',
    messageId,
    anonymousId: 'anon-1',
    timestamp: now,
    receivedAt: now,
    context: {},
    ...extra,
  };
}

/** An ISO time `hours` ago. */
export const hoursAgo = (hours: number): string => new Date(Date.now() - hours * 3_600_000).toISOString();

/** A source (with the given write key) and one enabled integration of it. */
export async function sourceWithIntegration(store: Store, options: { secret?: string; writeKey?: string; name?: string } = {}) {
  const source = await store.createSource({ name: 'Shop', writeKey: options.writeKey ?? 'wk_original_key' });
  const integration = await store.createIntegration({
    sourceId: source.id,
    vendor: 'example',
    name: options.name ?? 'Pixel',
    enabled: true,
    config: { account: 'acc-1', api_secret: options.secret ?? 'plain-api-secret' },
    consentCategories: ['advertising'],
  });
  return { source, integration };
}

/** A pending delivery to the integration. */
export const pending = (integrationId: string, extra: Partial<NewDelivery> = {}): NewDelivery => ({
  integrationId,
  status: 'pending',
  ...extra,
});

/** Waits `ms` of real time (leases and retries run on the database's clock). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
