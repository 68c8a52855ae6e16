import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  ClickSummary,
  Conversion,
  ConversionHistory,
  ConversionKind,
  DateRange,
  Link,
  LinkClick,
  LinkCounts,
  LinkPatch,
  LinkStats,
  LinkStore,
  NewClick,
  NewConversion,
  NewLink,
  OfferType,
  PostbackKey,
  RecordedConversion,
  Revenue,
} from '../links.js';
import { iso, type Row } from './columns.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const isoOrNull = (ms: unknown) => (typeof ms === 'number' ? iso(ms) : null);

/**
 * A random letters-and-digits token. Link ids are public URL paths and click ids travel through
 * offer networks' sub-id fields, which often allow nothing but letters and digits.
 */
export function randomToken(length: number): string {
  let token = '';
  while (token.length < length) {
    for (const byte of randomBytes(length)) {
      // 248 = 4 × 62: rejecting the top bytes keeps every character equally likely.
      if (byte < 248 && token.length < length) token += ALPHABET[byte % 62];
    }
  }
  return token;
}

/** Link ids: 10 characters, about 59 random bits, short enough for an ad's URL field. */
const LINK_ID_LENGTH = 10;

// Sums of amounts carry binary noise (0.1 + 0.2); no currency has more than 4 decimals.
const roundMoney = (amount: number) => Math.round(amount * 1e6) / 1e6;

function addMoney(revenue: Revenue, currency: string, amount: number): void {
  revenue[currency] = roundMoney((revenue[currency] ?? 0) + amount);
}

function emptyCounts(): LinkCounts {
  return { clicks: 0, subscribers: 0, purchases: 0, renewals: 0, messages: 0, revenue: {}, revenueOutsideWindow: {} };
}

function rangeMs(range: DateRange | undefined): { from: number; to: number } {
  const from = range?.from ? Date.parse(`${range.from}T00:00:00.000Z`) : 0;
  const to = range?.to ? Date.parse(`${range.to}T00:00:00.000Z`) + DAY_MS - 1 : Number.MAX_SAFE_INTEGER;
  return { from, to };
}

function toLink(row: Row, integrationIds: string[]): Link {
  return {
    id: row.id as string,
    sourceId: row.source_id as string,
    name: row.name as string,
    destinationUrl: row.destination_url as string,
    offerType: row.offer_type as OfferType,
    integrationIds,
    includeSourceIntegrations: row.include_source_integrations === 1,
    clickIdParam: row.click_id_param as string,
    conversionWindowDays: row.conversion_window_days as number,
    events: JSON.parse(row.events as string) as Link['events'],
    currency: (row.currency as string | null) ?? null,
    archivedAt: isoOrNull(row.archived_at),
    createdAt: iso(row.created_at as number),
    updatedAt: iso(row.updated_at as number),
  };
}

function toClick(row: Row): LinkClick {
  return {
    id: row.id as string,
    linkId: row.link_id as string,
    sourceId: row.source_id as string,
    scClickId: (row.sc_click_id as string | null) ?? null,
    ip: (row.ip as string | null) ?? null,
    userAgent: (row.user_agent as string | null) ?? null,
    referrer: (row.referrer as string | null) ?? null,
    query: JSON.parse(row.query as string) as LinkClick['query'],
    url: row.url as string,
    destination: row.destination as string,
    gpc: row.gpc === 1,
    createdAt: iso(row.created_at as number),
  };
}

function toConversion(row: Row): Conversion {
  return {
    id: row.id as number,
    sourceId: row.source_id as string,
    linkId: row.link_id as string,
    clickId: row.click_id as string,
    txid: row.txid as string,
    kind: row.kind as ConversionKind,
    value: (row.value as number | null) ?? null,
    currency: (row.currency as string | null) ?? null,
    withinWindow: row.within_window === 1,
    receivedAt: iso(row.received_at as number),
  };
}

function toPostbackKey(row: Row): PostbackKey {
  return {
    sourceId: row.source_id as string,
    keyHash: row.key_hash as string,
    hint: row.hint as string,
    createdAt: iso(row.created_at as number),
  };
}

