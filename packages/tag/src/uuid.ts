/** A random UUID v4; `crypto.randomUUID` exists only on https pages, so plain http gets a fallback. */
export function uuid(random: Pick<Crypto, 'getRandomValues'> & Partial<Pick<Crypto, 'randomUUID'>> = crypto): string {
  return random.randomUUID
    ? random.randomUUID()
    : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) =>
        (+digit ^ (random.getRandomValues(new Uint8Array(1))[0] & (15 >> (+digit / 4)))).toString(16),
      );
}
