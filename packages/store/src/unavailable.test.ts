import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './unavailable.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), true],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET'), true],
    ["PostgreSQL's connection failure", withCode('connection failure', '08006'), true],
    ['an administrator shutting PostgreSQL down', withCode('terminating connection due to administrator command', '57P01'), true],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly'), true],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect'), true],
    ['a statement that outlived its timeout', new Error('Query read timeout'), true],
    ['a SQLite file locked past busy_timeout', withCode('database is locked', 'SQLITE_BUSY'), true],
    ["PostgreSQL's connection slots all taken", withCode('sorry, too many clients already', '53300'), true],
    ['a bad statement', withCode('column "nothing" does not exist', '42703'), false],
    ['a unique violation', withCode('duplicate key value', '23505'), false],
    ['a bug of ours', new TypeError("Cannot read properties of undefined (reading 'id')"), false],
    ['something thrown that is no error', 'ECONNRESET', false],
  ])('%s: %s', (_what, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});