/** The SQLite side of smart links; shares the store's connection, so its writes are as durable. */
export class SqliteLinkStore implements LinkStore {
  private readonly recordClickTransaction;
  private readonly recordConversionTransaction;
  private readonly writeLinkTransaction;

  constructor(private readonly db: Database.Database) {
    this.recordClickTransaction = db.transaction(this.recordClickBody.bind(this));
    this.recordConversionTransaction = db.transaction(this.recordConversionBody.bind(this));
    this.writeLinkTransaction = db.transaction(this.writeLinkBody.bind(this));
  }

  async createLink(input: NewLink): Promise<Link> {
    const now = Date.now();
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
    const row = {
      id,
      source_id: link.sourceId,
      name: link.name,
      destination_url: link.destinationUrl,
      offer_type: link.offerType,
      include_source_integrations: link.includeSourceIntegrations ? 1 : 0,
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
        .prepare(
          `INSERT INTO links (id, source_id, name, destination_url, offer_type, include_source_integrations, click_id_param,
             conversion_window_days, events, currency, archived_at, created_at, updated_at)
           VALUES (@id, @source_id, @name, @destination_url, @offer_type, @include_source_integrations, @click_id_param,
             @conversion_window_days, @events, @currency, @archived_at, @created_at, @updated_at)`,
        )
        .run(row);
    } else {
      this.db
        .prepare(
          `UPDATE links SET name = @name, destination_url = @destination_url, offer_type = @offer_type,
             include_source_integrations = @include_source_integrations, click_id_param = @click_id_param,
             conversion_window_days = @conversion_window_days, events = @events, currency = @currency,
             archived_at = @archived_at, updated_at = @updated_at
           WHERE id = @id`,
        )
        .run(row);
    }
    this.db.prepare('DELETE FROM link_integrations WHERE link_id = ?').run(id);
    const attach = this.db.prepare('INSERT INTO link_integrations (link_id, integration_id, position) VALUES (?, ?, ?)');
    [...new Set(link.integrationIds)].forEach((integrationId, position) => attach.run(id, integrationId, position));
  }

  private integrationIdsOf(linkId: string): string[] {
    return this.db
      .prepare('SELECT integration_id FROM link_integrations WHERE link_id = ? ORDER BY position')
      .all(linkId)
      .map((row) => (row as Row).integration_id as string);
  }

  async getLink(id: string): Promise<Link | undefined> {
    const row = this.db.prepare('SELECT * FROM links WHERE id = ?').get(id) as Row | undefined;
    return row && toLink(row, this.integrationIdsOf(row.id as string));
  }

  async listLinks(sourceId?: string): Promise<Link[]> {
    const rows = (
      sourceId
        ? this.db.prepare('SELECT * FROM links WHERE source_id = ? ORDER BY created_at, id').all(sourceId)
        : this.db.prepare('SELECT * FROM links ORDER BY created_at, id').all()
    ) as Row[];
    return rows.map((row) => toLink(row, this.integrationIdsOf(row.id as string)));
  }

  async updateLink(id: string, patch: LinkPatch): Promise<Link | undefined> {
    const current = await this.getLink(id);
    if (!current) return undefined;
    const { archived, ...fields } = patch;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    const currentArchivedAt = current.archivedAt === null ? null : Date.parse(current.archivedAt);
    const now = Date.now();
    const archivedAt = archived === undefined ? currentArchivedAt : archived ? (currentArchivedAt ?? now) : null;
    this.writeLinkTransaction.immediate(
      id,
      { ...current, ...defined, archivedAt, createdAt: Date.parse(current.createdAt) },
      now,
      false,
    );
    return this.getLink(id);
  }

  async recordClick(input: NewClick): Promise<{ click: LinkClick; created: boolean }> {
    return this.recordClickTransaction.immediate(input);
  }

