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
