/**
 * Errors that say the database cannot be reached now (it is down, restarting, partitioned, or
 * locked for longer than the wait), not that a statement or our code is wrong: the caller should
 * answer 503 with Retry-After and let its client come back.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

// node-postgres reports a lost or hung connection by these messages, with no code.
const PG_MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Query read timeout',
];

/** True when `error` means the database is unreachable or busy for now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // PostgreSQL's connection exceptions (08…), an administrator's shutdown (57P01–57P03) and its
    // connection slots all taken (53300); SQLite's file locked past busy_timeout.
    if (NETWORK_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300') return true;
    if (code === 'SQLITE_BUSY') return true;
  }
  return PG_MESSAGES.includes(error.message);
}
