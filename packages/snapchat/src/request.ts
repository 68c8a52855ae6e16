import { assetIdFor } from './action-source.js';
import type { SnapchatConfig } from './config.js';
import { toV2Event } from './v2.js';
import type { SnapV3Event } from './v3-event.js';

/** An HTTP request to Snapchat, ready for any HTTP client. */
export interface SnapRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Each event's JSON as `body` carries it (v3 without a test event code), for recording what was sent. */
  eventJsons?: string[];
}

/** Options of {@link buildSendRequest}. */
export interface SendRequestOptions {
  /** Send to the validate endpoint: Snap checks the events but does not count them. */
  validate?: boolean;
  /** v3 only: marks every event as a test event (`test_event_code`). */
  testEventCode?: string;
}

/** Snap rejects requests with more events than this with a 400. */
export const MAX_EVENTS_PER_REQUEST = 2000;

/** Snap's production host, the default of `SNAPCHAT_API_URL`. */
export const SNAPCHAT_API_URL = 'https://tr.snapchat.com';

/** The one asset all `events` go to; a request carries exactly one. */
function requestAsset(config: SnapchatConfig, events: readonly SnapV3Event[]): string {
  if (events.length === 0) throw new RangeError('a Snapchat request needs at least one event');
  if (events.length > MAX_EVENTS_PER_REQUEST) {
    throw new RangeError(`a Snapchat request takes at most ${MAX_EVENTS_PER_REQUEST} events, got ${events.length}`);
  }
  const assets = new Set(events.map((event) => assetIdFor(event.action_source, config)));
  const [asset] = assets;
  if (assets.size > 1 || asset === undefined) {
    throw new RangeError('events of one request must share one asset (pixel_id or snap_app_id); group them first');
  }
  return asset;
}

/**
 * The HTTP request that sends `events` (all of one asset, at most 2000) to Snapchat. v3:
 * `POST {base}/v3/{asset}/events[/validate]?access_token=…` with `{"data":[…]}`; v2:
 * `POST {base}/v2/conversion[/validate]` with `Authorization: Bearer …` and a JSON array.
 * Throws a RangeError for an empty, oversized or mixed-asset batch: that is the caller's bug.
 */
export function buildSendRequest(
  baseUrl: string,
  config: SnapchatConfig,
  events: readonly SnapV3Event[],
  options: SendRequestOptions = {},
): SnapRequest {
  const asset = requestAsset(config, events);
  const base = baseUrl.replace(/\/+$/u, '');
  const validate = options.validate === true ? '/validate' : '';
  if (config.api_version === 'v2') {
    return {
      method: 'POST',
      url: `${base}/v2/conversion${validate}`,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${config.access_token}` },
      body: JSON.stringify(events.map((event) => toV2Event(event, config))),
    };
  }
  const testEventCode = options.testEventCode?.trim();
  // The token goes only in the query, as Snap's own tag sends it; log URLs through maskAccessToken.
  const url = `${base}/v3/${encodeURIComponent(asset)}/events${validate}?access_token=${encodeURIComponent(config.access_token)}`;
  const headers = { 'Content-Type': 'application/json' };
  if (testEventCode) {
    const data = events.map((event) => ({ ...event, test_event_code: testEventCode }));
    return { method: 'POST', url, headers, body: JSON.stringify({ data }) };
  }
  // Each event serialised once, for the body and for the delivery records (the same text as
  // JSON.stringify({ data: events })).
  const serialised = events.map((event) => JSON.stringify(event));
  const body = `{"data":[${serialised.join(',')}]}`;
  // The records' texts are cut from the body, which is kept until they are stored anyway: V8
  // shares the body's memory for a slice, so a batch's events are held once, not twice.
  let at = '{"data":['.length;
  const eventJsons = serialised.map((json) => {
    const slice = body.slice(at, at + json.length);
    at += json.length + 1;
    return slice;
  });
  return { method: 'POST', url, headers, body, eventJsons };
}

/** Which of Snap's test tools to read: test events of the last 24 h, or test and live counts of the past hour. */
export type ValidationReport = 'logs' | 'stats';

/** A GET request to Snapchat, ready for any HTTP client. */
export interface SnapReadRequest {
  method: 'GET';
  url: string;
  headers: Record<string, string>;
}

/**
 * The request that reads Snap's validate logs or stats for one asset (default: the pixel). v3:
 * `GET {base}/v3/{asset}/events/validate/{logs|stats}?access_token=…`; v2:
 * `GET {base}/v2/conversion/validate/{logs|stats}?asset_id=…` with `Authorization: Bearer …`.
 */
export function buildValidationReportRequest(
  baseUrl: string,
  config: SnapchatConfig,
  report: ValidationReport,
  assetId: string = config.pixel_id,
): SnapReadRequest {
  const base = baseUrl.replace(/\/+$/u, '');
  if (config.api_version === 'v2') {
    return {
      method: 'GET',
      url: `${base}/v2/conversion/validate/${report}?asset_id=${encodeURIComponent(assetId)}`,
      headers: { Authorization: `Bearer ${config.access_token}` },
    };
  }
  const token = encodeURIComponent(config.access_token);
  return {
    method: 'GET',
    url: `${base}/v3/${encodeURIComponent(assetId)}/events/validate/${report}?access_token=${token}`,
    headers: {},
  };
}

/** `url` with the value of every `access_token` query parameter replaced by `***`, for logs and the debugger. */
export function maskAccessToken(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/giu, '$1***');
}