  private recordClickBody(input: NewClick): { click: LinkClick; created: boolean } {
    const changes = this.db
      .prepare(
        `INSERT INTO link_clicks (id, link_id, source_id, sc_click_id, ip, user_agent, referrer, query, url, destination, gpc, created_at)
         SELECT @id, id, source_id, @sc_click_id, @ip, @user_agent, @referrer, @query, @url, @destination, @gpc, @created_at
         FROM links WHERE id = @link_id
         ON CONFLICT DO NOTHING`,
      )
      .run({
        id: input.id,
        link_id: input.linkId,
        sc_click_id: input.scClickId,
        ip: input.ip,
        user_agent: input.userAgent,
        referrer: input.referrer,
        query: JSON.stringify(input.query),
        url: input.url,
        destination: input.destination,
        gpc: input.gpc ? 1 : 0,
        created_at: input.createdAt ? Date.parse(input.createdAt) : Date.now(),
      }).changes;
    if (changes > 0)
      return { click: toClick(this.db.prepare('SELECT * FROM link_clicks WHERE id = ?').get(input.id) as Row), created: true };
    if (input.scClickId !== null) {
      const earlier = this.db
        .prepare('SELECT * FROM link_clicks WHERE link_id = ? AND sc_click_id = ?')
        .get(input.linkId, input.scClickId) as Row | undefined;
      if (earlier) return { click: toClick(earlier), created: false };
    }
    if (!this.db.prepare('SELECT 1 FROM links WHERE id = ?').get(input.linkId)) throw new Error(`no such link: ${input.linkId}`);
    throw new Error(`click id already used: ${input.id}`);
  }

  async getClick(id: string): Promise<LinkClick | undefined> {
    const row = this.db.prepare('SELECT * FROM link_clicks WHERE id = ?').get(id) as Row | undefined;
    return row && toClick(row);
  }

  async listClicks(linkId: string, limit: number): Promise<ClickSummary[]> {
    const clicks = (
      this.db
        .prepare('SELECT * FROM link_clicks WHERE link_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?')
        .all(linkId, limit) as Row[]
    ).map(toClick);
    const totals = this.db.prepare(
      `SELECT kind, currency, count(*) AS n, sum(value) AS total FROM link_conversions WHERE click_id = ? GROUP BY kind, currency`,
    );
    return clicks.map((click) => {
      const summary: ClickSummary = { ...click, subscribed: false, purchases: 0, messages: 0, revenue: {} };
      for (const row of totals.all(click.id) as Row[]) {
        const n = row.n as number;
        if (row.kind === 'subscribe') summary.subscribed = true;
        if (row.kind === 'purchase') summary.purchases += n;
        if (row.kind === 'message') summary.messages += n;
        if (typeof row.total === 'number') addMoney(summary.revenue, (row.currency as string | null) ?? '', row.total);
      }
      return summary;
    });
  }

  async recordConversion(input: NewConversion): Promise<RecordedConversion> {
    return this.recordConversionTransaction.immediate(input);
  }

  private recordConversionBody(input: NewConversion): RecordedConversion {
    const click = this.db.prepare('SELECT link_id, source_id FROM link_clicks WHERE id = ?').get(input.clickId) as
      Row | undefined;
    if (!click) throw new Error(`no such click: ${input.clickId}`);
    const inserted = this.db
      .prepare(
        `INSERT INTO link_conversions (source_id, link_id, click_id, txid, kind, value, currency, within_window, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, txid) DO NOTHING`,
      )
      .run(
        click.source_id,
        click.link_id,
        input.clickId,
        input.txid,
        input.kind,
        input.value,
        input.currency,
        input.withinWindow ? 1 : 0,
        input.receivedAt ? Date.parse(input.receivedAt) : Date.now(),
      );
    const conversion = toConversion(
      this.db.prepare('SELECT * FROM link_conversions WHERE source_id = ? AND txid = ?').get(click.source_id, input.txid) as Row,
    );
    // Counted up to the conversion's own row, so a repeat of it sees the same history as the first.
    const counts = this.db
      .prepare(
        `SELECT
           count(*) FILTER (WHERE kind = 'subscribe') AS subscriptions,
           count(*) FILTER (WHERE kind = 'purchase') AS purchases,
           count(*) FILTER (WHERE kind = 'message') AS messages
         FROM link_conversions WHERE click_id = ? AND id < ?`,
      )
      .get(conversion.clickId, conversion.id) as Row;
    const history: ConversionHistory = {
      subscriptionsBefore: counts.subscriptions as number,
      purchasesBefore: counts.purchases as number,
      messagesBefore: counts.messages as number,
    };
    return { conversion, duplicate: inserted.changes === 0, history };
  }

