import type { Store } from '@datafirst/store';
import type { Logger } from 'pino';
import type { SyncRunner } from './sync-runner.js';

export interface SyncSchedulerOptions {
  store: Store;
  runner: SyncRunner;
  logger?: Logger;
  /** How often to look for due syncs (default 15 s): a scheduled run starts at most this late. */
  intervalMs?: number;
}

/**
 * Runs scheduled syncs when due, in the worker process. Several workers may run it on one
 * database: the store's lease lets one of them run a sync, and the others skip it.
 */
export class SyncScheduler {
  private timer: NodeJS.Timeout | undefined;
  private looking: Promise<void> | undefined;
  /** The runs this process started, by sync: each streams, so memory stays flat per run. */
  private readonly running = new Map<string, Promise<unknown>>();
  private stopped = false;

  constructor(private readonly options: SyncSchedulerOptions) {}

  /** Looks for due syncs now and every interval. */
  start(): void {
    const look = () => {
      this.looking ??= this.startDue().finally(() => (this.looking = undefined));
    };
    look();
    this.timer = setInterval(look, this.options.intervalMs ?? 15_000);
    this.timer.unref();
  }

  /**
   * Starts every due sync not running here already, side by side: one whose warehouse query
   * hangs holds up its own schedule only, never the other syncs'.
   */
  private async startDue(): Promise<void> {
    const { store, runner, logger } = this.options;
    try {
      for (const id of await store.syncs.dueSyncs()) {
        if (this.stopped) return;
        if (this.running.has(id)) continue;
        const sync = await store.syncs.getSync(id);
        if (!sync) continue;
        const requested = await runner.start(sync, 'schedule');
        if (!requested.started) continue;
        const done = requested.done.finally(() => this.running.delete(id));
        this.running.set(id, done);
      }
    } catch (error) {
      logger?.error({ err: error }, 'running scheduled syncs failed');
    }
  }

  /** Stops looking and waits for the runs in progress to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.looking;
    await Promise.allSettled(this.running.values());
  }
}
