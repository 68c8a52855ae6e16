import { checkMockAuth, readMockToken, type MockAuthOutcome, type MockTokenMap } from './mock-auth.js';
import { jsonReply, type MockReply } from './mock-faults.js';
import type { MockAcceptedEvent, MockRouteName, MockStore, MockTestLogEntry } from './mock-store.js';
import {
  asRecord,
  isPresent,
  parseV2Body,
  parseV3Body,
  pick,
  readMockActionSource,
  v2EventAssetId,
  validateV2Event,
  validateV3Event,
  type MockEventError,
} from './mock-validation.js';

/** A Snapchat endpoint the mock serves. */
export interface MockRoute {
  name: MockRouteName;
  apiVersion: 'v3' | 'v2';
  kind: 'send' | 'validate' | 'logs' | 'stats';
  method: 'POST' | 'GET';
  /** From the v3 path; v2 names its assets in the events or the `asset_id` query. */
  assetId?: string;
}

/** Everything a route needs to answer one request. */
export interface MockRouteContext {
  route: MockRoute;
  query: URLSearchParams;
  authorization: string | undefined;
  rawBody: string;
  nowMs: number;
  /** Omitted in demo mode. */
  tokens: MockTokenMap | undefined;
  store: Pick<MockStore, 'testLogs' | 'stats'>;
}

/** A route's answer, plus what the mock must remember because of it. */
export interface MockRouteOutcome {
  reply: MockReply;
  assetId: string | null;
  accepted: MockAcceptedEvent[];
  testLogs: MockTestLogEntry[];
}

/** Snap's observed success text; the worker and e2e tests compare against it exactly. */
export const MOCK_SUCCESS_REASON = 'Events have been processed successfully.';
const PARTIAL_REASON = 'Some events failed validation';
const INVALID_TOKEN = 'Invalid access token';
const FORBIDDEN_ASSET = 'Access token is not authorized for this asset';

const V3_PATH = /^\/v3\/([^/]+)\/events(\/validate(\/logs|\/stats)?)?$/;
const V2_PATH = /^\/v2\/conversion(\/validate(\/logs|\/stats)?)?$/;

/** Matches a path (mount point, query and trailing slash removed) to a Snapchat endpoint. */
export function matchMockRoute(path: string): MockRoute | undefined {
  const v3 = V3_PATH.exec(path);
  if (v3) {
    const kind = v3[3] ? (v3[3].slice(1) as 'logs' | 'stats') : v3[2] ? 'validate' : 'send';
    return { name: `v3.${kind}`, apiVersion: 'v3', kind, method: methodFor(kind), assetId: decodeSegment(v3[1]!) };
  }
  const v2 = V2_PATH.exec(path);
  if (v2) {
    const kind = v2[2] ? (v2[2].slice(1) as 'logs' | 'stats') : v2[1] ? 'validate' : 'send';
    return { name: `v2.${kind}`, apiVersion: 'v2', kind, method: methodFor(kind) };
  }
  return undefined;
}

/** Answers one request to a Snapchat endpoint: auth, request checks, event rules, logs and stats. */
export function handleMockRoute(context: MockRouteContext): MockRouteOutcome {
  return context.route.apiVersion === 'v3' ? handleV3(context) : handleV2(context);
}

