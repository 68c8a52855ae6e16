/** The tag's `data-` attributes, as `HTMLElement.dataset` names them. */
export interface TagData {
  writeKey?: string;
  api?: string;
  attributionDays?: string;
  spa?: string;
  consent?: string;
  gpc?: string;
  cookieDomain?: string;
}

/**
 * The collector's base URL, without a trailing slash: `data-api` when given (a full URL, or a path
 * on the page's own origin), otherwise the origin that served `_df.js`.
 */
export function collectorUrl(api: string | undefined, scriptSrc: string, pageUrl: string): string {
  return new URL(api || new URL(scriptSrc, pageUrl).origin, pageUrl).href.replace(/\/+$/, '');
}
