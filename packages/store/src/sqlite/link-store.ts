import type Database from 'better-sqlite3';
import type {
  ClickSummary,
  Conversion,
  ConversionHistory,
  DateRange,
  Link,
  LinkClick,
  LinkPatch,
  LinkStats,
  LinkStore,
  NewClick,
  NewConversion,
  NewLink,
  PostbackKey,
  RecordedConversion,
} from '../links.js';
import { patchedLink } from '../links.js';
import { randomToken } from '../ids.js';
import {
  assembleLinkStats,
  rangeMs,
  summariseClicks,
  type ClickDayRow,
  type ClickTotalRow,
  type ConversionDayRow,
} from '../link-counts.js';
import type { DatabaseClock } from './clock.js';
import {
  toClick,
  toConversion,
  toLinks,
  toPostbackKey,
  type ConversionRow,
  type LinkClickRow,
  type LinkIntegrationRow,
  type LinkRow,
  type PostbackKeyRow,
} from '../link-rows.js';
import { flag } from './columns.js';

/** Link ids: 10 characters, about 59 random bits, short enough for an ad's URL field. */
const LINK_ID_LENGTH = 10;

type ClickInsert = Omit<LinkClickRow<0 | 1>, 'source_id'>;

/** The SQLite side of smart links; shares the store's connection, so its writes are as durable. */
export class SqliteLinkStore implements LinkStore {
  private readonly recordClickTransaction;
  private readonly recordConversionTransaction;
  private readonly writeLinkTransaction;

  constructor(
    private readonly db: Database.Database,
    private readonly now: DatabaseClock,
  ) {
    this.recordClickTransaction = db.transaction(this.recordClickBody.bind(this));
    this.recordConversionTransaction = db.transaction(this.recordConversionBody.bind(this));
    this.writeLinkTransaction = db.transaction(this.writeLinkBody.bind(this));
  }