function handleV3(context: MockRouteContext): MockRouteOutcome {
  const { route, nowMs, store } = context;
  const assetId = route.assetId ?? '';
  const token = readMockToken('v3', context.query, context.authorization);
  const auth = checkMockAuth(context.tokens, token, [assetId]);
  if (auth !== 'ok') return answer(jsonReply(authStatus(auth), { status: 'INVALID', reason: authReason(auth) }), assetId);

  if (route.kind === 'logs') {
    const logs = store.testLogs(assetId, nowMs).map(v3LogView);
    return answer(jsonReply(200, { status: 'SUCCESS', reason: '', logs }), assetId);
  }
  if (route.kind === 'stats') {
    return answer(jsonReply(200, { status: 'SUCCESS', reason: '', stats: store.stats(assetId, nowMs) }), assetId);
  }

  const test = route.kind === 'validate';
  const parsed = parseV3Body(context.rawBody);
  if (!parsed.ok) {
    const { code, reason } = parsed.error;
    const errors = { codes: [code], error_msgs: [reason] };
    return answer(jsonReply(400, { status: 'INVALID', ...(test ? { test_event: true } : {}), reason, errors }), assetId);
  }
  const results = parsed.events.map((event) => validateV3Event(event, nowMs));
  const firstBad = results.findIndex((errors) => errors.length > 0);
  // Snap takes a v3 request whole or not at all (an open question: docs/snapchat-capi.md §9).
  const accepted = firstBad < 0 ? parsed.events.map((event) => acceptedV3(event, assetId, test)) : [];

  if (!test) {
    if (firstBad < 0) return answer(jsonReply(200, { status: 'VALID', reason: MOCK_SUCCESS_REASON }), assetId, accepted);
    const errors = results[firstBad]!; // the first event with errors, so never empty
    const body = { status: 'INVALID', reason: errors[0]!.reason, event: firstBad, errors: errorDetails(errors) };
    return answer(jsonReply(400, body), assetId);
  }

  const eventLogs = results.map((errors, index) => ({
    event: index,
    status: errors.length > 0 ? 'INVALID' : 'VALID',
    errors: errorDetails(errors),
    warnings: [],
  }));
  const body = {
    status: firstBad < 0 ? 'VALID' : 'INVALID',
    test_event: true,
    reason: firstBad < 0 ? MOCK_SUCCESS_REASON : results[firstBad]![0]!.reason, // the first event with errors
    event_logs: eventLogs,
  };
  // `results` has one entry per event.
  const testLogs = parsed.events.map((event, index) => testLog(event, assetId, 'v3', results[index]!, nowMs));
  return { reply: jsonReply(firstBad < 0 ? 200 : 400, body), assetId, accepted, testLogs };
}

function handleV2(context: MockRouteContext): MockRouteOutcome {
  const { route, nowMs, store, tokens } = context;
  const token = readMockToken('v2', context.query, context.authorization);
  const presented = checkMockAuth(tokens, token, []);
  if (presented !== 'ok') return answer(v2Failed(authStatus(presented), authReason(presented)), null);

  if (route.kind === 'logs' || route.kind === 'stats') {
    const assetId = context.query.get('asset_id')?.trim();
    if (!assetId) return answer(v2Failed(400, 'Missing required field: asset_id'), null);
    const auth = checkMockAuth(tokens, token, [assetId]);
    if (auth !== 'ok') return answer(v2Failed(authStatus(auth), authReason(auth)), assetId);
    if (route.kind === 'stats') {
      return answer(jsonReply(200, { status: 'SUCCESS', reason: '', stats: store.stats(assetId, nowMs) }), assetId);
    }
    const logs = store.testLogs(assetId, nowMs).map(v2LogView);
    return answer(jsonReply(200, { status: 'SUCCESS', reason: '', logs }), assetId);
  }

  const parsed = parseV2Body(context.rawBody);
  if (!parsed.ok) return answer(v2Failed(400, parsed.error.reason), null);
  const assets = parsed.events.map(v2EventAssetId);
  const named = [...new Set(assets.filter((asset): asset is string => asset !== undefined))];
  const requestAsset = named[0] ?? null;
  const auth = checkMockAuth(tokens, token, named);
  if (auth !== 'ok') return answer(v2Failed(authStatus(auth), authReason(auth)), requestAsset);

  const test = route.kind === 'validate';
  const results = parsed.events.map((event) => validateV2Event(event, nowMs));
  // v2 keeps the good records of a batch and lists the bad ones, grouped by reason.
  const accepted: MockAcceptedEvent[] = [];
  const errorRecords: { reason: string; record_indexes: number[] }[] = [];
  results.forEach((errors, index) => {
    if (errors.length === 0) {
      accepted.push(acceptedV2(parsed.events[index], assets[index] ?? '', test));
      return;
    }
    for (const reason of new Set(errors.map((error) => error.reason))) {
      const group = errorRecords.find((record) => record.reason === reason);
      if (group) group.record_indexes.push(index);
      else errorRecords.push({ reason, record_indexes: [index] });
    }
  });
  const body = {
    status: 'SUCCESS',
    reason: errorRecords.length === 0 ? MOCK_SUCCESS_REASON : PARTIAL_REASON,
    error_records: errorRecords,
    ...(test ? { warning_records: [] } : {}),
  };
  const testLogs = test
    ? parsed.events.map((event, index) => testLog(event, assets[index] ?? '', 'v2', results[index]!, nowMs)) // one result per event
    : [];
  return { reply: jsonReply(200, body), assetId: requestAsset, accepted, testLogs };
}

