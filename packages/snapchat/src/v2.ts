import { assetIdFor } from './action-source.js';
import type { SnapchatConfig } from './config.js';
import { hashNormalized, sha256Hex } from './hash.js';
import type { SnapV3Event } from './v3-event.js';
import { withoutUndefined } from './without-undefined.js';

/**
 * One event of a v2 request body (a JSON array). Snap's OpenAPI types every field as a string;
 * keys come in the order of docs/snapchat-capi.md §7.4.
 */
export interface SnapV2Event {
  pixel_id?: string;
  snap_app_id?: string;
  app_id?: string;
  event_type: string;
  event_conversion_type: string;
  /** Milliseconds since the epoch, as a string. */
  timestamp: string;
  client_dedup_id?: string;
  page_url?: string;
  hashed_email?: string;
  hashed_phone_number?: string;
  hashed_first_name_sha?: string;
  hashed_last_name_sha?: string;
  hashed_city_sha?: string;
  hashed_state_sha?: string;
  hashed_zip?: string;
  hashed_ip_address?: string;
  user_agent?: string;
  hashed_mobile_ad_id?: string;
  hashed_idfv?: string;
  uuid_c1?: string;
  click_id?: string;
  transaction_id?: string;
  price?: string;
  currency?: string;
  item_ids?: string;
  item_category?: string;
  number_items?: string;
  search_string?: string;
  sign_up_method?: string;
}

function asString(value: number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

function hashedRaw(value: string | undefined): string | undefined {
  return value === undefined ? undefined : hashNormalized(value);
}

/**
 * The v2 form of a built v3 event, so both versions share one normalisation core. v2 has one
 * email and one phone (the first are sent), hashes the IP and mobile ids that v3 sends raw,
 * and has no field for gender, birthday, country, external_id, contents, content_name,
 * content_type, brands, app extinfo or LDU (its `data_use` is never sent, docs/snapchat-capi.md §4).
 */
export function toV2Event(event: SnapV3Event, config: SnapchatConfig): SnapV2Event {
  const isApp = event.action_source === 'MOBILE_APP';
  const user = event.user_data;
  const custom = event.custom_data ?? {};
  return withoutUndefined({
    pixel_id: isApp ? undefined : assetIdFor(event.action_source, config),
    snap_app_id: isApp ? assetIdFor(event.action_source, config) : undefined,
    app_id: isApp ? event.app_data?.app_id : undefined,
    event_type: event.event_name,
    event_conversion_type: event.action_source,
    // v2 takes milliseconds; the v3 event keeps whole seconds, so the ms part is 000.
    timestamp: String(event.event_time * 1000),
    client_dedup_id: event.event_id,
    page_url: event.event_source_url,
    hashed_email: user.em?.[0],
    hashed_phone_number: user.ph?.[0],
    hashed_first_name_sha: user.fn,
    hashed_last_name_sha: user.ln,
    hashed_city_sha: user.ct,
    hashed_state_sha: user.st,
    hashed_zip: user.zp,
    hashed_ip_address: user.client_ip_address === undefined ? undefined : sha256Hex(user.client_ip_address),
    user_agent: user.client_user_agent,
    hashed_mobile_ad_id: hashedRaw(user.madid),
    hashed_idfv: hashedRaw(user.idfv),
    uuid_c1: user.sc_cookie1,
    click_id: user.sc_click_id,
    transaction_id: custom.order_id,
    price: asString(custom.value),
    currency: custom.currency,
    item_ids: custom.content_ids?.join(';'),
    item_category: custom.content_category,
    number_items: asString(custom.num_items),
    search_string: custom.search_string,
    sign_up_method: custom.sign_up_method,
  });
}
