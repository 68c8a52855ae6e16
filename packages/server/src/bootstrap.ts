import type { Source, Store } from '@datafirst/store';
import type { Config } from './config.js';

/** The pixel and token demo mode sends to the built-in Snapchat mock (they reach nothing real). */
export const DEMO_PIXEL_ID = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
export const DEMO_ACCESS_TOKEN = 'demo-token';

export interface Bootstrapped {
  source: Source;
  /** True when the source was created now (its write key is then worth printing). */
  created: boolean;
}

/**
 * Makes sure the default source and its Snapchat integration exist: from SNAP_PIXEL_ID and
 * SNAP_ACCESS_TOKEN, or in demo mode a pixel on the built-in mock. Idempotent across restarts.
 * SNAP_PIXEL_ID's integration is declared by the environment, so a start makes it again when it
 * is missing; the demo's is made with the demo source only, so one the admin deleted stays deleted.
 */
export async function bootstrap(store: Store, config: Config): Promise<Bootstrapped | undefined> {
  if (!config.demo && !config.snapPixelId && !config.writeKey) return undefined;
  let source = config.writeKey ? await store.findSourceByWriteKey(config.writeKey) : (await store.listSources())[0];
  const created = !source;
  source ??= await store.createSource({ name: config.demo ? 'Demo shop' : 'Website', writeKey: config.writeKey });

  const pixelId = config.snapPixelId ?? DEMO_PIXEL_ID;
  const accessToken = config.snapAccessToken ?? DEMO_ACCESS_TOKEN;
  const integrations = await store.listIntegrations(source.id);
  const existing = integrations.find((integration) => integration.config.pixel_id === pixelId);
  if (existing) {
    if (existing.config.access_token !== accessToken) {
      await store.updateIntegration(existing.id, { config: { ...existing.config, access_token: accessToken } });
    }
  } else if (config.snapPixelId || created) {
    await store.createIntegration({
      sourceId: source.id,
      vendor: 'snapchat',
      name: config.demo ? 'Snapchat (demo mock)' : 'Snapchat',
      enabled: true,
      config: { pixel_id: pixelId, access_token: accessToken, api_version: 'v3' },
      consentCategories: ['advertising'],
    });
  }
  return { source, created };
}
