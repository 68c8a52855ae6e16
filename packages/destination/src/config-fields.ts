import type { ReasonCode } from './reason-codes.js';

/**
 * A setting a destination declares: the admin API validates and masks by it, and the admin UI
 * draws the integration form from it, so a new destination needs no form of its own.
 */
export interface ConfigField {
  /** The key in the integration's `config`. */
  key: string;
  label: string;
  /** How the form shows it and how a value is read. */
  type: 'string' | 'integer' | 'boolean' | 'select' | 'event_map' | 'field_map';
  required: boolean;
  /** Write-only: never logged, and masked in every answer. */
  secret: boolean;
  /** Changing it may cure refused credentials: a paused integration is requeued. */
  credential: boolean;
  /**
   * The `blocked` reason codes a change of this setting may cure (say `missing_event_source_url`
   * for a site URL): saving a new value requeues the integration's deliveries parked with them.
   */
  cures?: readonly ReasonCode[];
  /** One sentence for the form. */
  help: string;
  placeholder?: string;
  /** For `select`: the allowed values, in the order to show them. */
  options?: readonly { value: string; label: string }[];
  /** What applies when the field is not set. */
  default?: string | number | boolean;
  /** For `field_map`: the destination fields a source may be mapped to, and what a fixed value of each is. */
  mappable?: readonly { key: string; value: 'number' | 'text' | 'list' }[];
  /** The form section it is shown in; the destination's name when not given. */
  group?: string;
}

/** A config accepted as valid, or every problem found as `key: reason`. */
export type ConfigCheck<Config> = { ok: true; config: Config } | { ok: false; errors: string[] };

/** The keys of the secret fields, for masking. */
export function secretKeys(fields: readonly ConfigField[]): string[] {
  return fields.filter((field) => field.secret).map((field) => field.key);
}

/**
 * The reason codes a config change may cure: those of every field whose value changed
 * (`credentials_refused` for a changed credential), each once, in field order.
 */
export function curedReasonCodes(
  fields: readonly ConfigField[],
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): ReasonCode[] {
  const cured = new Set<ReasonCode>();
  for (const field of fields) {
    // Compared as JSON so that an equal map rebuilt by validation is no change.
    if (JSON.stringify(before[field.key]) === JSON.stringify(after[field.key])) continue;
    if (field.credential) cured.add('credentials_refused');
    for (const code of field.cures ?? []) cured.add(code);
  }
  return [...cured];
}
