export type {
  AppendResult,
  Delivery,
  DeliveryAttempt,
  DeliveryResult,
  DeliveryStatus,
  EventQuery,
  EventRecord,
  Integration,
  IntegrationPatch,
  LeasedDelivery,
  LeaseRequest,
  NewDelivery,
  NewEvent,
  NewIntegration,
  ReplayFilter,
  Source,
  Store,
} from './store.js';
export { newId, openSqliteStore } from './sqlite/sqlite-store.js';
export type { SqliteStoreOptions } from './sqlite/sqlite-store.js';
