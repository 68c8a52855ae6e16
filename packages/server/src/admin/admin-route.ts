import type { NextFunction, Request, Response } from 'express';

/** An async admin handler. */
export type AdminHandler = (req: Request, res: Response) => Promise<void>;

/**
 * Wraps an async handler: whatever it throws goes to the admin router's one error handler
 * (`adminErrors`), which answers a BadRequest with 400, an unreachable database with 503, and
 * anything else with 500 after logging it.
 */
export function adminRoute(handler: AdminHandler) {
  return (req: Request, res: Response, next: NextFunction): void => {
    handler(req, res).catch(next);
  };
}
