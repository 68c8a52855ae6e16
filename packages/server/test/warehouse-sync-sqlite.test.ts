import { describe } from 'vitest';
import { describeWarehouseSync } from './warehouse-sync-scenario.js';
import { sqliteSales } from './warehouse-fixtures.js';

describe('a sync from a SQLite file', () => describeWarehouseSync(sqliteSales));