function acceptedV3(input: unknown, assetId: string, test: boolean): MockAcceptedEvent {
  const event = asRecord(input) ?? {};
  const customData = asRecord(event.custom_data) ?? {};
  return {
    assetId,
    apiVersion: 'v3',
    test,
    actionSource: readMockActionSource(pick(event, 'action_source', 'event_conversion_type')) ?? 'WEB',
    ...dedupIds(pick(event, 'event_name', 'event_type'), event.event_id, customData.order_id),
    event,
  };
}

function acceptedV2(input: unknown, assetId: string, test: boolean): MockAcceptedEvent {
  const event = asRecord(input) ?? {};
  return {
    assetId,
    apiVersion: 'v2',
    test,
    actionSource: readMockActionSource(event.event_conversion_type) ?? 'WEB',
    ...dedupIds(event.event_type, event.client_dedup_id, event.transaction_id),
    event,
  };
}

function dedupIds(name: unknown, eventId: unknown, orderId: unknown): { eventId?: string; orderId?: string } {
  const isPurchase = typeof name === 'string' && name.trim().toUpperCase() === 'PURCHASE';
  return {
    ...(isPresent(eventId) ? { eventId: String(eventId) } : {}),
    ...(isPurchase && isPresent(orderId) ? { orderId: String(orderId) } : {}),
  };
}

function testLog(
  input: unknown,
  assetId: string,
  apiVersion: 'v3' | 'v2',
  errors: MockEventError[],
  nowMs: number,
): MockTestLogEntry {
  const event = asRecord(input) ?? {};
  return { assetId, apiVersion, receivedAtMs: nowMs, status: errors.length > 0 ? 'INVALID' : 'VALID', errors, event };
}

// Field names follow the GetLogsResponse of Snap's v3 SDK OpenAPI.
function v3LogView(entry: MockTestLogEntry): Record<string, unknown> {
  const event = entry.event;
  const name = pick(event, 'event_name', 'event_type');
  const actionSource = readMockActionSource(pick(event, 'action_source', 'event_conversion_type'));
  const assetKey = actionSource === 'MOBILE_APP' ? 'snap_app_id' : 'pixel_id';
  const appId = asRecord(event.app_data)?.app_id ?? event.app_id;
  return {
    event_name: typeof name === 'string' ? name.toUpperCase() : '',
    raw_event_name: isPresent(name) ? String(name) : '',
    event_time: text(pick(event, 'event_time', 'timestamp')),
    action_source: actionSource ?? text(pick(event, 'action_source', 'event_conversion_type')),
    status: entry.status,
    integration: text(event.integration),
    asset_id: entry.assetId,
    error_records: entry.errors.map((error) => error.reason),
    warning_records: [],
    event_metadata: {
      [assetKey]: entry.assetId,
      ...(isPresent(appId) ? { app_id: String(appId) } : {}),
      conversion_info: event,
    },
  };
}

// Field names follow the response_logs_log of Snap's v2 OpenAPI.
function v2LogView(entry: MockTestLogEntry): Record<string, unknown> {
  const event = entry.event;
  return {
    timestamp: text(pick(event, 'timestamp', 'event_time')),
    event_type: text(pick(event, 'event_type', 'event_name')),
    event_conversion_type: text(pick(event, 'event_conversion_type', 'action_source')),
    status: entry.status,
    integration: text(event.integration),
    event_metadata: event,
    error_records: entry.errors.map((error) => error.reason),
    warning_records: [],
  };
}

function errorDetails(errors: MockEventError[]): { codes: string[]; error_msgs: string[] } {
  return { codes: errors.map((error) => error.code), error_msgs: errors.map((error) => error.reason) };
}

function answer(reply: MockReply, assetId: string | null, accepted: MockAcceptedEvent[] = []): MockRouteOutcome {
  return { reply, assetId, accepted, testLogs: [] };
}

function v2Failed(status: number, reason: string): MockReply {
  return jsonReply(status, { status: 'FAILED', reason });
}

function authStatus(outcome: MockAuthOutcome): number {
  return outcome === 'forbidden' ? 403 : 401;
}

function authReason(outcome: MockAuthOutcome): string {
  return outcome === 'forbidden' ? FORBIDDEN_ASSET : INVALID_TOKEN;
}

function methodFor(kind: MockRoute['kind']): 'POST' | 'GET' {
  return kind === 'send' || kind === 'validate' ? 'POST' : 'GET';
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function text(value: unknown): string {
  return isPresent(value) ? String(value) : '';
}
