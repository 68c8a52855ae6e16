/**
 * Why a delivery is not (or not yet) delivered, as a stable code beside its detail text. Codes
 * are the API: the admin UI labels them, replay filters by them, metrics count them. The detail
 * text says the particulars (which consent category, which HTTP answer) and may change. `fix`
 * says what a person can do about it, where anything can be done.
 */
export const REASON_CODES = {
  // Not sent on purpose: nothing to fix unless the owner wants it sent.
  unmapped: { outcome: 'skipped', label: 'Not mapped', fix: "Map the event in the integration's event mapping" },
  event_disabled: {
    outcome: 'skipped',
    label: 'Switched off in the event mapping',
    fix: 'Switch the event on in the event mapping',
  },
  no_consent: { outcome: 'skipped', label: 'No consent' },
  integration_disabled: { outcome: 'skipped', label: 'Integration switched off', fix: 'Switch the integration on' },
  integration_deleted: { outcome: 'skipped', label: 'Integration deleted' },
  outside_conversion_window: { outcome: 'skipped', label: 'Outside the conversion window' },
  excluded_by_sender: { outcome: 'skipped', label: "Excluded by the sender's integrations" },
  // Could never be sent as it is: the event lacks something the destination requires.
  insufficient_identifiers: {
    outcome: 'failed',
    label: 'Not enough identifiers',
    fix: 'Send more identifiers with the event (an email, a phone, or the IP address and user agent)',
  },
  missing_value_or_currency: {
    outcome: 'failed',
    label: 'Purchase without value or currency',
    fix: 'Send a value and a currency with purchases',
  },
  value_out_of_range: {
    outcome: 'failed',
    label: 'Value out of range',
    fix: 'Send amounts from 0 to under 1,000,000,000',
  },
  too_old: { outcome: 'failed', label: 'Too old' },
  missing_app_data: {
    outcome: 'failed',
    label: 'No app data',
    fix: "Set the integration's app settings, or send the app's id with app events; then replay",
  },
  invalid_row: {
    outcome: 'failed',
    label: 'Row could not become an event',
    fix: 'Fix the row in the source; the next run sends it',
  },
  unknown_destination: { outcome: 'failed', label: 'Unknown destination' },
  // The destination refused it.
  event_rejected: { outcome: 'failed', label: 'Refused by the destination' },
  request_rejected: { outcome: 'failed', label: 'Request refused' },
  retry_window_exhausted: { outcome: 'dead', label: 'Gave up retrying', fix: 'Replay it once the destination answers again' },
  // Parked until a setting changes: saving the setting (see ConfigField.cures) requeues them.
  credentials_refused: {
    outcome: 'blocked',
    label: 'Paused: credentials refused',
    fix: "Correct the integration's credentials and save them",
  },
  missing_event_source_url: {
    outcome: 'blocked',
    label: 'Parked: no page URL',
    fix: "Set the integration's site URL",
  },
  // Waiting to be tried again.
  rate_limited: { outcome: 'pending', label: 'Rate limited, retrying' },
  destination_unavailable: { outcome: 'pending', label: 'Destination error, retrying' },
  network_error: { outcome: 'pending', label: 'Network error, retrying' },
  timeout: { outcome: 'pending', label: 'Timed out, retrying' },
  // Put back in the queue by an operator or a fix.
  replayed: { outcome: 'pending', label: 'Replayed' },
  credentials_changed: { outcome: 'pending', label: 'Requeued: credentials changed' },
  config_changed: { outcome: 'pending', label: 'Requeued: settings changed' },
} as const satisfies Record<string, ReasonInfo>;

/** The delivery status a reason goes with. */
export type ReasonOutcome = 'pending' | 'skipped' | 'failed' | 'blocked' | 'dead';

/** What a reason code means: the status it goes with, a label, and what fixes it where a person can. */
export interface ReasonInfo {
  outcome: ReasonOutcome;
  label: string;
  /** What a person does about it, in one imperative sentence. */
  fix?: string;
}

/** A stable reason code. */
export type ReasonCode = keyof typeof REASON_CODES;

/** True for a string that is one of the reason codes. */
export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && Object.hasOwn(REASON_CODES, value);
}
