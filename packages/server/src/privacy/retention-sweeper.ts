import type { ExpiredRecords, Store } from '@datafirst/store';
import type { Logger } from 'pino';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How often the sweep runs: retention is counted in days, so an hour late is no matter. */
export const RETENTION_SWEEP_MS = 60 * 60 * 1000;

export interface RetentionSweeperOptions {
  store: Store;
  retentionDays: number;
  logger: Logger;
  /** Between sweeps (default hourly); the first runs at start. */
  intervalMs?: number;
  now?: () => number;
}

/** The oldest receipt time kept (epoch ms) when events are kept `retentionDays`. */
export function retentionCutoff(now: number, retentionDays: number): number {
  return now - retentionDays * DAY_MS;
}

/**
 * Deletes raw events older than the retention period, and the personal data kept beside them
 * (profiles, who clicked a smart link, the cells quoted in sync runs' errors), at start and then
 * periodically, beside the delivery worker. Delivery outcomes stay as daily counts. Several processes may sweep the same database: a second sweep finds nothing.
 */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: RetentionSweeperOptions) {}

  /** Sweeps now, then every interval. */
  start(): void {
    const tick = () => {
      this.running ??= this.sweep().finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.options.intervalMs ?? RETENTION_SWEEP_MS);
    this.timer.unref();
  }

  /** Deletes what is past retention now; resolves with how many events went, and what else expired. */
  async sweepOnce(): Promise<{ events: number } & ExpiredRecords> {
    const cutoff = retentionCutoff((this.options.now ?? Date.now)(), this.options.retentionDays);
    const events = await this.options.store.privacy.deleteEventsBefore(cutoff);
    return { events, ...(await this.options.store.privacy.expireRecordsBefore(cutoff)) };
  }

  /** Stops sweeping, after the sweep under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async sweep(): Promise<void> {
    try {
      const expired = await this.sweepOnce();
      if (Object.values(expired).some((count) => count > 0)) {
        this.options.logger.info({ ...expired, retentionDays: this.options.retentionDays }, 'deleted expired personal data');
      }
    } catch (error) {
      this.options.logger.error({ err: error }, 'retention sweep failed; retrying at the next one');
    }
  }
}
