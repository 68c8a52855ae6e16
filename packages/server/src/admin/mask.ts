/** Shows only the last four characters of a secret: enough to tell two apart, never enough to use. */
export function maskSecret(secret: unknown): string | undefined {
  if (typeof secret !== 'string' || secret === '') return undefined;
  return `****${secret.length > 12 ? secret.slice(-4) : ''}`;
}

/** A copy of a config with every secret its destination declares masked. */
export function maskConfig(config: Record<string, unknown>, secretKeys: readonly string[]): Record<string, unknown> {
  const masked = { ...config };
  for (const key of secretKeys) {
    if (key in masked) masked[key] = maskSecret(masked[key]);
  }
  return masked;
}

/** A URL with its password masked: enough to see where it points, never enough to log in. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '****';
    return parsed.toString();
  } catch {
    return '****';
  }
}
