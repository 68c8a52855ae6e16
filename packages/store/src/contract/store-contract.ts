import { describe } from 'vitest';
import { describeEventsAndDeliveries } from './events-and-deliveries.contract.js';
import type { CreateTestDatabase } from './harness.js';
import { describeHealth } from './health.contract.js';
import { describeIntegrations } from './integrations.contract.js';
import { describeLanes } from './lanes.contract.js';
import { describeLeases } from './leases.contract.js';
import { describeLimits } from './limits.contract.js';
import { describeLinks } from './links.contract.js';
import { describeMatchQuality } from './match-quality.contract.js';
import { describePrivacy } from './privacy.contract.js';
import { describeProfiles } from './profiles.contract.js';
import { describeReplay } from './replay.contract.js';
import { describeSearch } from './search.contract.js';
import { describeSessions } from './sessions.contract.js';
import { describeSources } from './sources.contract.js';
import { describeSyncs } from './syncs.contract.js';
import { describeTrends } from './trends.contract.js';

export type { CreateTestDatabase, StoreOptions, TestDatabase } from './harness.js';

/**
 * Everything a Store engine must do, as tests: an engine's test file calls this with a way to
 * make a fresh database, and passes the same suite as every other engine.
 */
export function describeStoreContract(engine: string, createDatabase: CreateTestDatabase): void {
  describe(`Store contract: ${engine}`, () => {
    describeSources(createDatabase);
    describeIntegrations(createDatabase);
    describeEventsAndDeliveries(createDatabase);
    describeSearch(createDatabase);
    describeLeases(createDatabase);
    describeLanes(createDatabase);
    describeReplay(createDatabase);
    describeProfiles(createDatabase);
    describeHealth(createDatabase);
    describeMatchQuality(createDatabase);
    describeTrends(createDatabase);
    describeLinks(createDatabase);
    describeSessions(createDatabase);
    describeLimits(createDatabase);
    describePrivacy(createDatabase);
    describeSyncs(createDatabase);
  });
}
