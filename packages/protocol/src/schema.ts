import { z } from 'zod';
import { compileSchema, UNSURE } from './compiled-schema.js';
import { LIMITS } from './limits.js';
import { MESSAGE_TYPES, type Message } from './message.js';

const id = z.string().trim().min(1).max(LIMITS.maxIdLength);
const isoTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: 'must be an ISO 8601 date-time, like 2025-06-02T10:15:30.123Z',
});
const record = z.record(z.string(), z.unknown());

const pageContext = z.looseObject({
  url: z.string().max(LIMITS.maxUrlLength).optional(),
  path: z.string().max(LIMITS.maxUrlLength).optional(),
  referrer: z.string().max(LIMITS.maxUrlLength).optional(),
  title: z.string().max(LIMITS.maxPageTitleLength).optional(),
  search: z.string().max(LIMITS.maxUrlLength).optional(),
});

const contextSchema = z.looseObject({
  page: pageContext.optional(),
  userAgent: z.string().max(LIMITS.maxUserAgentLength).optional(),
  // Room for a list of addresses, X-Forwarded-For style; the collector keeps the first valid one.
  ip: z.string().max(1024).optional(),
  locale: z.string().max(64).optional(),
  traits: record.optional(),
  snapchat: z
    .looseObject({
      clickId: z.string().max(512).optional(),
      cookie1: z.string().max(512).optional(),
      eventName: z.string().max(64).nullable().optional(),
    })
    .optional(),
  consent: z.looseObject({ categoryPreferences: z.record(z.string(), z.boolean()).optional() }).optional(),
  actionSource: z.string().max(32).optional(),
  limitedDataUse: z.boolean().optional(),
});

// Ids may come as numbers (Segment's libraries pass them through): they are kept as strings.
const anyId = z.union([id, z.number().transform(String)]);

/** A field a type requires, with an error that says which call needs it. */
const required = (field: z.ZodType<string>, reason: string) =>
  field.or(z.undefined()).refine((value) => value !== undefined, reason);

const common = {
  messageId: id.optional(),
  userId: anyId.optional(),
  anonymousId: anyId.optional(),
  timestamp: isoTime.optional(),
  originalTimestamp: isoTime.optional(),
  sentAt: isoTime.optional(),
  context: contextSchema.optional(),
  properties: record.optional(),
  traits: record.optional(),
  integrations: record.optional(),
};

const viewName = z.string().max(LIMITS.maxIdLength).optional();

/** One schema per message type, so an error names the field that is wrong for that type. */
export const messageSchema = z.discriminatedUnion(
  'type',
  [
    z.looseObject({ type: z.literal('track'), event: required(id, 'a track call needs an event name'), ...common }),
    z.looseObject({ type: z.literal('page'), name: viewName, ...common }),
    z.looseObject({ type: z.literal('screen'), name: viewName, ...common }),
    z.looseObject({ type: z.literal('identify'), ...common }),
    z.looseObject({ type: z.literal('group'), ...common, groupId: required(anyId, 'a group call needs a groupId') }),
    z.looseObject({
      type: z.literal('alias'),
      ...common,
      previousId: required(anyId, 'an alias call needs the previousId it links'),
      userId: required(anyId, 'an alias call needs the userId it links to'),
    }),
  ],
  { error: `must be one of ${MESSAGE_TYPES.join(', ')}` },
);

// The hot path: the schema's answer for the common messages, without Zod's per-field bookkeeping.
const compiledMessageSchema = compileSchema(messageSchema);

/** Why one message was refused. */
export interface MessageError {
  /** Position in the batch (0 for single-message endpoints). */
  index: number;
  messageId?: string;
  /** Each problem as `field: reason`. */
  errors: string[];
  /** The reason code, where a destination's rule refused it (a producer's pre-check). */
  reasonCode?: string;
}

export type MessageValidation = { ok: true; message: Message } | { ok: false; errors: string[] };

/** Validates one incoming message and names every bad field. */
export function validateMessage(input: unknown): MessageValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: ['message: must be a JSON object'] };
  }
  if (!('type' in input)) return { ok: false, errors: [`type: is required (${MESSAGE_TYPES.join(', ')})`] };
  const given = withoutBlankIds(input);
  const message = compiledMessageSchema(given);
  return message === UNSURE ? validateWithSchema(given) : withIdentity(message as Message);
}

// Optional fields a library sends as null when unset (analytics-python's page() without a name
// sends `"name": null, "category": null`): null is no value.
const NULLABLE = [
  'userId',
  'anonymousId',
  'messageId',
  'name',
  'category',
  'timestamp',
  'originalTimestamp',
  'sentAt',
  'context',
  'properties',
  'traits',
  'integrations',
];

/**
 * The message without the fields that say "none": Segment's analytics.js sends `"userId": null`
 * for a visitor it has not identified (and after `reset()`), RudderStack's browser SDK
 * `"userId": ""`, analytics-python `null` for what was not given. Refused, every such event of
 * those libraries would be lost: they resend no 4xx. A required field stays required.
 */
function withoutBlankIds(input: Record<string, unknown>): Record<string, unknown> {
  let kept: Record<string, unknown> | undefined;
  for (const key of NULLABLE) {
    const value = input[key];
    const blankId = (key === 'userId' || key === 'anonymousId') && typeof value === 'string' && value.trim() === '';
    if (value === null || blankId) {
      kept ??= { ...input };
      delete kept[key];
    }
  }
  return kept ?? input;
}

/** Zod's own parse, for what the compiled schema is unsure of: it names every bad field. */
function validateWithSchema(input: object): MessageValidation {
  const result = messageSchema.safeParse(input);
  if (!result.success) {
    return {
      ok: false,
      errors: result.error.issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`),
    };
  }
  return withIdentity(result.data);
}

/** A valid message, unless it is an identify call that names nobody. */
function withIdentity(message: Message): MessageValidation {
  if (message.userId === undefined && message.anonymousId === undefined && message.type === 'identify') {
    return { ok: false, errors: ['userId: identify needs a userId or an anonymousId'] };
  }
  return { ok: true, message };
}
