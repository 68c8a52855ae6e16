/** A random UUID v4. `crypto.randomUUID` exists only in secure contexts, so plain http gets a fallback. */
export function uuid(source: Pick<Crypto, 'getRandomValues'> & Partial<Pick<Crypto, 'randomUUID'>> = crypto): string {
  return (
    source.randomUUID?.() ??
    // The template 10000000-1000-4000-8000-100000000000, spelled short: each 0 and 1 becomes a random
    // hex digit, and each 8 the variant digit (8, 9, a or b).
    `${1e7}-${1e3}-${4e3}-${8e3}-${1e11}`.replace(/[018]/g, (digit) =>
      (+digit ^ (source.getRandomValues(new Uint8Array(1))[0] & (15 >> (+digit / 4)))).toString(16),
    )
  );
}
