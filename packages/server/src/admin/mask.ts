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

// Query parameters that may hold a secret: drivers take `?password=` as well as `user:password@`.
const SECRET_PARAMETER = /pass|secret|token|key/i;

/** A URL with its password masked: enough to see where it points, never enough to log in. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const secretParameters = [...parsed.searchParams.keys()].filter((name) => SECRET_PARAMETER.test(name));
    if (parsed.password === '' && secretParameters.length === 0) return url;
    if (parsed.password !== '') parsed.password = '****';
    for (const name of secretParameters) parsed.searchParams.set(name, '****');
    return parsed.toString();
  } catch {
    return '****';
  }
}
