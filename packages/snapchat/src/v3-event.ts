import type { SnapAppData } from './app-data.js';
import type { ActionSource } from './config.js';
import type { SnapCustomData } from './custom-data.js';
import type { SnapEventName } from './event-names.js';
import type { SnapUserData } from './user-data.js';

/** One event of a v3 request body (`{"data":[…]}`), keys in the order the builder emits them. */
export interface SnapV3Event {
  event_name: SnapEventName;
  action_source: ActionSource;
  /** Whole seconds since the epoch, for every action source (Snap refuses ms on OFFLINE events). */
  event_time: number;
  /** The message's `messageId`: stable across retries, and the Pixel's dedup key. */
  event_id: string;
  event_source_url?: string;
  user_data: SnapUserData;
  custom_data?: SnapCustomData;
  app_data?: SnapAppData;
  /** `["LDU"]` for limited data use; Snap geolocates the user when country and state are 0 (the default). */
  data_processing_options?: string[];
  data_processing_options_country?: number;
  data_processing_options_state?: number;
  test_event_code?: string;
}
