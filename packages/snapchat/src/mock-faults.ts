/** How an armed fault misbehaves. */
export type MockFaultMode = 'status' | 'rate_limit' | 'delay' | 'hang' | 'reset' | 'reset_after_accept';

/** Which endpoints a fault hits: event sends, test-event validation, or both. */
export type MockFaultRoute = 'send' | 'validate' | 'all';

/** A fault to arm on the mock, as given to `setFaults` or `PUT /__mock/faults`. */
export interface MockFault {
  mode: MockFaultMode;
  /** How many requests it hits (default 1); 0 means until the faults are cleared. */
  count?: number;
  /** Chance, 0 to 1, that a matching request is hit (default 1). */
  probability?: number;
  /** Default `all`. */
  route?: MockFaultRoute;
  /** For `status`: 500, 502, 503 or 504 (default 500). */
  status?: number;
  /** For `rate_limit` (default 1) and `status`: seconds sent in `Retry-After`. */
  retryAfter?: number;
  /** For `delay`: how long to wait before answering normally (default 1000). */
  ms?: number;
}

/** A fault with its defaults filled in; `count` is what is left of it. */
export interface MockFaultSpec extends MockFault {
  count: number;
  probability: number;
  route: MockFaultRoute;
}

/** The armed faults, applied in the order they were given. */
export interface MockFaultQueue {
  set(faults: MockFault | MockFault[]): void;
  clear(): void;
  list(): MockFaultSpec[];
  /** The fault that hits this request, if any, using up one of its count. */
  take(route: 'send' | 'validate'): MockFaultSpec | undefined;
}

/** A ready-made answer: status, headers and body text. */
export interface MockReply {
  status: number;
  headers: Record<string, string>;
  text: string;
}

const MODES: readonly string[] = ['status', 'rate_limit', 'delay', 'hang', 'reset', 'reset_after_accept'];
const ROUTES: readonly string[] = ['send', 'validate', 'all'];
const FAULT_STATUSES: readonly number[] = [500, 502, 503, 504];
const KEYS: readonly string[] = ['mode', 'count', 'probability', 'route', 'status', 'retryAfter', 'ms'];

const STATUS_REASONS: Readonly<Record<number, string>> = {
  500: 'Internal server error',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

// Snap sits behind a load balancer whose 502 is an HTML page: clients must cope with a non-JSON error.
const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

/** Checks one fault spec and fills in its defaults; throws a TypeError naming what is wrong. */
export function normalizeMockFault(input: unknown): MockFaultSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('a fault must be an object');
  }
  const fault = input as Record<string, unknown>;
  const unknownKey = Object.keys(fault).find((key) => !KEYS.includes(key));
  if (unknownKey !== undefined) throw new TypeError(`unknown fault field: ${unknownKey}`);
  const mode = fault.mode;
  if (typeof mode !== 'string' || !MODES.includes(mode)) {
    throw new TypeError(`fault mode must be one of ${MODES.join(', ')}`);
  }
  const spec: MockFaultSpec = {
    mode: mode as MockFaultMode,
    count: readNumber(fault, 'count', 1, (n) => Number.isInteger(n) && n >= 0, 'a whole number, 0 or more'),
    probability: readNumber(fault, 'probability', 1, (n) => n >= 0 && n <= 1, 'between 0 and 1'),
    route: readRoute(fault.route),
  };
  if (mode === 'status') {
    spec.status = readNumber(fault, 'status', 500, (n) => FAULT_STATUSES.includes(n), 'one of 500, 502, 503, 504');
  }
  if (mode === 'rate_limit' || (mode === 'status' && fault.retryAfter !== undefined)) {
    spec.retryAfter = readNumber(fault, 'retryAfter', 1, (n) => Number.isInteger(n) && n >= 0, 'whole seconds, 0 or more');
  }
  if (mode === 'delay') spec.ms = readNumber(fault, 'ms', 1000, (n) => n >= 0 && Number.isFinite(n), 'ms, 0 or more');
  return spec;
}

/** Checks one fault or a list of them; throws a TypeError naming the first bad one. */
export function normalizeMockFaults(input: unknown): MockFaultSpec[] {
  const list = Array.isArray(input) ? input : [input];
  return list.map((fault, index) => {
    try {
      return normalizeMockFault(fault);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new TypeError(list.length > 1 ? `fault ${index}: ${message}` : message);
    }
  });
}

/** Creates an empty fault queue; `random` decides probabilistic faults (Math.random by default). */
export function createMockFaultQueue(random: () => number = Math.random): MockFaultQueue {
  let armed: MockFaultSpec[] = [];
  return {
    set(faults) {
      armed = normalizeMockFaults(faults);
    },
    clear() {
      armed = [];
    },
    list() {
      return armed.map((spec) => ({ ...spec }));
    },
    take(route) {
      const index = armed.findIndex(
        (spec) => (spec.route === 'all' || spec.route === route) && (spec.probability >= 1 || random() < spec.probability),
      );
      if (index < 0) return undefined;
      const spec = armed[index]!;
      const applied = { ...spec };
      if (spec.count > 0) {
        spec.count -= 1;
        if (spec.count === 0) armed.splice(index, 1);
      }
      return applied;
    },
  };
}

/** The answer a `status` or `rate_limit` fault gives instead of processing the request. */
export function mockFaultReply(spec: MockFaultSpec): MockReply {
  const retryHeader: Record<string, string> = spec.retryAfter === undefined ? {} : { 'retry-after': String(spec.retryAfter) };
  if (spec.mode === 'rate_limit') {
    return jsonReply(429, { status: 'FAILED', reason: 'Too many requests' }, retryHeader);
  }
  const status = spec.status ?? 500;
  if (status === 502) {
    return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...retryHeader }, text: BAD_GATEWAY_HTML };
  }
  return jsonReply(status, { status: 'FAILED', reason: STATUS_REASONS[status] ?? 'Server error' }, retryHeader);
}

/** A JSON answer with the given status. */
export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): MockReply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, text: JSON.stringify(body) };
}

function readNumber(
  fault: Record<string, unknown>,
  key: string,
  fallback: number,
  valid: (n: number) => boolean,
  expected: string,
): number {
  const value = fault[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !valid(value)) throw new TypeError(`fault ${key} must be ${expected}`);
  return value;
}

function readRoute(value: unknown): MockFaultRoute {
  if (value === undefined) return 'all';
  if (typeof value !== 'string' || !ROUTES.includes(value)) {
    throw new TypeError(`fault route must be one of ${ROUTES.join(', ')}`);
  }
  return value as MockFaultRoute;
}
