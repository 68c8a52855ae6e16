import { describe } from 'vitest';
import { describeKilledRun } from './warehouse-sync-crash-scenario.js';
import { largeCsvSales } from './warehouse-fixtures.js';

describe('a CSV upload killed mid-run', () => describeKilledRun(largeCsvSales, 'csv'));
