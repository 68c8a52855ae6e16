/**
 * Smart links and postbacks: tracking links that record a click before redirecting to an offer,
 * and the conversions an offer network reports back for that click server to server.
 */

/** What the offer behind a link is: a free-trial subscription link, or a plain tracking link. */
export type OfferType = 'free_trial' | 'tracking_link';

/** The kinds of conversion a postback reports. */
export type ConversionKind = 'subscribe' | 'purchase' | 'renewal' | 'message';

/** A smart link as stored. */
export interface Link {
  /** Short and random: it is the public `/go/<id>` path. */
  id: string;
  /** The source the link belongs to: its postback key authenticates the link's postbacks. */
  sourceId: string;
  name: string;
  /** Validated http(s) URL; the only place the redirect ever goes. */
  destinationUrl: string;
  offerType: OfferType;
  /** Integrations attached to the link itself, in the order given. */
  integrationIds: string[];
  /** Also send to the enabled integrations of the link's source (each account still gets an event once). */
  includeSourceIntegrations: boolean;
  /** The destination query parameter that carries our click id (the offer network's sub id). */
  clickIdParam: string;
  /** Conversions later than this after the click are recorded but not sent. */
  conversionWindowDays: number;
  /** Smart-link event → destination event name, or null for "not sent". */
  events: Record<string, string | null>;
  /** Currency assumed for postbacks that give a value without one. */
  currency: string | null;
  /** When the link stopped redirecting; its earlier clicks still convert. */
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewLink {
  sourceId: string;
  name: string;
  destinationUrl: string;
  offerType: OfferType;
  integrationIds: string[];
  includeSourceIntegrations: boolean;
  clickIdParam: string;
  conversionWindowDays: number;
  events: Record<string, string | null>;
  currency: string | null;
}

export type LinkPatch = Partial<Omit<NewLink, 'sourceId'>> & { archived?: boolean };

/**
 * A link with a patch applied, as it is written back: fields left out stay as they are, and
 * `archived` sets the archive time (kept when it was archived already, `now` when not) or clears it.
 */
export function patchedLink(
  current: Link,
  patch: LinkPatch,
  now: number,
): Omit<Link, 'archivedAt'> & { archivedAt: number | null } {
  const { archived, ...fields } = patch;
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  const currentArchivedAt = current.archivedAt === null ? null : Date.parse(current.archivedAt);
  const archivedAt = archived === undefined ? currentArchivedAt : archived ? (currentArchivedAt ?? now) : null;
  return { ...current, ...defined, archivedAt };
}

/** One click on a smart link: what the fan's browser told us before we redirected it. */
export interface LinkClick {
  /** Our click id, handed to the offer as its sub id and sent back in postbacks. */
  id: string;
  linkId: string;
  sourceId: string;
  /** The ad platform's click id from the link URL, when the click came from an ad. */
  adClickId: string | null;
  ip: string | null;
  userAgent: string | null;
  referrer: string | null;
  /** Every query parameter of the link URL, in order, repeats included. */
  query: [string, string][];
  /** The link URL as requested. */
  url: string;
  /** Where the fan was sent, click id included. */
  destination: string;
  /** The browser sent Global Privacy Control (`Sec-GPC: 1`) with the click. */
  gpc: boolean;
  createdAt: string;
}

/** A click to record; the caller draws its id (see `randomToken`), as it builds the redirect with it. */
export type NewClick = Omit<LinkClick, 'createdAt' | 'sourceId'> & { createdAt?: string };

/** One conversion a postback reported. */
export interface Conversion {
  id: number;
  sourceId: string;
  linkId: string;
  clickId: string;
  /** The offer network's transaction id (or one we generated when it sent none). */
  txid: string;
  kind: ConversionKind;
  value: number | null;
  currency: string | null;
  /** Whether it came within the link's conversion window (only those are sent on). */
  withinWindow: boolean;
  receivedAt: string;
}

export type NewConversion = Omit<Conversion, 'id' | 'receivedAt' | 'linkId' | 'sourceId'> & { receivedAt?: string };

/** What the click had done before a conversion, counted in arrival order. */
export interface ConversionHistory {
  subscriptionsBefore: number;
  /** Non-subscription transactions (tips, paid messages…) before this one. */
  purchasesBefore: number;
  messagesBefore: number;
}

export interface RecordedConversion {
  conversion: Conversion;
  /** The txid was already recorded: `conversion` is the earlier one, nothing new was stored. */
  duplicate: boolean;
  history: ConversionHistory;
}

/** Money per currency code; `""` holds values that came without a currency. */
export type Revenue = Record<string, number>;

/** Counts of a link's activity over some period. */
export interface LinkCounts {
  clicks: number;
  subscribers: number;
  purchases: number;
  renewals: number;
  messages: number;
  revenue: Revenue;
  /** The part of `revenue` from conversions outside the conversion window (recorded, not sent). */
  revenueOutsideWindow: Revenue;
}

/** A link's activity in total and per UTC day (days without activity are left out). */
export interface LinkStats {
  totals: LinkCounts;
  days: (LinkCounts & { date: string })[];
}

/** A click with its lifetime totals. */
export interface ClickSummary extends LinkClick {
  subscribed: boolean;
  purchases: number;
  messages: number;
  revenue: Revenue;
}

/** A source's postback key, as stored: only its hash and last characters are kept. */
export interface PostbackKey {
  sourceId: string;
  /** SHA-256 (hex) of the key. */
  keyHash: string;
  /** The key's last four characters, to tell keys apart. */
  hint: string;
  createdAt: string;
}

/** Optional UTC date range (`YYYY-MM-DD`, inclusive). */
export interface DateRange {
  from?: string;
  to?: string;
}

/** Storage for smart links, clicks, conversions and postback keys. */
export interface LinkStore {
  createLink(input: NewLink): Promise<Link>;
  getLink(id: string): Promise<Link | undefined>;
  listLinks(sourceId?: string): Promise<Link[]>;
  updateLink(id: string, patch: LinkPatch): Promise<Link | undefined>;

  /**
   * Records a click. A repeated ad click id on the same link (a double tap, the back
   * button) returns the first click instead, with `created: false`.
   */
  recordClick(input: NewClick): Promise<{ click: LinkClick; created: boolean }>;
  getClick(id: string): Promise<LinkClick | undefined>;
  /** A link's clicks, newest first, with each click's lifetime totals. */
  listClicks(linkId: string, limit: number): Promise<ClickSummary[]>;

  /**
   * Records a conversion once per (source, txid), and says what its click had done before it.
   * A repeated txid returns the first conversion and its history, so a retried postback can
   * redo its (idempotent) work.
   */
  recordConversion(input: NewConversion): Promise<RecordedConversion>;
  listConversions(clickId: string): Promise<Conversion[]>;

  /** Clicks, subscribers, purchases and revenue of a link, in total and per UTC day. */
  linkStats(linkId: string, range?: DateRange): Promise<LinkStats>;

  /** Replaces (or sets) a source's postback key. */
  setPostbackKey(sourceId: string, keyHash: string, hint: string): Promise<PostbackKey>;
  getPostbackKey(sourceId: string): Promise<PostbackKey | undefined>;
  listPostbackKeys(): Promise<PostbackKey[]>;
}
