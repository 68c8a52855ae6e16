import express, { type Request, type Router } from 'express';
import type { DestinationRegistry } from '@datafirst/destination';
import type { Store, Sync } from '@datafirst/store';
import type { Logger } from 'pino';
import { knownFields, objectBody, throwIfAny } from '../admin/admin-input.js';
import { adminRoute } from '../admin/admin-route.js';
import type { EventPipeline } from '../pipeline/event-pipeline.js';
import type { SourceDirectory } from '../source-directory.js';
import { csvRows } from './csv-rows.js';
import { MAPPING_TARGETS, missingColumns, parseMapping } from './mapping.js';
import { checkSyncFields } from './sync-input.js';
import { runJson, syncJson } from './sync-json.js';
import { PREVIEW_ROWS, previewRows } from './sync-preview.js';
import type { SyncRunner } from './sync-runner.js';
import { queryColumns, WarehouseError, type RowBatch } from './warehouse-connection.js';

export interface SyncRoutesOptions {
  store: Store;
  runner: SyncRunner;
  pipeline: EventPipeline;
  directory: SourceDirectory;
  destinations: DestinationRegistry;
  logger?: Logger;
}

const CREATE_FIELDS = [
  'name',
  'kind',
  'warehouse_id',
  'source_id',
  'query',
  'primary_key',
  'mapping',
  'action_source',
  'mode',
  'schedule',
  'enabled',
];
const PATCH_FIELDS = ['name', 'query', 'primary_key', 'mapping', 'action_source', 'mode', 'schedule', 'enabled'];
const MAX_RUNS_LISTED = 100;

// By the header alone: Express's req.is answers null for a request without a body, and an empty
// file is a CSV file, to be refused for being empty rather than for its type.
const isCsv = (req: Request) => /^text\/csv\s*(;|$)/i.test(req.headers['content-type'] ?? '');