  async createLink(input: NewLink): Promise<Link> {
    const now = this.now();
    // A 59-bit id colliding is all but impossible, but an insert that fails must not lose the link.
    for (let attempt = 0; ; attempt++) {
      const id = randomToken(LINK_ID_LENGTH);
      try {
        this.writeLinkTransaction.immediate(id, input, now, true);
        return (await this.getLink(id))!;
      } catch (error) {
        if (attempt < 3 && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') continue;
        throw error;
      }
    }
  }

  private writeLinkBody(
    id: string,
    link: NewLink & { archivedAt?: number | null; createdAt?: number },
    now: number,
    insert: boolean,
  ): void {
    const row: LinkRow<0 | 1> = {
      id,
      source_id: link.sourceId,
      name: link.name,
      destination_url: link.destinationUrl,
      offer_type: link.offerType,
      include_source_integrations: flag(link.includeSourceIntegrations),
      click_id_param: link.clickIdParam,
      conversion_window_days: link.conversionWindowDays,
      events: JSON.stringify(link.events),
      currency: link.currency,
      archived_at: link.archivedAt ?? null,
      created_at: link.createdAt ?? now,
      updated_at: now,
    };
    if (insert) {
      this.db
        .prepare<LinkRow<0 | 1>, never>(
          `INSERT INTO links (id, source_id, name, destination_url, offer_type, include_source_integrations, click_id_param,
             conversion_window_days, events, currency, archived_at, created_at, updated_at)
           VALUES (@id, @source_id, @name, @destination_url, @offer_type, @include_source_integrations, @click_id_param,
             @conversion_window_days, @events, @currency, @archived_at, @created_at, @updated_at)`,
        )
        .run(row);
    } else {
      this.db
        .prepare<LinkRow<0 | 1>, never>(
          `UPDATE links SET name = @name, destination_url = @destination_url, offer_type = @offer_type,
             include_source_integrations = @include_source_integrations, click_id_param = @click_id_param,
             conversion_window_days = @conversion_window_days, events = @events, currency = @currency,
             archived_at = @archived_at, updated_at = @updated_at
           WHERE id = @id`,
        )
        .run(row);
    }
    this.db.prepare<[string], never>('DELETE FROM link_integrations WHERE link_id = ?').run(id);
    const attach = this.db.prepare<[string, string, number], never>(
      'INSERT INTO link_integrations (link_id, integration_id, position) VALUES (?, ?, ?)',
    );
    [...new Set(link.integrationIds)].forEach((integrationId, position) => attach.run(id, integrationId, position));
  }

  /** The links of these rows with their integrations, read in one query for all of them. */
  private withIntegrations(rows: LinkRow[]): Link[] {
    if (rows.length === 0) return [];
    const attached = this.db
      .prepare<[string], Pick<LinkIntegrationRow, 'link_id' | 'integration_id'>>(
        `SELECT link_id, integration_id FROM link_integrations
         WHERE link_id IN (SELECT value FROM json_each(?)) ORDER BY link_id, position`,
      )
      .all(JSON.stringify(rows.map((row) => row.id)));
    return toLinks(rows, attached);
  }

  async getLink(id: string): Promise<Link | undefined> {
    const row = this.db.prepare<[string], LinkRow<0 | 1>>('SELECT * FROM links WHERE id = ?').get(id);
    return row && this.withIntegrations([row])[0];
  }

  async listLinks(sourceId?: string): Promise<Link[]> {
    const rows = sourceId
      ? this.db
          .prepare<[string], LinkRow<0 | 1>>('SELECT * FROM links WHERE source_id = ? ORDER BY created_at, rowid')
          .all(sourceId)
      : this.db.prepare<[], LinkRow<0 | 1>>('SELECT * FROM links ORDER BY created_at, rowid').all();
    return this.withIntegrations(rows);
  }

  async updateLink(id: string, patch: LinkPatch): Promise<Link | undefined> {
    const current = await this.getLink(id);
    if (!current) return undefined;
    const now = this.now();
    this.writeLinkTransaction.immediate(
      id,
      { ...patchedLink(current, patch, now), createdAt: Date.parse(current.createdAt) },
      now,
      false,
    );
    return this.getLink(id);
  }

  async recordClick(input: NewClick): Promise<{ click: LinkClick; created: boolean }> {
    return this.recordClickTransaction.immediate(input);
  }

  private recordClickBody(input: NewClick): { click: LinkClick; created: boolean } {
    const clickById = this.db.prepare<[string], LinkClickRow<0 | 1>>('SELECT * FROM link_clicks WHERE id = ?');
    const changes = this.db
      .prepare<ClickInsert, never>(
        `INSERT INTO link_clicks (id, link_id, source_id, ad_click_id, ip, user_agent, referrer, query, url, destination, gpc, created_at)
         SELECT @id, id, source_id, @ad_click_id, @ip, @user_agent, @referrer, @query, @url, @destination, @gpc, @created_at
         FROM links WHERE id = @link_id
         ON CONFLICT DO NOTHING`,
      )
      .run({
        id: input.id,
        link_id: input.linkId,
        ad_click_id: input.adClickId,
        ip: input.ip,
        user_agent: input.userAgent,
        referrer: input.referrer,
        query: JSON.stringify(input.query),
        url: input.url,
        destination: input.destination,
        gpc: flag(input.gpc),
        created_at: input.createdAt ? Date.parse(input.createdAt) : this.now(),
      }).changes;
    if (changes > 0) return { click: toClick(clickById.get(input.id)!), created: true };
    if (input.adClickId !== null) {
      const earlier = this.db
        .prepare<[string, string], LinkClickRow<0 | 1>>('SELECT * FROM link_clicks WHERE link_id = ? AND ad_click_id = ?')
        .get(input.linkId, input.adClickId);
      if (earlier) return { click: toClick(earlier), created: false };
    }
    if (!this.db.prepare<[string], { id: string }>('SELECT id FROM links WHERE id = ?').get(input.linkId)) {
      throw new Error(`no such link: ${input.linkId}`);
    }
    throw new Error(`click id already used: ${input.id}`);
  }

  async getClick(id: string): Promise<LinkClick | undefined> {
    const row = this.db.prepare<[string], LinkClickRow<0 | 1>>('SELECT * FROM link_clicks WHERE id = ?').get(id);
    return row && toClick(row);
  }

  async listClicks(linkId: string, limit: number): Promise<ClickSummary[]> {
    const clicks = this.db
      .prepare<[string, number], LinkClickRow<0 | 1>>(
        'SELECT * FROM link_clicks WHERE link_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
      )
      .all(linkId, limit)
      .map(toClick);
    if (clicks.length === 0) return [];
    // The totals of every listed click in one query.
    const totals = this.db
      .prepare<[string], ClickTotalRow>(
        `SELECT click_id, kind, currency, count(*) AS n, sum(value) AS total FROM link_conversions
         WHERE click_id IN (SELECT value FROM json_each(?)) GROUP BY click_id, kind, currency`,
      )
      .all(JSON.stringify(clicks.map((click) => click.id)));
    return summariseClicks(clicks, totals);
  }

  async recordConversion(input: NewConversion): Promise<RecordedConversion> {
    return this.recordConversionTransaction.immediate(input);
  }

  private recordConversionBody(input: NewConversion): RecordedConversion {
    const click = this.db
      .prepare<[string], Pick<LinkClickRow<0 | 1>, 'link_id' | 'source_id'>>(
        'SELECT link_id, source_id FROM link_clicks WHERE id = ?',
      )
      .get(input.clickId);
    if (!click) throw new Error(`no such click: ${input.clickId}`);
    const inserted = this.db
      .prepare<Omit<ConversionRow<0 | 1>, 'id'>, never>(
        `INSERT INTO link_conversions (source_id, link_id, click_id, txid, kind, value, currency, within_window, received_at)
         VALUES (@source_id, @link_id, @click_id, @txid, @kind, @value, @currency, @within_window, @received_at)
         ON CONFLICT (source_id, txid) DO NOTHING`,
      )
      .run({
        source_id: click.source_id,
        link_id: click.link_id,
        click_id: input.clickId,
        txid: input.txid,
        kind: input.kind,
        value: input.value,
        currency: input.currency,
        within_window: flag(input.withinWindow),
        received_at: input.receivedAt ? Date.parse(input.receivedAt) : this.now(),
      });
    const conversion = toConversion(
      this.db
        .prepare<[string, string], ConversionRow<0 | 1>>('SELECT * FROM link_conversions WHERE source_id = ? AND txid = ?')
        .get(click.source_id, input.txid)!,
    );
    // Counted up to the conversion's own row, so a repeat of it sees the same history as the first.
    const counts = this.db
      .prepare<[string, number], { subscriptions: number; purchases: number; messages: number }>(
        `SELECT
           count(*) FILTER (WHERE kind = 'subscribe') AS subscriptions,
           count(*) FILTER (WHERE kind = 'purchase') AS purchases,
           count(*) FILTER (WHERE kind = 'message') AS messages
         FROM link_conversions WHERE click_id = ? AND id < ?`,
      )
      .get(conversion.clickId, conversion.id)!;
    const history: ConversionHistory = {
      subscriptionsBefore: counts.subscriptions,
      purchasesBefore: counts.purchases,
      messagesBefore: counts.messages,
    };
    return { conversion, duplicate: inserted.changes === 0, history };
  }

  async listConversions(clickId: string): Promise<Conversion[]> {
    return this.db
      .prepare<[string], ConversionRow<0 | 1>>('SELECT * FROM link_conversions WHERE click_id = ? ORDER BY id')
      .all(clickId)
      .map(toConversion);
  }

  async linkStats(linkId: string, range?: DateRange): Promise<LinkStats> {
    const { from, to } = rangeMs(range);
    const clicks = this.db
      .prepare<[string, number, number], ClickDayRow>(
        `SELECT date(created_at / 1000, 'unixepoch') AS day, count(*) AS n FROM link_clicks
         WHERE link_id = ? AND created_at BETWEEN ? AND ? GROUP BY day`,
      )
      .all(linkId, from, to);
    const conversions = this.db
      .prepare<[string, number, number], ConversionDayRow>(
        `SELECT date(c.received_at / 1000, 'unixepoch') AS day, c.kind, c.within_window, c.currency,
           count(*) AS n, sum(c.value) AS total,
           count(*) FILTER (WHERE c.kind = 'subscribe' AND NOT EXISTS (
             SELECT 1 FROM link_conversions p WHERE p.click_id = c.click_id AND p.kind = 'subscribe' AND p.id < c.id)) AS new_subscribers
         FROM link_conversions c
         WHERE c.link_id = ? AND c.received_at BETWEEN ? AND ?
         GROUP BY day, c.kind, c.within_window, c.currency`,
      )
      .all(linkId, from, to);
    return assembleLinkStats(clicks, conversions);
  }

  async setPostbackKey(sourceId: string, keyHash: string, hint: string): Promise<PostbackKey> {
    this.db
      .prepare<[string, string, string, number], never>(
        `INSERT INTO postback_keys (source_id, key_hash, hint, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (source_id) DO UPDATE SET key_hash = excluded.key_hash, hint = excluded.hint, created_at = excluded.created_at`,
      )
      .run(sourceId, keyHash, hint, this.now());
    return (await this.getPostbackKey(sourceId))!;
  }

  async getPostbackKey(sourceId: string): Promise<PostbackKey | undefined> {
    const row = this.db.prepare<[string], PostbackKeyRow>('SELECT * FROM postback_keys WHERE source_id = ?').get(sourceId);
    return row && toPostbackKey(row);
  }

  async listPostbackKeys(): Promise<PostbackKey[]> {
    return this.db.prepare<[], PostbackKeyRow>('SELECT * FROM postback_keys ORDER BY source_id').all().map(toPostbackKey);
  }
}
