import type pg from 'pg';
import type {
  ClickSummary,
  Conversion,
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
import { databaseNow, NOW_MS_SQL, transaction } from './pool.js';
import {
  toClick,
  toConversion,
  toLinks,
  toPostbackKey,
  type ConversionRow,
  type LinkClickRow,
  type LinkRow,
  type PostbackKeyRow,
} from '../link-rows.js';

/** Link ids: 10 characters, about 59 random bits, short enough for an ad's URL field. */
const LINK_ID_LENGTH = 10;

/** The PostgreSQL side of smart links. */
export class PostgresLinkStore implements LinkStore {
  constructor(private readonly pool: pg.Pool) {}

  async createLink(input: NewLink): Promise<Link> {
    // A 59-bit id colliding is all but impossible, but an insert that fails must not lose the link.
    for (let attempt = 0; ; attempt++) {
      const id = randomToken(LINK_ID_LENGTH);
      try {
        await this.writeLink(id, input, true);
        return (await this.getLink(id))!;
      } catch (error) {
        if (attempt < 3 && (error as { code?: string }).code === '23505') continue;
        throw error;
      }
    }
  }

  private async writeLink(id: string, link: NewLink & { archivedAt?: number | null }, insert: boolean): Promise<void> {
    await transaction(this.pool, async (client) => {
      const values = [
        id,
        link.name,
        link.destinationUrl,
        link.offerType,
        link.includeSourceIntegrations,
        link.clickIdParam,
        link.conversionWindowDays,
        JSON.stringify(link.events),
        link.currency,
        link.archivedAt ?? null,
      ];
      if (insert) {
        await client.query(
          `INSERT INTO links (id, name, destination_url, offer_type, include_source_integrations, click_id_param,
             conversion_window_days, events, currency, archived_at, source_id, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, ${NOW_MS_SQL}, ${NOW_MS_SQL})`,
          [...values, link.sourceId],
        );
      } else {
        await client.query(
          `UPDATE links SET name = $2, destination_url = $3, offer_type = $4, include_source_integrations = $5,
             click_id_param = $6, conversion_window_days = $7, events = $8, currency = $9, archived_at = $10,
             updated_at = ${NOW_MS_SQL}
           WHERE id = $1`,
          values,
        );
      }
      await client.query('DELETE FROM link_integrations WHERE link_id = $1', [id]);
      await client.query(
        `INSERT INTO link_integrations (link_id, integration_id, position)
         SELECT $1, integration_id, position - 1 FROM unnest($2::text[]) WITH ORDINALITY AS i(integration_id, position)`,
        [id, [...new Set(link.integrationIds)]],
      );
    });
  }

  /** The links of these rows with their integrations, read in one query for all of them. */
  private async withIntegrations(rows: LinkRow[]): Promise<Link[]> {
    if (rows.length === 0) return [];
    const { rows: attached } = await this.pool.query<{ link_id: string; integration_id: string }>(
      'SELECT link_id, integration_id FROM link_integrations WHERE link_id = ANY($1::text[]) ORDER BY link_id, position',
      [rows.map((row) => row.id)],
    );
    return toLinks(rows, attached);
  }

  async getLink(id: string): Promise<Link | undefined> {
    const { rows } = await this.pool.query<LinkRow<boolean>>('SELECT * FROM links WHERE id = $1', [id]);
    return (await this.withIntegrations(rows))[0];
  }

  async listLinks(sourceId?: string): Promise<Link[]> {
    const { rows } = sourceId
      ? await this.pool.query<LinkRow<boolean>>('SELECT * FROM links WHERE source_id = $1 ORDER BY created_at, seq', [sourceId])
      : await this.pool.query<LinkRow<boolean>>('SELECT * FROM links ORDER BY created_at, seq');
    return this.withIntegrations(rows);
  }

  async updateLink(id: string, patch: LinkPatch): Promise<Link | undefined> {
    const current = await this.getLink(id);
    if (!current) return undefined;
    const now = await databaseNow(this.pool);
    await this.writeLink(id, patchedLink(current, patch, now), false);
    return this.getLink(id);
  }

  async recordClick(input: NewClick): Promise<{ click: LinkClick; created: boolean }> {
    const { rows } = await this.pool.query<LinkClickRow<boolean>>(
      `INSERT INTO link_clicks (id, link_id, source_id, ad_click_id, ip, user_agent, referrer, query, url, destination, gpc, created_at)
       SELECT $1, id, source_id, $3, $4, $5, $6, $7, $8, $9, $10, coalesce($11, ${NOW_MS_SQL}) FROM links WHERE id = $2
       ON CONFLICT DO NOTHING
       RETURNING *`,
      [
        input.id,
        input.linkId,
        input.adClickId,
        input.ip,
        input.userAgent,
        input.referrer,
        JSON.stringify(input.query),
        input.url,
        input.destination,
        input.gpc,
        input.createdAt ? Date.parse(input.createdAt) : null,
      ],
    );
    if (rows[0]) return { click: toClick(rows[0]), created: true };
    if (input.adClickId !== null) {
      const earlier = await this.pool.query<LinkClickRow<boolean>>(
        'SELECT * FROM link_clicks WHERE link_id = $1 AND ad_click_id = $2',
        [input.linkId, input.adClickId],
      );
      if (earlier.rows[0]) return { click: toClick(earlier.rows[0]), created: false };
    }
    if ((await this.pool.query('SELECT 1 FROM links WHERE id = $1', [input.linkId])).rowCount === 0) {
      throw new Error(`no such link: ${input.linkId}`);
    }
    throw new Error(`click id already used: ${input.id}`);
  }

  async getClick(id: string): Promise<LinkClick | undefined> {
    const { rows } = await this.pool.query<LinkClickRow<boolean>>('SELECT * FROM link_clicks WHERE id = $1', [id]);
    return rows[0] && toClick(rows[0]);
  }

  async listClicks(linkId: string, limit: number): Promise<ClickSummary[]> {
    const clicks = (
      await this.pool.query<LinkClickRow<boolean>>(
        'SELECT * FROM link_clicks WHERE link_id = $1 ORDER BY created_at DESC, seq DESC LIMIT $2',
        [linkId, limit],
      )
    ).rows.map(toClick);
    if (clicks.length === 0) return [];
    const { rows: totals } = await this.pool.query<ClickTotalRow>(
      `SELECT click_id, kind, currency, count(*) AS n, sum(value) AS total FROM link_conversions
       WHERE click_id = ANY($1::text[]) GROUP BY click_id, kind, currency`,
      [clicks.map((click) => click.id)],
    );
    return summariseClicks(clicks, totals);
  }

  async recordConversion(input: NewConversion): Promise<RecordedConversion> {
    return transaction(this.pool, async (client) => {
      const click = (
        await client.query<{ link_id: string; source_id: string }>('SELECT link_id, source_id FROM link_clicks WHERE id = $1', [
          input.clickId,
        ])
      ).rows[0];
      if (!click) throw new Error(`no such click: ${input.clickId}`);
      const inserted = await client.query(
        `INSERT INTO link_conversions (source_id, link_id, click_id, txid, kind, value, currency, within_window, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, ${NOW_MS_SQL}))
         ON CONFLICT (source_id, txid) DO NOTHING`,
        [
          click.source_id,
          click.link_id,
          input.clickId,
          input.txid,
          input.kind,
          input.value,
          input.currency,
          input.withinWindow,
          input.receivedAt ? Date.parse(input.receivedAt) : null,
        ],
      );
      const conversion = toConversion(
        (
          await client.query<ConversionRow<boolean>>('SELECT * FROM link_conversions WHERE source_id = $1 AND txid = $2', [
            click.source_id,
            input.txid,
          ])
        ).rows[0]!,
      );
      // Counted up to the conversion's own row, so a repeat of it sees the same history as the first.
      const counts = (
        await client.query<{ subscriptions: number; purchases: number; messages: number }>(
          `SELECT count(*) FILTER (WHERE kind = 'subscribe') AS subscriptions,
             count(*) FILTER (WHERE kind = 'purchase') AS purchases,
             count(*) FILTER (WHERE kind = 'message') AS messages
           FROM link_conversions WHERE click_id = $1 AND id < $2`,
          [conversion.clickId, conversion.id],
        )
      ).rows[0]!;
      return {
        conversion,
        duplicate: inserted.rowCount === 0,
        history: {
          subscriptionsBefore: counts.subscriptions,
          purchasesBefore: counts.purchases,
          messagesBefore: counts.messages,
        },
      };
    });
  }

  async listConversions(clickId: string): Promise<Conversion[]> {
    const { rows } = await this.pool.query<ConversionRow<boolean>>(
      'SELECT * FROM link_conversions WHERE click_id = $1 ORDER BY id',
      [clickId],
    );
    return rows.map(toConversion);
  }

  async linkStats(linkId: string, range?: DateRange): Promise<LinkStats> {
    const { from, to } = rangeMs(range);
    const [clicks, conversions] = await Promise.all([
      this.pool.query<ClickDayRow>(
        `SELECT df_day(created_at) AS day, count(*) AS n FROM link_clicks
         WHERE link_id = $1 AND created_at BETWEEN $2 AND $3 GROUP BY 1`,
        [linkId, from, to],
      ),
      this.pool.query<ConversionDayRow>(
        `SELECT df_day(c.received_at) AS day, c.kind, c.within_window, c.currency,
           count(*) AS n, sum(c.value) AS total,
           count(*) FILTER (WHERE c.kind = 'subscribe' AND NOT EXISTS (
             SELECT 1 FROM link_conversions p WHERE p.click_id = c.click_id AND p.kind = 'subscribe' AND p.id < c.id)) AS new_subscribers
         FROM link_conversions c
         WHERE c.link_id = $1 AND c.received_at BETWEEN $2 AND $3
         GROUP BY 1, c.kind, c.within_window, c.currency`,
        [linkId, from, to],
      ),
    ]);
    return assembleLinkStats(clicks.rows, conversions.rows);
  }

  async setPostbackKey(sourceId: string, keyHash: string, hint: string): Promise<PostbackKey> {
    const { rows } = await this.pool.query<PostbackKeyRow>(
      `INSERT INTO postback_keys (source_id, key_hash, hint, created_at) VALUES ($1, $2, $3, ${NOW_MS_SQL})
       ON CONFLICT (source_id) DO UPDATE SET key_hash = excluded.key_hash, hint = excluded.hint, created_at = excluded.created_at
       RETURNING *`,
      [sourceId, keyHash, hint],
    );
    return toPostbackKey(rows[0]!);
  }

  async getPostbackKey(sourceId: string): Promise<PostbackKey | undefined> {
    const { rows } = await this.pool.query<PostbackKeyRow>('SELECT * FROM postback_keys WHERE source_id = $1', [sourceId]);
    return rows[0] && toPostbackKey(rows[0]);
  }

  async listPostbackKeys(): Promise<PostbackKey[]> {
    const { rows } = await this.pool.query<PostbackKeyRow>('SELECT * FROM postback_keys ORDER BY source_id');
    return rows.map(toPostbackKey);
  }
}
