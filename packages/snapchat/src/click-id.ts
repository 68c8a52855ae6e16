import type { MessageContext } from '@datafirst/protocol';

/** Reads the `ScCid` query parameter from a URL, matching its name in any casing. */
export function clickIdFromUrl(url: string | undefined): string | undefined {
  // Runs for every message: most URLs carry no click id, and a full URL parse costs microseconds.
  if (!url || !/sccid=/i.test(url)) return undefined;
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  for (const [key, value] of params) {
    if (key.toLowerCase() === 'sccid' && value) return value;
  }
  return undefined;
}

/**
 * Snapchat's first-party identifiers for a message, at ingest: the click id of the landing URL
 * (the latest click, so it wins over an older cookie value), else the one the sender gave, else
 * the `_scclid` cookie; and the `_scid` cookie unless the sender gave one.
 */
export function withSnapchatIds(context: MessageContext, cookies: Readonly<Record<string, string>>): MessageContext {
  const snapchat = { ...(context.snapchat ?? {}) };
  snapchat.clickId = clickIdFromUrl(context.page?.url) ?? snapchat.clickId ?? cookies._scclid;
  snapchat.cookie1 ??= cookies._scid;
  if (snapchat.clickId === undefined) delete snapchat.clickId;
  if (snapchat.cookie1 === undefined) delete snapchat.cookie1;
  return { ...context, snapchat };
}
