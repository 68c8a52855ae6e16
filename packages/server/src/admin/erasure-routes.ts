import express, { type Router } from 'express';
import type { ErasureRequest, Store } from '@datafirst/store';
import type { Logger } from 'pino';
import { BadRequest, isEmailAddress, knownFields, objectBody } from './admin-input.js';
import { adminRoute } from './admin-route.js';

export interface ErasureRoutesOptions {
  store: Store;
  logger?: Logger;
}

const IDENTIFIERS = ['user_id', 'anonymous_id', 'email', 'phone'] as const;

/** The erasure request a body asks for, or every problem with it. */
export function erasureRequestOf(input: unknown): { request: ErasureRequest; suppress: boolean } {
  const body = objectBody(input);
  const errors = knownFields(body, [...IDENTIFIERS, 'suppress']);
  for (const key of IDENTIFIERS) {
    const value = body[key];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '' || value.length > 255)) {
      errors.push(`${key}: a non-empty text of at most 255 characters`);
    } else if (key === 'email' && value !== undefined && !isEmailAddress(value)) {
      // As the event search refuses it: erasing "x" would answer that nothing of "x" was kept.
      errors.push('email: an email address such as jane@example.com');
    }
  }
  if (IDENTIFIERS.every((key) => body[key] === undefined)) errors.push(`body: give at least one of ${IDENTIFIERS.join(', ')}`);
  if (body.suppress !== undefined && typeof body.suppress !== 'boolean') errors.push('suppress: true or false');
  if (errors.length > 0) throw new BadRequest(errors);
  const text = (key: (typeof IDENTIFIERS)[number]) => body[key] as string | undefined;
  return {
    request: { userId: text('user_id'), anonymousId: text('anonymous_id'), email: text('email'), phone: text('phone') },
    suppress: body.suppress === true,
  };
}

/**
 * `POST /users/erase`: deletes a person's events, profiles, smart-link clicks and conversions
 * (README.md, "Security"), and with `suppress: true` drops their later events at ingest. The
 * suppression list holds hashes of the identifiers, never the identifiers.
 */
export function erasureRoutes(options: ErasureRoutesOptions): Router {
  const router = express.Router();
  router.post(
    '/users/erase',
    adminRoute(async (req, res) => {
      const { request, suppress } = erasureRequestOf(req.body);
      const erased = await options.store.privacy.erasePerson(request, { suppress });
      options.logger?.info({ erased, suppress }, 'erased a person');
      res.json({ erased });
    }),
  );
  return router;
}
