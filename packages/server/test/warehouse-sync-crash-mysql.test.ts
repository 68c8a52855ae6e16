import { describe } from 'vitest';
import { describeKilledRun } from './warehouse-sync-crash-scenario.js';
import { largeMysqlSales } from './warehouse-fixtures.js';

describe('a MySQL/MariaDB sync killed mid-run', () => describeKilledRun(largeMysqlSales, 'mysql'));
