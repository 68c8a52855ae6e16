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
 * The message with the texts of its `context.page` cut to what the schema takes, as it came when
 * none is longer. A page's URL is the client's to choose (a search, a tracking redirect): refused,
 * it would take the whole event with it, a purchase on a long thank-you URL included.
 */
export function withLongPageFieldsCut(input: unknown): unknown {
  if (!isJsonObject(input) || !isJsonObject(input.context) || !isJsonObject(input.context.page)) return input;
  const page = input.context.page;
  let cut: Record<string, unknown> | undefined;
  for (const [field, length] of Object.entries(PAGE_FIELD_LENGTHS)) {
    const text = page[field];
    if (typeof text === 'string' && text.length > length) (cut ??= { ...page })[field] = text.slice(0, length);
  }
  return cut === undefined ? input : { ...input, context: { ...input.context, page: cut } };
}
