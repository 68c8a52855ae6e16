import type { Integration, Source, Store } from '@datafirst/store';

// Other processes (extra workers, a second collector) may change sources and integrations; this
// bounds how long a cached answer may be stale. Changes made through this process apply at once.
const TTL_MS = 5_000;

interface Entry<T> {
  value: T;
  expires: number;
}

/**
 * Sources by write key and integrations by source, cached in memory: the ingest hot path reads
 * them on every request.
 */
export class SourceDirectory {
  private readonly sources = new Map<string, Entry<Source | undefined>>();
  private readonly integrations = new Map<string, Entry<Integration[]>>();

  constructor(private readonly store: Store) {}

  /** The source a write key belongs to, or undefined. */
  async sourceForWriteKey(writeKey: string): Promise<Source | undefined> {
    const cached = this.sources.get(writeKey);
    if (cached && cached.expires > Date.now()) return cached.value;
    const value = await this.store.findSourceByWriteKey(writeKey);
    if (this.sources.size > 10_000) this.sources.clear(); // unknown keys must not grow this forever
    this.sources.set(writeKey, { value, expires: Date.now() + TTL_MS });
    return value;
  }

  /** A source's integrations (enabled or not). */
  async integrationsOf(sourceId: string): Promise<Integration[]> {
    const cached = this.integrations.get(sourceId);
    if (cached && cached.expires > Date.now()) return cached.value;
    const value = await this.store.listIntegrations(sourceId);
    this.integrations.set(sourceId, { value, expires: Date.now() + TTL_MS });
    return value;
  }

  /** Forgets everything cached, after a change through the admin API. */
  invalidate(): void {
    this.sources.clear();
    this.integrations.clear();
  }
}
