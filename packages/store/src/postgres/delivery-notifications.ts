import pg from 'pg';

/** The channel an append's transaction notifies when it queued deliveries; the payload is the schema. */
export const DELIVERIES_CHANNEL = 'datafirst_deliveries';

/** Reconnect delays after the listening connection is lost: quick at first, then every few seconds. */
const RECONNECT_MS = [100, 500, 1_000, 2_000, 5_000];

/**
 * Wake-ups across machines: one dedicated connection that LISTENs on DELIVERIES_CHANNEL and tells
 * the listeners when any process committed new deliveries on this schema. It reconnects by itself
 * when the connection is lost (the database restarted); meanwhile workers fall back to polling.
 */
export class DeliveryNotifications {
  private readonly listeners = new Set<() => void>();
  private client: pg.Client | undefined;
  private schema: string | undefined;
  private closed = false;
  private failures = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: pg.ClientConfig,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Calls `listener` on each notification until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.client && !this.reconnectTimer) void this.connect();
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Tells this process's listeners at once (its own commits, without a round trip). */
  notifyLocal(): void {
    for (const listener of this.listeners) listener();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(this.connection);
    this.client = client;
    // A lost connection emits 'error' (and 'end'): never unhandled, it would end the process.
    client.on('error', (error) => {
      this.onError(error);
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel === DELIVERIES_CHANNEL && (message.payload ?? '') === this.schema) this.notifyLocal();
    });
    try {
      await client.connect();
      this.schema = (await client.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]!.schema;
      await client.query(`LISTEN ${DELIVERIES_CHANNEL}`);
      this.failures = 0;
      // Deliveries may have been queued while nobody listened: let the listeners look once.
      this.notifyLocal();
    } catch (error) {
      this.onError(error as Error);
      this.lost(client);
    }
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (this.closed || this.listeners.size === 0) return;
    const delay = RECONNECT_MS[Math.min(this.failures++, RECONNECT_MS.length - 1)]!;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