  async listConversions(clickId: string): Promise<Conversion[]> {
    return (this.db.prepare('SELECT * FROM link_conversions WHERE click_id = ? ORDER BY id').all(clickId) as Row[]).map(
      toConversion,
    );
  }

  async linkStats(linkId: string, range?: DateRange): Promise<LinkStats> {
    const { from, to } = rangeMs(range);
    const totals = emptyCounts();
    const days = new Map<string, LinkCounts>();
    const day = (date: string) => {
      let counts = days.get(date);
      if (!counts) days.set(date, (counts = emptyCounts()));
      return counts;
    };
    const clicks = this.db
      .prepare(
        `SELECT date(created_at / 1000, 'unixepoch') AS day, count(*) AS n FROM link_clicks
         WHERE link_id = ? AND created_at BETWEEN ? AND ? GROUP BY day`,
      )
      .all(linkId, from, to) as Row[];
    for (const row of clicks) {
      day(row.day as string).clicks += row.n as number;
      totals.clicks += row.n as number;
    }
    // A subscriber is a click's first subscription; a re-subscription adds revenue, not a subscriber.
    const conversions = this.db
      .prepare(
        `SELECT date(c.received_at / 1000, 'unixepoch') AS day, c.kind, c.within_window, c.currency,
           count(*) AS n, sum(c.value) AS total,
           count(*) FILTER (WHERE c.kind = 'subscribe' AND NOT EXISTS (
             SELECT 1 FROM link_conversions p WHERE p.click_id = c.click_id AND p.kind = 'subscribe' AND p.id < c.id)) AS new_subscribers
         FROM link_conversions c
         WHERE c.link_id = ? AND c.received_at BETWEEN ? AND ?
         GROUP BY day, c.kind, c.within_window, c.currency`,
      )
      .all(linkId, from, to) as Row[];
    for (const row of conversions) {
      for (const counts of [day(row.day as string), totals]) {
        const n = row.n as number;
        counts.subscribers += row.new_subscribers as number;
        if (row.kind === 'purchase') counts.purchases += n;
        if (row.kind === 'renewal') counts.renewals += n;
        if (row.kind === 'message') counts.messages += n;
        if (typeof row.total === 'number') {
          const currency = (row.currency as string | null) ?? '';
          addMoney(counts.revenue, currency, row.total);
          if (row.within_window === 0) addMoney(counts.revenueOutsideWindow, currency, row.total);
        }
      }
    }
    return {
      totals,
      days: [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, counts]) => ({ date, ...counts })),
    };
  }

  async setPostbackKey(sourceId: string, keyHash: string, hint: string): Promise<PostbackKey> {
    this.db
      .prepare(
        `INSERT INTO postback_keys (source_id, key_hash, hint, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (source_id) DO UPDATE SET key_hash = excluded.key_hash, hint = excluded.hint, created_at = excluded.created_at`,
      )
      .run(sourceId, keyHash, hint, Date.now());
    return (await this.getPostbackKey(sourceId))!;
  }

  async getPostbackKey(sourceId: string): Promise<PostbackKey | undefined> {
    const row = this.db.prepare('SELECT * FROM postback_keys WHERE source_id = ?').get(sourceId) as Row | undefined;
    return row && toPostbackKey(row);
  }

  async listPostbackKeys(): Promise<PostbackKey[]> {
    return (this.db.prepare('SELECT * FROM postback_keys ORDER BY source_id').all() as Row[]).map(toPostbackKey);
  }
}
