import { z } from 'zod';
import { LIMITS } from './limits.js';
import type { Message } from './message.js';

const id = z.string().trim().min(1).max(LIMITS.maxIdLength);
const isoTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: 'must be an ISO 8601 date-time, like 2025-06-02T10:15:30.123Z',
});
const record = z.record(z.string(), z.unknown());

const pageContext = z.looseObject({
  url: z.string().max(LIMITS.maxUrlLength).optional(),
  path: z.string().max(LIMITS.maxUrlLength).optional(),
  referrer: z.string().max(LIMITS.maxUrlLength).optional(),
  title: z.string().max(1024).optional(),
  search: z.string().max(LIMITS.maxUrlLength).optional(),
});

const contextSchema = z.looseObject({
  page: pageContext.optional(),
  userAgent: z.string().max(LIMITS.maxUserAgentLength).optional(),
  ip: z.string().max(64).optional(),
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

const common = {
  messageId: id.optional(),
  userId: z.union([id, z.number().transform(String)]).optional(),
  anonymousId: z.union([id, z.number().transform(String)]).optional(),
  timestamp: isoTime.optional(),
  sentAt: isoTime.optional(),
  context: contextSchema.optional(),
  properties: record.optional(),
  traits: record.optional(),
  integrations: record.optional(),
};

/** One schema per message type, so an error names the field that is wrong for that type. */
export const messageSchema = z.discriminatedUnion(
  'type',
  [
    z.looseObject({
      type: z.literal('track'),
      event: id.or(z.undefined()).refine((event) => event !== undefined, 'a track call needs an event name'),
      ...common,
    }),
    z.looseObject({ type: z.literal('page'), name: z.string().max(LIMITS.maxIdLength).optional(), ...common }),
    z.looseObject({ type: z.literal('identify'), ...common }),
  ],
  { error: 'must be one of track, page, identify' },
);

/** Why one message was refused. */
export interface MessageError {
  /** Position in the batch (0 for single-message endpoints). */
  index: number;
  messageId?: string;
  /** Each problem as `field: reason`. */
  errors: string[];
}

export type MessageValidation = { ok: true; message: Message } | { ok: false; errors: string[] };

/** Validates one incoming message and names every bad field. */
export function validateMessage(input: unknown): MessageValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: ['message: must be a JSON object'] };
  }
  if (!('type' in input)) return { ok: false, errors: ['type: is required (track, page or identify)'] };
  const result = messageSchema.safeParse(input);
  if (!result.success) {
    return {
      ok: false,
      errors: result.error.issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`),
    };
  }
  const message = result.data as Message;
  if (message.userId === undefined && message.anonymousId === undefined && message.type === 'identify') {
    return { ok: false, errors: ['userId: identify needs a userId or an anonymousId'] };
  }
  return { ok: true, message };
}
