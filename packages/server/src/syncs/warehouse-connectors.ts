import type { WarehouseKind } from '@datafirst/store';
import { connectMysql } from './mysql-connection.js';
import { connectPostgres } from './postgres-connection.js';
import { connectSqlite } from './sqlite-connection.js';
import type { WarehouseConnector } from './warehouse-connection.js';

/** The connector of each warehouse engine. */
export const WAREHOUSE_CONNECTORS: Readonly<Record<WarehouseKind, WarehouseConnector>> = {
  postgres: connectPostgres,
  mysql: connectMysql,
  sqlite: connectSqlite,
};

/** The warehouse kinds, for validation messages. */
export const WAREHOUSE_KINDS = Object.keys(WAREHOUSE_CONNECTORS) as WarehouseKind[];
