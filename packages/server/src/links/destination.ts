/** Longest destination URL accepted; the redirect adds the click's parameters to it. */
export const MAX_DESTINATION_LENGTH = 2048;

/** A checked destination (normalised by the URL parser), or why it is refused. */
export type DestinationCheck = { ok: true; url: string } | { ok: false; error: string };

/**
 * Checks a link's destination when the link is saved: an absolute http(s) URL with a host and no
 * credentials. The redirect only ever goes there, never to a URL taken from the request, so a
 * link cannot be turned into an open redirect.
 */
export function checkDestination(input: unknown): DestinationCheck {
  if (typeof input !== 'string' || input.trim() === '')
    return { ok: false, error: 'destination_url: an absolute http(s) URL is required' };
  const text = input.trim();
  if (text.length > MAX_DESTINATION_LENGTH)
    return { ok: false, error: `destination_url: at most ${MAX_DESTINATION_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: `destination_url: ${JSON.stringify(text)} is not an absolute URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: `destination_url: must be http or https, not ${url.protocol.replace(/:$/, '')}` };
  }
  if (url.hostname === '') return { ok: false, error: 'destination_url: must name a host' };
  // https://trusted.example@evil.example/ reads as the first host to a person and goes to the second.
  if (url.username !== '' || url.password !== '')
    return { ok: false, error: 'destination_url: must not contain a user name or password' };
  return { ok: true, url: url.href };
}

/** One `name=value` of a query string: as it arrived, and its decoded name. */
interface QueryPart {
  raw: string;
  name: string;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

// A Location header may carry only visible ASCII; anything else is percent-encoded on the way.
const unsafe = /[^\x21-\x7e]/g;

function queryParts(query: string): QueryPart[] {
  return query
    .split('&')
    .filter((raw) => raw !== '')
    .map((raw) => ({ raw: raw.replace(unsafe, (c) => encodeURIComponent(c)), name: decode(raw.split('=', 1)[0]!) }));
}

/**
 * Where a click is sent: the destination with every parameter it has, plus every parameter of
 * the click that the destination does not already set, plus our click id under `clickIdParam`.
 * Parameters are copied as they arrived, not re-encoded, so offers read them exactly as sent.
 * The destination's own parameters win: a click URL with `?aff=someone-else` must not take
 * over the owner's affiliate id.
 */
export function redirectUrl(destination: string, clickQuery: string, clickIdParam: string, clickId: string | undefined): string {
  const hashAt = destination.indexOf('#');
  const hash = hashAt < 0 ? '' : destination.slice(hashAt);
  const beforeHash = hashAt < 0 ? destination : destination.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  const base = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
  const own = queryParts(queryAt < 0 ? '' : beforeHash.slice(queryAt + 1));
  const ownNames = new Set(own.map((part) => part.name));

  const parts = [
    ...own.filter((part) => part.name !== clickIdParam || clickId === undefined).map((part) => part.raw),
    ...queryParts(clickQuery)
      .filter((part) => !ownNames.has(part.name) && part.name !== clickIdParam)
      .map((part) => part.raw),
  ];
  if (clickId !== undefined) parts.push(`${encodeURIComponent(clickIdParam)}=${encodeURIComponent(clickId)}`);
  return `${base}${parts.length > 0 ? `?${parts.join('&')}` : ''}${hash}`;
}

/** Every parameter of a query string, decoded, in order, repeats included. */
export function queryPairs(query: string): [string, string][] {
  return [...new URLSearchParams(query)];
}