/** Syncs: create (after checking the query and its columns), list, read, update, delete; run, runs, preview, upload. */
export function syncRoutes(options: SyncRoutesOptions): Router {
  const { store, runner, logger } = options;
  const router = express.Router();
  const route = (handler: Parameters<typeof adminRoute>[0]) => adminRoute(handler);
  const findSync = async (req: Request) => store.syncs.getSync(String(req.params.id));

  /** Reads the query's columns and refuses a sync whose query fails or lacks a mapped column. */
  const checkQuery = async (sync: Pick<Sync, 'warehouseId' | 'query' | 'primaryKey' | 'mapping'>) => {
    try {
      const connection = await runner.connect(sync);
      try {
        const columns = await queryColumns(connection, sync.query ?? '');
        throwIfAny(missingColumns(parseMapping(sync.mapping, []), sync.primaryKey, columns));
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (error instanceof WarehouseError) throwIfAny([`query: ${error.message}`]);
      throw error;
    }
  };

  router.post(
    '/syncs',
    route(async (req, res) => {
      const body = objectBody(req.body);
      const errors = knownFields(body, CREATE_FIELDS);
      const kind = body.kind ?? 'warehouse';
      if (kind !== 'warehouse' && kind !== 'csv')
        errors.push('kind: "warehouse" (a query, the default) or "csv" (uploaded files)');
      const fields = checkSyncFields(body, errors, true);
      const source = typeof body.source_id === 'string' ? await store.getSource(body.source_id) : undefined;
      if (!source) errors.push('source_id: the id of an existing source (its integrations get the events)');
      let warehouseId: string | null = null;
      if (kind === 'warehouse') {
        const warehouse = typeof body.warehouse_id === 'string' ? await store.syncs.getWarehouse(body.warehouse_id) : undefined;
        if (!warehouse) errors.push('warehouse_id: the id of an existing warehouse');
        if (fields.query === undefined && !('query' in body)) errors.push("query: the model's SQL (e.g. select * from sales)");
        warehouseId = warehouse?.id ?? null;
      } else if ('warehouse_id' in body || 'query' in body || ('schedule' in body && body.schedule !== null)) {
        errors.push('kind: a CSV sync has no warehouse_id, query or schedule: it runs when a file is uploaded');
      }
      throwIfAny(errors);
      const sync = {
        ...(fields as Required<typeof fields>),
        kind: kind as Sync['kind'],
        warehouseId,
        sourceId: source!.id,
        query: fields.query ?? null,
      };
      if (sync.kind === 'warehouse') await checkQuery(sync);
      res.status(201).json(syncJson(await store.syncs.createSync(sync)));
    }),
  );

  router.get(
    '/syncs',
    route(async (_req, res) => {
      res.json({ syncs: (await store.syncs.listSyncs()).map(syncJson) });
    }),
  );

  // Before /syncs/:id, which would take "targets" for an id. The UI's mapping editor offers these.
  router.get(
    '/syncs/targets',
    route(async (_req, res) => {
      res.json({ targets: MAPPING_TARGETS, required: ['event'], property_target: 'properties.<name>' });
    }),
  );

  router.get(
    '/syncs/:id',
    route(async (req, res) => {
      const sync = await findSync(req);
      if (!sync) return void res.status(404).json({ error: 'sync not found' });
      res.json(syncJson(sync));
    }),
  );

  router.patch(
    '/syncs/:id',
    route(async (req, res) => {
      const sync = await findSync(req);
      if (!sync) return void res.status(404).json({ error: 'sync not found' });
      const body = objectBody(req.body);
      const errors = knownFields(body, PATCH_FIELDS, ['id', 'kind', 'warehouse_id', 'source_id']);
      const fields = checkSyncFields(body, errors, false);
      if (sync.kind === 'csv' && (fields.query !== undefined || (fields.everyMinutes ?? null) !== null)) {
        errors.push('kind: a CSV sync has no query or schedule');
      }
      throwIfAny(errors);
      const updated = { ...sync, ...fields };
      if (
        sync.kind === 'warehouse' &&
        (fields.query !== undefined || fields.mapping !== undefined || fields.primaryKey !== undefined)
      ) {
        await checkQuery(updated);
      }
      res.json(syncJson((await store.syncs.updateSync(sync.id, fields))!));
    }),
  );

  router.delete(
    '/syncs/:id',
    route(async (req, res) => {
      if (!(await store.syncs.deleteSync(String(req.params.id)))) return void res.status(404).json({ error: 'sync not found' });
      res.status(204).end();
    }),
  );

  router.post(
    '/syncs/:id/run',
    route(async (req, res) => {
      const sync = await findSync(req);
      if (!sync) return void res.status(404).json({ error: 'sync not found' });
      if (sync.kind === 'csv')
        return void res.status(400).json({ error: 'a CSV sync runs by uploading a file: POST /v1/admin/syncs/:id/upload' });
      const requested = await runner.start(sync, 'manual');
      if (!requested.started) {
        return void res.status(409).json({ error: 'the sync is running already', run_id: requested.activeRunId });
      }
      requested.done.catch((error: unknown) => logger?.error({ err: error, syncId: sync.id }, 'sync run failed'));
      res.status(202).json({ run_id: requested.run.id });
    }),
  );

  router.get(
    '/syncs/:id/runs',
    route(async (req, res) => {
      const sync = await findSync(req);
      if (!sync) return void res.status(404).json({ error: 'sync not found' });
      res.json({ runs: (await store.syncs.listRuns(sync.id, MAX_RUNS_LISTED)).map(runJson) });
    }),
  );

  router.get(
    '/syncs/:id/runs/:run_id',
    route(async (req, res) => {
      const run = await store.syncs.getRun(String(req.params.run_id));
      if (!run || run.syncId !== req.params.id) return void res.status(404).json({ error: 'run not found' });
      res.json(runJson(run));
    }),
  );

  router.post(
    '/syncs/:id/preview',
    route(async (req, res) => {
      const sync = await findSync(req);
      if (!sync) return void res.status(404).json({ error: 'sync not found' });
      if (sync.kind === 'csv' && !isCsv(req)) {
        return void res.status(415).json({ error: 'preview a CSV sync by sending the file with Content-Type: text/csv' });
      }
      const integrations = await options.directory.integrationsOf(sync.sourceId);
      try {
        const preview = async (batches: AsyncIterable<RowBatch>) =>
          previewRows({ pipeline: options.pipeline, destinations: options.destinations, integrations }, sync, batches);
        if (sync.kind === 'csv') return void res.json(await preview(csvRows(req, PREVIEW_ROWS)));
        const connection = await runner.connect(sync);
        try {
          res.json(await preview(connection.rows(sync.query ?? '', PREVIEW_ROWS)));
        } finally {
          await connection.close();
        }
      } catch (error) {
        if (error instanceof WarehouseError) return void res.status(400).json({ error: error.message });
        throw error;
      }
    }),
  );

  router.post(
    '/syncs/:id/upload',
    route(async (req, res) => {
      const sync = await findSync(req);
      if (!sync) return void res.status(404).json({ error: 'sync not found' });
      if (sync.kind !== 'csv') {
        req.resume();
        return void res
          .status(400)
          .json({ error: 'a warehouse sync runs its query: POST /v1/admin/syncs/:id/run (files are for CSV syncs)' });
      }
      if (!isCsv(req))
        return void res.status(415).json({ error: 'send the file with Content-Type: text/csv (UTF-8, a header row)' });
      const requested = await runner.upload(sync, req);
      if (!requested.started) {
        req.resume();
        return void res.status(409).json({ error: 'the sync is running already', run_id: requested.activeRunId });
      }
      const run = await requested.done;
      res.status(run.status === 'succeeded' ? 200 : 400).json({ run_id: run.id, ...runJson(run) });
    }),
  );

  return router;
}
