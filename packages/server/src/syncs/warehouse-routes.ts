import express, { type Router } from 'express';
import type { Store, WarehouseKind } from '@datafirst/store';
import type { Logger } from 'pino';
import { checkName, knownFields, objectBody, throwIfAny } from '../admin/admin-input.js';
import { adminRoute } from '../admin/admin-route.js';
import { maskUrl } from '../admin/mask.js';
import { warehouseJson } from './sync-json.js';
import { checkWarehouseUrl, WarehouseError } from './warehouse-connection.js';
import { WAREHOUSE_CONNECTORS, WAREHOUSE_KINDS } from './warehouse-connectors.js';

const CREATE_FIELDS = ['name', 'kind', 'config'];
const PATCH_FIELDS = ['name', 'config'];

/** Connects to a warehouse and lists the tables it can read; a WarehouseError names what failed. */
async function readableTables(kind: WarehouseKind, url: string): Promise<string[]> {
  const connection = await WAREHOUSE_CONNECTORS[kind](url);
  try {
    return await connection.tables();
  } finally {
    await connection.close();
  }
}

/** The URL of a `config` body; the masked URL the API showed means "unchanged". */
function configUrl(kind: WarehouseKind, config: unknown, current: string | undefined, errors: string[]): string {
  const url = (config as { url?: unknown } | null)?.url;
  if (typeof config !== 'object' || config === null || Object.keys(config).join() !== 'url') {
    errors.push('config: { "url": the connection URL }');
    return '';
  }
  if (current !== undefined && url === maskUrl(current)) return current;
  return checkWarehouseUrl(kind, url, errors);
}

/** Warehouses: create (after connecting), list, read, update, delete, and test the connection. */
export function warehouseRoutes(options: { store: Store; logger?: Logger }): Router {
  const { store } = options;
  const router = express.Router();
  const route = (handler: Parameters<typeof adminRoute>[0]) => adminRoute(handler);
  /** Refuses a warehouse that does not connect, with the reason (never the password). */
  const mustConnect = async (kind: WarehouseKind, url: string) => {
    try {
      await readableTables(kind, url);
    } catch (error) {
      if (error instanceof WarehouseError) throwIfAny([`config.url: ${error.message}`]);
      throw error;
    }
  };

  router.post(
    '/warehouses',
    route(async (req, res) => {
      const body = objectBody(req.body);
      const errors = knownFields(body, CREATE_FIELDS);
      const name = checkName(body.name, errors);
      const kind = body.kind as WarehouseKind;
      if (!WAREHOUSE_KINDS.includes(kind)) errors.push(`kind: one of ${WAREHOUSE_KINDS.join(', ')}`);
      const url = WAREHOUSE_KINDS.includes(kind) ? configUrl(kind, body.config, undefined, errors) : '';
      throwIfAny(errors);
      await mustConnect(kind, url);
      res.status(201).json(warehouseJson(await store.syncs.createWarehouse({ name, kind, url })));
    }),
  );

  router.get(
    '/warehouses',
    route(async (_req, res) => {
      res.json({ warehouses: (await store.syncs.listWarehouses()).map(warehouseJson) });
    }),
  );

  router.get(
    '/warehouses/:id',
    route(async (req, res) => {
      const warehouse = await store.syncs.getWarehouse(String(req.params.id));
      if (!warehouse) return void res.status(404).json({ error: 'warehouse not found' });
      res.json(warehouseJson(warehouse));
    }),
  );

  router.patch(
    '/warehouses/:id',
    route(async (req, res) => {
      const warehouse = await store.syncs.getWarehouse(String(req.params.id));
      if (!warehouse) return void res.status(404).json({ error: 'warehouse not found' });
      const body = objectBody(req.body);
      const errors = knownFields(body, PATCH_FIELDS, ['kind', 'id']);
      const name = 'name' in body ? checkName(body.name, errors) : undefined;
      const url = 'config' in body ? configUrl(warehouse.kind, body.config, warehouse.url, errors) : undefined;
      throwIfAny(errors);
      if (url !== undefined && url !== warehouse.url) await mustConnect(warehouse.kind, url);
      res.json(warehouseJson((await store.syncs.updateWarehouse(warehouse.id, { name, url }))!));
    }),
  );

  router.delete(
    '/warehouses/:id',
    route(async (req, res) => {
      const outcome = await store.syncs.deleteWarehouse(String(req.params.id));
      if (outcome === 'not_found') return void res.status(404).json({ error: 'warehouse not found' });
      if (outcome === 'in_use') return void res.status(409).json({ error: 'a sync uses this warehouse: delete the sync first' });
      res.status(204).end();
    }),
  );

  router.post(
    '/warehouses/:id/test',
    route(async (req, res) => {
      const warehouse = await store.syncs.getWarehouse(String(req.params.id));
      if (!warehouse) return void res.status(404).json({ error: 'warehouse not found' });
      try {
        res.json({ ok: true, tables: await readableTables(warehouse.kind, warehouse.url) });
      } catch (error) {
        if (!(error instanceof WarehouseError)) throw error;
        res.json({ ok: false, error: error.message });
      }
    }),
  );

  return router;
}
