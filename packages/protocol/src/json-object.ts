/** True for a JSON object: not null, not an array. The shape messages, contexts and traits take. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
