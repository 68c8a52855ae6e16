/**
 * A copy of `value` without the keys whose value is `undefined`, in the literal's key order, so
 * payloads serialise with a stable, documented key order and no empty fields.
 */
export function withoutUndefined<T extends object>(value: T): T {
  // A plain loop: this runs for every event the worker builds, and entries/fromEntries allocate.
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    const entry = value[key];
    if (entry !== undefined) copy[key] = entry;
  }
  return copy as T;
}
