// @datafirst/destination: the contract every ad platform implements, and the reason codes of
// every delivery outcome.
export { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffDelayMs, laneRestMs, nextTry } from './backoff.js';
export type { RetryPosition } from './backoff.js';
export { curedReasonCodes, secretKeys } from './config-fields.js';
export type { ConfigCheck, ConfigField } from './config-fields.js';
export type {
  AnyDestination,
  BuildContext,
  BuildRefusalStatus,
  BuildResult,
  ContextEnricher,
  Destination,
  EventVocabulary,
  IdentifierInfo,
  Purchase,
  RetryCode,
  SendOutcome,
  SendReport,
} from './destination.js';
export { isReasonCode, REASON_CODES } from './reason-codes.js';
export type { ReasonCode, ReasonInfo, ReasonOutcome } from './reason-codes.js';
export { DestinationRegistry } from './registry.js';
