/**
 * Whether advertising is allowed for a call: Global Privacy Control says no (unless the site set
 * `data-gpc="ignore"`); otherwise the visitor's recorded choice; otherwise the site's default.
 */
export function advertisingAllowed(
  choice: boolean | undefined,
  siteDefault: boolean,
  gpc: boolean,
  honourGpc: boolean,
): boolean {
  return !(gpc && honourGpc) && (choice ?? siteDefault);
}
