/** Shows only the last four characters of a secret: enough to tell two apart, never enough to use. */
export function maskSecret(secret: unknown): string | undefined {
  if (typeof secret !== 'string' || secret === '') return undefined;
  return `****${secret.length > 12 ? secret.slice(-4) : ''}`;
}

/** Integration config keys that hold secrets. */
export const SECRET_CONFIG_KEYS = ['access_token'] as const;

/** A copy of a config with every secret masked. */
export function maskConfig(config: Record<string, unknown>): Record<string, unknown> {
  const masked = { ...config };
  for (const key of SECRET_CONFIG_KEYS) {
    if (key in masked) masked[key] = maskSecret(masked[key]);
  }
  return masked;
}
