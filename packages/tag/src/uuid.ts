/** A random UUID v4. `crypto.randomUUID` exists only in secure contexts, so plain http gets a fallback. */
export function uuid(): string {
  return (
    crypto.randomUUID?.() ??
    // Each 0 and 1 of the template becomes a random hex digit, and the 8 the variant digit (8 to b).
    '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) =>
      (+digit ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+digit / 4)))).toString(16),
    )
  );
}
