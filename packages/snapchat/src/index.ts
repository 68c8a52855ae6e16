// @datafirst/snapchat: a Snapchat Conversions API library (normalise and hash PII, map events,
// build v3 and v2 payloads, classify answers, send with undici) and a Snapchat-faithful mock.
export { ACTION_SOURCES, assetIdFor, resolveActionSource, toActionSource } from './action-source.js';
export { appIdOf, buildAppData } from './app-data.js';
export type { SnapAppData } from './app-data.js';
export { MAX_EVENT_AGE_MS, toSnapEvent, wantsLimitedDataUse } from './build-event.js';
export type { BuildEventOptions, BuildEventResult, SkipReason } from './build-event.js';
export { clickIdFromUrl, withSnapchatIds } from './click-id.js';
export { DEFAULT_TIMEOUT_MS, SnapchatClient } from './client.js';
export { createSnapchatDestination, MAX_RATE_LIMIT_RPS, sampleSnapMessage, SNAPCHAT_FIELDS } from './destination.js';
export type { ReportResult, SendResult, SnapchatClientOptions } from './client.js';
export { validateSnapchatConfig } from './config-validation.js';
export type { ConfigValidation } from './config-validation.js';
export type { ActionSource, ApiVersion, SnapchatConfig } from './config.js';
export { callingCodeOf, COUNTRIES, countryCode } from '@datafirst/protocol';
export type { Country } from '@datafirst/protocol';
export { isSnapCurrency, SNAP_CURRENCIES } from './currencies.js';
export { buildCustomData, orderValue, snapCurrency, toNumber } from './custom-data.js';
export type { SnapContent, SnapCustomData } from './custom-data.js';
export { DEFAULT_EVENT_MAP, isSnapEventName, SNAP_EVENT_NAMES } from './event-names.js';
export type { SnapEventName } from './event-names.js';
export { applyFieldMap, fieldMapErrors, MAPPABLE_FIELDS, valueAtPath } from './field-map.js';
export type { FieldMap, FieldSource } from './field-map.js';
export { hashNormalized, isSha256Hex, sha256Hex } from './hash.js';
export { SNAP_IDENTIFIERS, snapIdentifiersOf } from './identifiers.js';
export { mapEventName, PAGE_EVENT_KEY, SCREEN_EVENT_KEY } from './map-event.js';
export { mobileOs } from './mobile-os.js';
export type { EventNameMapping, EventNameSkip } from './map-event.js';
export { normalizeCity, normalizeCountry, normalizeState, normalizeZip } from './normalize-address.js';
export { normalizeBirthday } from './normalize-birthday.js';
export { normalizePhone } from './normalize-phone.js';
export {
  normalizeEmail,
  normalizeExternalId,
  normalizeGender,
  normalizeIp,
  normalizeMobileId,
  normalizeName,
} from './normalize.js';
export { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffDelayMs } from '@datafirst/destination';
export { classifyNetworkError, classifyResponse, parseRetryAfter } from './outcome.js';
export type { SendOutcome, SnapResponse } from './outcome.js';
export {
  buildSendRequest,
  buildValidationReportRequest,
  maskAccessToken,
  MAX_EVENTS_PER_REQUEST,
  SNAPCHAT_API_URL,
} from './request.js';
export type { SendRequestOptions, SnapReadRequest, SnapRequest, ValidationReport } from './request.js';
export { buildUserData, hasMinimumIdentifiers, hasTrait } from './user-data.js';
export type { SnapUserData, TraitField } from './user-data.js';
export { toV2Event } from './v2.js';
export type { SnapV2Event } from './v2.js';
export type { SnapV3Event } from './v3-event.js';
export * from './mock-server.js';
export { isPersonalParam, withoutPersonalData } from './url-privacy.js';
