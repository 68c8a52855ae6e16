/**
 * Why a delivery is not (or not yet) delivered, as a stable code beside its detail text. Codes
 * are the API: the admin UI labels them, replay filters by them, metrics count them. The detail
 * text says the particulars (which consent category, which HTTP answer) and may change.
 */
export const REASON_CODES = {
  // Not sent on purpose: nothing to fix unless the owner wants it sent.
  unmapped: { outcome: 'skipped', label: 'Not mapped' },
  event_disabled: { outcome: 'skipped', label: 'Switched off in the event mapping' },
  no_consent: { outcome: 'skipped', label: 'No consent' },
  integration_disabled: { outcome: 'skipped', label: 'Integration switched off' },
  integration_deleted: { outcome: 'skipped', label: 'Integration deleted' },
  outside_conversion_window: { outcome: 'skipped', label: 'Outside the conversion window' },
  // Could never be sent as it is: the event lacks something the destination requires.
  insufficient_identifiers: { outcome: 'failed', label: 'Not enough identifiers' },
  missing_value_or_currency: { outcome: 'failed', label: 'Purchase without value or currency' },
  missing_event_source_url: { outcome: 'failed', label: 'No page URL' },
  too_old: { outcome: 'failed', label: 'Too old' },
  missing_app_data: { outcome: 'failed', label: 'No app data' },
  invalid_row: { outcome: 'failed', label: 'Row could not become an event' },
  unknown_destination: { outcome: 'failed', label: 'Unknown destination' },
  // The destination refused it.
  event_rejected: { outcome: 'failed', label: 'Refused by the destination' },
  request_rejected: { outcome: 'failed', label: 'Request refused' },
  retry_window_exhausted: { outcome: 'dead', label: 'Gave up retrying' },
  credentials_refused: { outcome: 'blocked', label: 'Paused: credentials refused' },
  // Waiting to be tried again.
  rate_limited: { outcome: 'pending', label: 'Rate limited, retrying' },
  destination_unavailable: { outcome: 'pending', label: 'Destination error, retrying' },
  network_error: { outcome: 'pending', label: 'Network error, retrying' },
  timeout: { outcome: 'pending', label: 'Timed out, retrying' },
  // Put back in the queue by an operator or a fix.
  replayed: { outcome: 'pending', label: 'Replayed' },
  credentials_changed: { outcome: 'pending', label: 'Requeued: credentials changed' },
} as const satisfies Record<string, { outcome: ReasonOutcome; label: string }>;

/** The delivery status a reason goes with. */
export type ReasonOutcome = 'pending' | 'skipped' | 'failed' | 'blocked' | 'dead';

/** A stable reason code. */
export type ReasonCode = keyof typeof REASON_CODES;

/** True for a string that is one of the reason codes. */
export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && Object.hasOwn(REASON_CODES, value);
}
