/**
 * Whether advertising is allowed for a call: not when the visitor opted out with Global Privacy
 * Control; otherwise as the visitor chose with `_df.consent()` (`granted` or `denied`, stored);
 * otherwise the site's default.
 */
export function advertisingAllowed(gpcOptOut: boolean, choice: string | undefined, siteDefault: boolean): boolean {
  return !gpcOptOut && (choice ? choice === 'granted' : siteDefault);
}

/** Whether Global Privacy Control opts the visitor out: when the browser sends it, unless `data-gpc="ignore"`. */
export function gpcOptOut(gpc: boolean, gpcAttribute: string | undefined): boolean {
  return gpc && gpcAttribute !== 'ignore';
}
