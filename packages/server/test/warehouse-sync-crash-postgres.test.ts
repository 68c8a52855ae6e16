import { describe } from 'vitest';
import { describeKilledRun } from './warehouse-sync-crash-scenario.js';
import { largePostgresSales } from './warehouse-fixtures.js';

describe('a PostgreSQL sync killed mid-run', () => describeKilledRun(largePostgresSales, 'postgres'));
