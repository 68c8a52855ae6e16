// @ts-check
// The admin API, as the UI calls it: same origin, the session cookie sent by the browser, and the
// session's CSRF token in a header on every call that changes something.

// Relative to the page (…/admin/), so the UI also works when a proxy serves the collector under a path.
const BASE = new URL('../v1/admin/', document.baseURI);

/** @type {string | null} */
let csrfToken = null;
/** @type {() => void} */
let onSignedOut = () => {};

/** An answer other than 2xx, with the API's reasons. */
export class ApiError extends Error {
  /**
   * @param {number} status the HTTP status; 0 when Datafirst did not answer
   * @param {string} message
   * @param {string[]} errors every reason, one per line of the error list
   */
  constructor(status, message, errors) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}

/**
 * Remembers the session's CSRF token (null when signed out).
 * @param {string | null} token
 */
export function setCsrfToken(token) {
  csrfToken = token;
}

/**
 * Called when a call finds the session gone (expired, signed out elsewhere).
 * @param {() => void} callback
 */
export function whenSignedOut(callback) {
  onSignedOut = callback;
}

/**
 * The absolute URL of an admin API path such as `events/stream?x=1`.
 * @param {string} path
 */
export function apiUrl(path) {
  return new URL(path, BASE).href;
}

/**
 * Calls the admin API; resolves with the JSON answer, or throws an ApiError.
 * @param {'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} method
 * @param {string} path
 * @param {unknown} [body] sent as JSON; a File or Blob is sent as it is, as CSV (an upload)
 * @param {{ signal?: AbortSignal }} [options]
 */
export async function api(method, path, body, { signal } = {}) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  const file = body instanceof Blob;
  if (body !== undefined) headers['content-type'] = file ? 'text/csv' : 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res;
  try {
    res = await fetch(apiUrl(path), {
      method,
      headers,
      body: body === undefined ? undefined : file ? body : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'Datafirst did not answer: is it running?', ['Datafirst did not answer: is it running?']);
  }
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = { error: text };
  }
  // A refused sign-in (or sign-out) is the caller's to tell; any other 401 means the session is gone.
  if (res.status === 401 && !(path.startsWith('session') && method !== 'GET')) onSignedOut();
  if (!res.ok) {
    const message = data?.error ?? `HTTP ${res.status}`;
    throw new ApiError(res.status, message, data?.errors ?? [message]);
  }
  return data;
}

/**
 * What went wrong, to show in an error list: the API's reasons, or the error's message.
 * @param {unknown} error
 * @returns {string[]}
 */
export function errorMessages(error) {
  return error instanceof ApiError ? error.errors : [errorMessage(error)];
}

/**
 * What went wrong, in one line (for a toast).
 * @param {unknown} error
 */
export function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}
