/**
 * Whether advertising is allowed for a call: Global Privacy Control says no (unless the site set
 * `data-gpc="ignore"`); otherwise the visitor's stored choice; otherwise the site's default.
 */
export function advertisingAllowed(
  /** What `_df.consent()` stored: `granted` or `denied`. */
  choice: string | undefined,
  siteDefault: boolean,
  gpc: boolean,
  honourGpc: boolean,
): boolean {
  return !(gpc && honourGpc) && (choice ? choice === 'granted' : siteDefault);
}
