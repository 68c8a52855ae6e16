import type { IncomingHttpHeaders } from 'node:http';

// Crawlers and link-preview fetchers name themselves. "bot" must end a word so that phone
// models such as "CUBOT_X19" still count; "Snapchat" (its in-app browser) is a real fan.
const AUTOMATED = /(?:bot|crawler|spider)(?:[/;)\s-]|$)|facebookexternalhit|embedly|bingpreview|slurp|python-requests|curl\//i;

/** Why a request is not counted as a click, as the `X-Datafirst-Click` header names it. */
export type NotAClick = 'head' | 'prefetch' | 'no_user_agent' | 'bot';

/**
 * Why a request to a smart link is not a fan's click, or undefined when it is. Such requests
 * are still redirected (a reviewer must see the offer) but record no click and send nothing.
 */
export function notAClick(method: string | undefined, headers: IncomingHttpHeaders): NotAClick | undefined {
  if (method === 'HEAD') return 'head';
  const purpose = headers['sec-purpose'] ?? headers.purpose;
  if (typeof purpose === 'string' && /prefetch|prerender/i.test(purpose)) return 'prefetch';
  const userAgent = headers['user-agent'];
  if (!userAgent) return 'no_user_agent';
  if (AUTOMATED.test(userAgent)) return 'bot';
  return undefined;
}
