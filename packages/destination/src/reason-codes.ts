/**
 * Why a delivery is not (or not yet) delivered, as a stable code beside its detail text. Codes
 * are the API: the admin UI labels them, replay filters by them, metrics count them. The detail
 * text says the particulars (which consent category, which HTTP answer) and may change.
 */
export const REASON_CODES = {
  // Not sent on purpose: nothing to fix unless the owner wants it sent.
  unmapped: { outcome: 'skipped', label: 'No destination event is mapped to this event name' },
  event_disabled: { outcome: 'skipped', label: 'This event is switched off for the integration' },
  no_consent: { outcome: 'skipped', label: 'The visitor did not consent to the integration’s categories' },
  integration_disabled: { outcome: 'skipped', label: 'The integration was switched off before it was sent' },
  integration_deleted: { outcome: 'skipped', label: 'The integration (or its source) was deleted' },
  outside_conversion_window: { outcome: 'skipped', label: 'The conversion came after the link’s conversion window' },
  // Could never be sent as it is: the event lacks something the destination requires.
  insufficient_identifiers: { outcome: 'failed', label: 'Not enough identifiers to match the event to a person' },
  missing_value_or_currency: { outcome: 'failed', label: 'A purchase needs a value and a currency' },
  missing_event_source_url: { outcome: 'failed', label: 'A web event needs the URL of the page it happened on' },
  too_old: { outcome: 'failed', label: 'Older than the destination accepts' },
  missing_app_data: { outcome: 'failed', label: 'An app event needs the app’s data (app id, OS, device)' },
  // The destination refused it.
  event_rejected: { outcome: 'failed', label: 'The destination refused this event' },
  request_rejected: { outcome: 'failed', label: 'The destination refused the request for good' },
  retry_window_exhausted: { outcome: 'dead', label: 'Retried until the retry window ran out' },
  credentials_refused: { outcome: 'blocked', label: 'The destination refused the credentials; fix them to requeue' },
  // Waiting to be tried again.
  rate_limited: { outcome: 'pending', label: 'The destination asked to slow down' },
  destination_unavailable: { outcome: 'pending', label: 'The destination answered with a server error' },
  network_error: { outcome: 'pending', label: 'The destination could not be reached' },
  timeout: { outcome: 'pending', label: 'The destination did not answer in time' },
  // Put back in the queue by an operator or a fix.
  replayed: { outcome: 'pending', label: 'Replayed by an operator' },
  credentials_changed: { outcome: 'pending', label: 'Requeued after the credentials changed' },
} as const satisfies Record<string, { outcome: ReasonOutcome; label: string }>;

/** The delivery status a reason goes with. */
export type ReasonOutcome = 'pending' | 'skipped' | 'failed' | 'blocked' | 'dead';

/** A stable reason code. */
export type ReasonCode = keyof typeof REASON_CODES;

/** True for a string that is one of the reason codes. */
export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && Object.hasOwn(REASON_CODES, value);
}
