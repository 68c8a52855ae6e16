export type {
  Batch,
  ConsentContext,
  EnrichedMessage,
  Message,
  MessageContext,
  MessageType,
  PageContext,
  SnapchatContext,
  Traits,
} from './message.js';
export { isJsonObject } from './json-object.js';
export { LIMITS } from './limits.js';
export { MESSAGE_TYPES } from './message.js';
export { messageSchema, validateMessage } from './schema.js';
export type { MessageError, MessageValidation } from './schema.js';
export { callingCodeOf, COUNTRIES, countryCode, countryNameKey, leadingCallingCode } from './countries.js';
export type { Country } from './countries.js';
