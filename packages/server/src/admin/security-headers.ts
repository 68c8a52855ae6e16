import type { RequestHandler } from 'express';

/**
 * The admin UI's Content-Security-Policy: its own scripts, styles and API only. No inline script
 * or style, no framing, no form posting elsewhere: an injected string can neither run nor leak.
 */
export const ADMIN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "manifest-src 'self'",
].join('; ');

/** Strict security headers for the admin UI's pages and files. */
export function uiSecurityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.set({
      'Content-Security-Policy': ADMIN_CSP,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    });
    // Only over HTTPS: on plain HTTP the header is ignored, and on localhost it would stick.
    if (req.secure) res.set('Strict-Transport-Security', 'max-age=31536000');
    next();
  };
}

/** Headers for admin API answers: never cached (they describe secrets' owners), never sniffed or framed. */
export function apiSecurityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.set({
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Referrer-Policy': 'no-referrer',
    });
    next();
  };
}
