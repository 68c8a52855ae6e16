import { describe } from 'vitest';
import { describeWarehouseSync } from './warehouse-sync-scenario.js';
import { csvSales } from './warehouse-fixtures.js';

describe('a sync from uploaded CSV files', () => describeWarehouseSync(csvSales));
