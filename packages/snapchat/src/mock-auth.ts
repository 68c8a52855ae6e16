/** Access token → the asset ids (Pixel IDs, Snap App IDs) it may send for. */
export type MockTokenMap = Record<string, string[]>;

/** Whether a request may go on: yes, no token Snap knows (401), or a token not allowed for the asset (403). */
export type MockAuthOutcome = 'ok' | 'unauthenticated' | 'forbidden';

/**
 * The token a request carries. v3 reads the `access_token` query parameter first and then a Bearer
 * header; v2 only ever reads the Bearer header.
 */
export function readMockToken(
  apiVersion: 'v3' | 'v2',
  query: URLSearchParams,
  authorization: string | undefined,
): string | undefined {
  if (apiVersion === 'v3') {
    const fromQuery = query.get('access_token')?.trim();
    if (fromQuery) return fromQuery;
  }
  const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  const fromHeader = match?.[1]?.trim();
  return fromHeader ? fromHeader : undefined;
}

/**
 * Decides whether `token` may act for every one of `assetIds`. Without a token map (demo mode)
 * any non-empty token passes.
 */
export function checkMockAuth(
  tokens: MockTokenMap | undefined,
  token: string | undefined,
  assetIds: readonly string[],
): MockAuthOutcome {
  if (!token) return 'unauthenticated';
  if (tokens === undefined) return 'ok';
  if (!Object.hasOwn(tokens, token)) return 'unauthenticated';
  const allowed = tokens[token]!; // an own key: checked just above
  return assetIds.every((asset) => allowed.includes(asset)) ? 'ok' : 'forbidden';
}
