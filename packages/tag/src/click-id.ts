// Snap appends `ScCid` to ad landing URLs, but redirects and link shorteners change the casing of
// query names, so the name is matched in any casing. The value is opaque: it keeps its casing.
const SCCID = /[?&]sccid=([^&#]*)/i;

/** The Snapchat click id (`ScCid`) in a URL's query, or undefined when it has none. */
export function clickIdFrom(url: string): string | undefined {
  const value = SCCID.exec(url.split('#')[0])?.[1];
  if (!value) return;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
