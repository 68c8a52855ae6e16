/** What `_df.consent()` stores: the visitor's advertising choice. */
export type ConsentChoice = 'granted' | 'denied';

/**
 * Whether advertising is allowed for a call: Global Privacy Control says no (unless the site set
 * `data-gpc="ignore"`); otherwise the visitor's stored choice; otherwise the site's default.
 */
export function advertisingAllowed(
  choice: string | undefined,
  siteDefault: boolean,
  gpc: boolean,
  honourGpc: boolean,
): boolean {
  return !(gpc && honourGpc) && (choice ? choice === 'granted' : siteDefault);
}
