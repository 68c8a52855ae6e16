import { describe } from 'vitest';
import { describeWarehouseSync } from './warehouse-sync-scenario.js';
import { postgresSales } from './warehouse-fixtures.js';

describe('a sync from PostgreSQL', () => describeWarehouseSync(postgresSales));
