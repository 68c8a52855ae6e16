// Express and its body parsers throw http-errors: an Error with `status`, and for body problems a
// `type` such as `entity.too.large` (with the `limit` it exceeded). Handlers get them untyped.

/** The fields an error thrown inside Express may carry; any of them may be missing. */
export interface ExpressError {
  status?: unknown;
  type?: unknown;
  limit?: unknown;
  message?: unknown;
}

/** Reads a thrown value as an Express error: its fields, or none when it is not an object. */
export function asExpressError(error: unknown): ExpressError {
  return typeof error === 'object' && error !== null ? error : {};
}

/** The client-error status (4xx) an error carries, or 500 for anything else. */
export function errorStatus(error: ExpressError): number {
  return typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
}

/**
 * Why a body parser refused a request body, as every JSON API of ours says it: malformed JSON, or
 * a body over the limit; undefined for any other error.
 */
export function bodyErrorReason(error: ExpressError): string | undefined {
  if (error.type === 'entity.parse.failed') return `malformed JSON: ${String(error.message)}`;
  if (error.type === 'entity.too.large') return `request body larger than ${String(error.limit)} bytes`;
  return undefined;
}
