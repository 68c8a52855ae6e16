import { isJsonObject, LIMITS } from '@datafirst/protocol';

/** The longest text the schema takes in each field of `context.page`. */
const PAGE_FIELD_LENGTHS: Readonly<Record<string, number>> = {
  url: LIMITS.maxUrlLength,
  path: LIMITS.maxUrlLength,
  referrer: LIMITS.maxUrlLength,
  search: LIMITS.maxUrlLength,
  title: LIMITS.maxPageTitleLength,
};

/**
 * A text cut to `length` (one less where that would split a character of two UTF-16 units, an
 * emoji, in half), or undefined when it is no longer (or no text).
 */
function cutTo(text: unknown, length: number): string | undefined {
  if (typeof text !== 'string' || text.length <= length) return undefined;
  const last = text.charCodeAt(length - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? length - 1 : length);
}

/**
 * The message with the texts of its `context.page` and its `context.userAgent` cut to what the
 * schema takes, as it came when none is longer. They are the client's to choose (a search, a
 * tracking redirect, a crawler's user agent): refused, they would take the whole event with it,
 * a purchase on a long thank-you URL included.
 */
export function withLongContextTextsCut(input: unknown): unknown {
  if (!isJsonObject(input) || !isJsonObject(input.context)) return input;
  let context: Record<string, unknown> | undefined;
  const page = input.context.page;
  if (isJsonObject(page)) {
    let cut: Record<string, unknown> | undefined;
    for (const [field, length] of Object.entries(PAGE_FIELD_LENGTHS)) {
      const text = cutTo(page[field], length);
      if (text !== undefined) (cut ??= { ...page })[field] = text;
    }
    if (cut) context = { ...input.context, page: cut };
  }
  const userAgent = cutTo(input.context.userAgent, LIMITS.maxUserAgentLength);
  if (userAgent !== undefined) context = { ...(context ?? input.context), userAgent };
  return context === undefined ? input : { ...input, context };
}
