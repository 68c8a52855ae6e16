/** How a page configured the tag, from the `data-` attributes of the tag's script element. */
export interface TagConfig {
  writeKey: string;
  /** The collector's base URL, without a trailing slash. */
  api: string;
  /** How long a Snapchat click id (`_scclid`) counts, in days. */
  attributionDays: number;
  /** Whether history navigation records page views (single-page apps). */
  spa: boolean;
  /** Advertising consent while the visitor has made no choice. */
  consentDefault: boolean;
  /** Whether Global Privacy Control opts the visitor out of advertising. */
  honourGpc: boolean;
  cookieDomain?: string;
}

/** The tag's `data-` attributes, as `HTMLElement.dataset` names them. */
export type TagData = Partial<
  Record<'writeKey' | 'api' | 'attributionDays' | 'spa' | 'consent' | 'gpc' | 'cookieDomain', string>
>;

/** Reads the tag's configuration; undefined without a write key, since nothing can be sent then. */
export function readConfig(data: TagData, scriptSrc: string, pageUrl: string): TagConfig | undefined {
  const writeKey = data.writeKey;
  if (!writeKey) return;
  return {
    writeKey,
    // A bare path (`/df`) means the page's own origin; by default the collector is where _df.js came from.
    api: new URL(data.api || new URL(scriptSrc, pageUrl).origin, pageUrl).href.replace(/\/+$/, ''),
    attributionDays: +data.attributionDays! > 0 ? +data.attributionDays! : 28,
    spa: data.spa === 'true',
    consentDefault: data.consent !== 'denied',
    honourGpc: data.gpc !== 'ignore',
    cookieDomain: data.cookieDomain || undefined,
  };
}
