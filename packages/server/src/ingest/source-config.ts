import type { Source } from '@datafirst/store';

/** The path RudderStack's browser SDK fetches its source's settings from, below its `configUrl`. */
export const SOURCE_CONFIG_PATHS: readonly string[] = ['/sourceConfig', '/sourceConfig/'];

/**
 * The smallest source-config answer RudderStack's browser SDK (v3) accepts: a source with an id,
 * a config object and a list of destinations. The list is empty, as every destination is reached
 * from the server: the SDK then loads no device-mode code and only sends events to its
 * `dataPlaneUrl`.
 */
export function sourceConfigAnswer(source: Pick<Source, 'id' | 'name'>): unknown {
  return {
    isHosted: false,
    source: {
      id: source.id,
      name: source.name,
      enabled: true,
      workspaceId: 'datafirst',
      config: { statsCollection: { errors: { enabled: false }, metrics: { enabled: false } } },
      destinations: [],
    },
  };
}
