import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { BadRequest } from './admin-input.js';

/** An async admin handler. */
export type AdminHandler = (req: Request, res: Response) => Promise<void>;

/**
 * Wraps an async handler: a BadRequest becomes 400 with every problem listed (`errors`) and
 * joined (`error`); anything else is logged (never the request body, which may hold secrets)
 * and answered 500.
 */
export function adminRoute(handler: AdminHandler, logger?: Logger) {
  return (req: Request, res: Response): void => {
    handler(req, res).catch((error: unknown) => {
      if (error instanceof BadRequest) {
        res.status(400).json({ error: error.message, errors: error.errors });
        return;
      }
      logger?.error({ err: error, method: req.method, path: req.path }, 'admin request failed');
      if (!res.headersSent) res.status(500).json({ error: 'internal error' });
      else res.end();
    });
  };
}
