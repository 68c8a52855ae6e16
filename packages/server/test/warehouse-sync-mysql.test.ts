import { describe } from 'vitest';
import { describeWarehouseSync } from './warehouse-sync-scenario.js';
import { mysqlSales } from './warehouse-fixtures.js';

describe('a sync from MySQL', () => describeWarehouseSync(mysqlSales));
