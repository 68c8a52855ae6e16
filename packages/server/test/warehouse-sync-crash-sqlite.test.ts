import { describe } from 'vitest';
import { describeKilledRun } from './warehouse-sync-crash-scenario.js';
import { largeSqliteSales } from './warehouse-fixtures.js';

describe('a SQLite sync killed mid-run', () => describeKilledRun(largeSqliteSales, 'sqlite'));
