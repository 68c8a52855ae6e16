export type {
  AppendResult,
  Delivery,
  DeliveryAttempt,
  DeliveryResult,
  DeliveryStatus,
  EventQuery,
  EventRecord,
  EventSearch,
  Integration,
  IntegrationPatch,
  LeasedDelivery,
  LeaseRequest,
  NewDelivery,
  NewEvent,
  NewIntegration,
  Person,
  Purchase,
  ReplayableStatus,
  ReplayFilter,
  Source,
  SourceChanges,
  Store,
} from './store.js';
export type {
  ClickSummary,
  Conversion,
  ConversionHistory,
  ConversionKind,
  DateRange,
  Link,
  LinkClick,
  LinkCounts,
  LinkPatch,
  LinkStats,
  LinkStore,
  NewClick,
  NewConversion,
  NewLink,
  OfferType,
  PostbackKey,
  RecordedConversion,
  Revenue,
} from './links.js';
export type {
  AdminStore,
  DailyOutcomes,
  DailyOutcomesQuery,
  DeliveryHealth,
  HealthQuery,
  IdentifierCounts,
  IntegrationMatchQuality,
  LastDeliveryError,
  MatchQualityQuery,
  MinuteOutcomes,
} from './admin.js';
export type {
  DailyDeliveryCount,
  ErasureCounts,
  ErasureRequest,
  ExpiredRecords,
  PrivacyStore,
  SessionStore,
  StoredSession,
} from './privacy.js';
export type { LaneClaim, LaneHolding, LaneState, LaneStore } from './lanes.js';
export type { LimitStore, RecentFailures, TokenAnswer } from './limits.js';
export { identitiesOf, identityHashes, suppressionHashesOf } from './identity-hashes.js';
export type {
  NewSync,
  NewWarehouse,
  RunStart,
  Sync,
  SyncKind,
  SyncMode,
  SyncPatch,
  SyncRowError,
  SyncRowRecord,
  SyncRowState,
  SyncRun,
  SyncRunCounts,
  SyncRunStatus,
  SyncRunUpdate,
  SyncStore,
  Warehouse,
  WarehouseKind,
  WarehousePatch,
} from './syncs.js';
export { emptyRunCounts } from './syncs.js';
export { MAX_EVENTS_PER_COMMIT } from './group-commit.js';
export { createSecretBox, isSealed, MIN_SECRET_KEY_LENGTH, SecretKeyError } from './secret-box.js';
export type { SecretBox } from './secret-box.js';
export { newId, randomToken } from './ids.js';
export { isDatabaseUnavailable } from './unavailable.js';
export { openSqliteStore } from './sqlite/sqlite-store.js';
export type { SqliteStoreOptions } from './sqlite/sqlite-store.js';
export { openPostgresStore } from './postgres/postgres-store.js';
export type { PostgresStoreOptions } from './postgres/postgres-store.js';
