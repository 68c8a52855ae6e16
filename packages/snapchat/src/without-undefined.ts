/**
 * A copy of `value` without the keys whose value is `undefined`, in the literal's key order, so
 * payloads serialise with a stable, documented key order and no empty fields.
 */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
