import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DestinationRegistry } from '@datafirst/destination';
import { MAX_EVENTS_PER_COMMIT, type Store, type Sync, type SyncRun } from '@datafirst/store';
import type { Logger } from 'pino';
import type { EventPipeline } from '../pipeline/event-pipeline.js';
import type { SourceDirectory } from '../source-directory.js';
import { csvRows } from './csv-rows.js';
import { executeRun } from './sync-run.js';
import { WAREHOUSE_CONNECTORS } from './warehouse-connectors.js';
import { WarehouseError, type RowBatch, type WarehouseConnection, type WarehouseConnector } from './warehouse-connection.js';
import type { WarehouseKind } from '@datafirst/store';

export interface SyncRunnerOptions {
  store: Store;
  pipeline: EventPipeline;
  directory: SourceDirectory;
  destinations: DestinationRegistry;
  logger?: Logger;
  /** How long a run's lease lasts without renewal (default 60 s); renewed a few times within it. */
  leaseMs?: number;
  /**
   * Rows read, compared and stored at a time (default 5,000, the most one group commit of the
   * store takes): a sync is bulk, not latency-bound. A batch shares one commit, one look-up and one
   * write of row states; a commit's cost is the index pages it dirties, and the email index's keys
   * are random, so 500 rows a commit dirtied about a page each, where 5,000 share their pages.
   */
  batchSize?: number;
  /** The connectors by engine (default: PostgreSQL, MySQL, SQLite). */
  connectors?: Readonly<Record<WarehouseKind, WarehouseConnector>>;
  now?: () => number;
}

/** A run asked for: started (with its end to await), or refused because one is running. */
export type RequestedRun =
  { started: true; run: SyncRun; done: Promise<SyncRun> } | { started: false; activeRunId: string | null };

/** Thrown when the lease of a run was taken over: the run stops, the new holder carries on. */
class LeaseLost extends WarehouseError {}

/**
 * Starts sync runs, one at a time per sync across every process (a lease in the store), reads
 * their rows from the warehouse (or an uploaded CSV file) and runs them to their end.
 */
export class SyncRunner {
  /** This process's name on the leases it takes. */
  readonly owner = `syncs-${randomUUID()}`;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly connectors: Readonly<Record<WarehouseKind, WarehouseConnector>>;
  private readonly running = new Set<Promise<SyncRun>>();
  /** The warehouse connections the runs have open: a shutdown closes them, ending a query that hangs. */
  private readonly open = new Set<WarehouseConnection>();
  private stopping = false;

  constructor(private readonly options: SyncRunnerOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.batchSize = options.batchSize ?? MAX_EVENTS_PER_COMMIT;
    this.connectors = options.connectors ?? WAREHOUSE_CONNECTORS;
  }

  /** Opens a connection to a sync's warehouse; a WarehouseError names what went wrong. */
  async connect(sync: Pick<Sync, 'warehouseId'>): Promise<WarehouseConnection> {
    const warehouse = sync.warehouseId ? await this.options.store.syncs.getWarehouse(sync.warehouseId) : undefined;
    if (!warehouse) throw new WarehouseError('the sync has no warehouse (a CSV sync runs by uploading a file)');
    return this.connectors[warehouse.kind](warehouse.url);
  }

  /** Starts a run of a warehouse sync in the background, unless one is running anywhere. */
  async start(sync: Sync, trigger: 'manual' | 'schedule'): Promise<RequestedRun> {
    return this.begin(sync, trigger, async function* (runner) {
      const connection = await runner.connect(sync);
      runner.open.add(connection);
      try {
        yield* connection.rows(sync.query ?? '', runner.batchSize);
      } catch (error) {
        // The query was cut short by the shutdown, not by the warehouse: say so.
        if (runner.stopping) throw new WarehouseError('stopped: the process shut down; the next run resumes');
        throw error;
      } finally {
        runner.open.delete(connection);
        await connection.close();
      }
    });
  }

  /** Runs an uploaded CSV file (streamed as it arrives) through a sync's mapping. */
  async upload(sync: Sync, file: Readable): Promise<RequestedRun> {
    return this.begin(sync, 'upload', (runner) => csvRows(file, runner.batchSize));
  }

  private async begin(sync: Sync, trigger: string, rows: (runner: this) => AsyncIterable<RowBatch>): Promise<RequestedRun> {
    const { store, logger } = this.options;
    if (this.stopping) return { started: false, activeRunId: null };
    const start = await store.syncs.startRun(sync.id, this.owner, this.leaseMs, trigger);
    if (!start.started) return start;
    let lost = false;
    const renewal = setInterval(() => {
      store.syncs
        .renewLease(sync.id, this.owner, this.leaseMs)
        .then((held) => void (lost ||= !held))
        .catch((error: unknown) => logger?.warn({ err: error, syncId: sync.id }, 'renewing a sync lease failed'));
    }, this.leaseMs / 3);
    renewal.unref();
    const done = (async () => {
      try {
        const maxEventAgeMs = await this.maxEventAgeMs(sync.sourceId);
        const run = await executeRun(
          {
            store,
            pipeline: this.options.pipeline,
            maxEventAgeMs,
            now: this.options.now ?? Date.now,
            owner: this.owner,
            checkLease: () => {
              if (this.stopping) throw new WarehouseError('stopped: the process shut down; the next run resumes');
              if (lost) throw new LeaseLost('another process took the sync over (this run stalled past its lease)');
            },
          },
          sync,
          start.run,
          rows(this),
        );
        logger?.info({ syncId: sync.id, runId: run.id, status: run.status, counts: run.counts }, 'sync run finished');
        return run;
      } finally {
        clearInterval(renewal);
      }
    })();
    this.running.add(done);
    void done.finally(() => this.running.delete(done)).catch(() => undefined);
    return { started: true, run: start.run, done };
  }

  /** The strictest age limit of the destinations the sync's source sends to. */
  private async maxEventAgeMs(sourceId: string): Promise<number | undefined> {
    const limits = (await this.options.directory.integrationsOf(sourceId))
      .filter((integration) => integration.enabled)
      .map((integration) => this.options.destinations.get(integration.vendor)?.maxEventAgeMs)
      .filter((limit): limit is number => limit !== undefined);
    return limits.length > 0 ? Math.min(...limits) : undefined;
  }

  /**
   * Stops the runs of this process at their next batch, or now for one waiting on its warehouse's
   * query (the next run resumes them), and waits for them.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    // A run waiting on its query would not reach its next batch before the query ends, which may
    // be never: closing its connection ends the wait (the next run resumes it).
    await Promise.allSettled([...this.open].map((connection) => connection.close()));
    await Promise.allSettled([...this.running]);
  }
}
