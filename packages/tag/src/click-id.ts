/**
 * The Snapchat click id (`ScCid`) in a URL's query, or undefined. Redirects and link shorteners
 * change the casing of query names, so the name matches in any casing; the value is opaque and
 * keeps its own.
 */
export function clickIdFrom(url: string): string | undefined {
  for (const [name, value] of new URL(url).searchParams) if (/^sccid$/i.test(name) && value) return value;
}
