import type { SendResult } from '@datafirst/snapchat';

/** An answer body as data: parsed JSON, or the text itself (cut short) when it is not JSON. */
export function parseAnswer(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // A proxy's HTML error page can be long; the first part says what went wrong.
    return text.slice(0, 2000);
  }
}

/** One request to Snapchat and its answer, as the admin API shows them (token masked). */
export function describeExchange(sent: SendResult) {
  return {
    request: { url: sent.url, body: JSON.parse(sent.body) as unknown },
    response: { status: sent.status ?? null, body: parseAnswer(sent.responseBody) },
    outcome: sent.outcome,
  };
}
