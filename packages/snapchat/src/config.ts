import type { FieldMap } from './field-map.js';

/** Where an event happened, in Snapchat's native terms. */
export type ActionSource = 'WEB' | 'MOBILE_APP' | 'OFFLINE';

/** Snapchat CAPI version an integration speaks. v3 is the default; v2 is deprecated by Snap. */
export type ApiVersion = 'v3' | 'v2';

/** Limited-data-use country codes Snap takes: 0 = geolocate the user, 1 = the United States. */
export type LduCountry = 0 | 1;

/** Limited-data-use state codes Snap takes: 0 = geolocate the user, 1000 = California. */
export type LduState = 0 | 1000;

/** One Snapchat integration's settings (the `config` object of the management API). */
export interface SnapchatConfig {
  /** The Pixel ID: the asset for WEB and OFFLINE events. */
  pixel_id: string;
  /** A Conversions API token. Secret: never logged, never returned. */
  access_token: string;
  /** The Snap App ID: the asset for MOBILE_APP events. */
  snap_app_id?: string;
  /** The app's store id (e.g. `com.example.app` or `123456789`), for `app_data.app_id`. */
  app_id?: string;
  api_version?: ApiVersion;
  /** Default action source for this integration's events (default `WEB`). */
  action_source?: ActionSource;
  /**
   * The site's absolute URL, sent as `event_source_url` of WEB events that carry no page URL
   * (server-side events): without it such events are parked rather than sent.
   */
  site_url?: string;
  /** ISO-2 country used for phone numbers given without a country code; never guessed. */
  phone_default_country?: string;
  /** Event name → Snapchat event name, or `null` to switch that event off. Wins over the defaults. */
  event_map?: Record<string, string | null>;
  /** Where mapped Snapchat fields take their values from, for all events and per event name. */
  field_map?: FieldMap;
  /** Always ask for limited data use (`data_processing_options: ["LDU"]`). */
  limited_data_use?: boolean;
  /** `data_processing_options_country` of limited-data-use events: 0 (default) lets Snap geolocate, 1 is the US. */
  ldu_country?: LduCountry;
  /** `data_processing_options_state` of limited-data-use events: 0 (default) lets Snap geolocate, 1000 is California. */
  ldu_state?: LduState;
  rate_limit_rps?: number;
  rate_limit_burst?: number;
}
