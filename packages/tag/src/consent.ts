/**
 * Whether advertising is allowed for a call: not when the visitor opted out with Global Privacy
 * Control; otherwise as the visitor chose with `_df.consent()`; otherwise as the site's
 * `data-consent` says. Only `denied` denies.
 */
export function advertisingAllowed(gpcOptedOut: boolean, choice?: string, siteDefault?: string): boolean {
  return !gpcOptedOut && (choice || siteDefault) !== 'denied';
}

/** Whether Global Privacy Control opts the visitor out: when it is on, unless `data-gpc="ignore"`. */
export function gpcOptOut(gpc: boolean, gpcAttribute: string | undefined): boolean {
  return gpc && gpcAttribute !== 'ignore';
}
