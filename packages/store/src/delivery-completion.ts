import { json } from './columns.js';
import type { DeliveryResult } from './store.js';

/** What one delivery result writes: the delivery's new columns, and the try recorded in its history. */
export interface CompletionColumns {
  id: number;
  status: string;
  reason: string | null;
  reasonCode: string | null;
  /** NULL keeps the stored identifiers. */
  identifiers: string | null;
  /** NULL keeps the stored payload. */
  payload: string | null;
  /** NULL keeps the stored response. */
  response: string | null;
  /** 1 when the result was a try (it counts, and goes in the history); 0 when it was not. */
  counts: 0 | 1;
  /** NULL keeps the delivery's next attempt time. */
  retryInMs: number | null;
  purchaseValue: number | null;
  purchaseCurrency: string | null;
  httpStatus: number | null;
}

/** A list of identifiers as stored: each once, in the order first given. */
const identifiersColumn = (identifiers: readonly string[]) => JSON.stringify([...new Set(identifiers)]);

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((item, i) => item === b[i]);

/** The columns each result writes, in the results' order. */
export function completionColumns(results: readonly DeliveryResult[]): CompletionColumns[] {
  // A batch's results share one answer object: serialise it once.
  let lastResponse: unknown;
  let lastResponseJson: string | null = null;
  // And mostly one list of identifiers (the events of a batch tend to look alike).
  let lastIdentifiers: readonly string[] = [];
  let lastIdentifiersJson = '[]';
  return results.map((result) => {
    if (result.response !== lastResponse) {
      lastResponse = result.response;
      lastResponseJson = json(result.response);
    }
    if (result.identifiers && !sameList(result.identifiers, lastIdentifiers)) {
      lastIdentifiers = result.identifiers;
      lastIdentifiersJson = identifiersColumn(result.identifiers);
    }
    return {
      id: result.deliveryId,
      status: result.status,
      reason: result.reason ?? null,
      reasonCode: result.reasonCode ?? null,
      identifiers: result.identifiers ? lastIdentifiersJson : null,
      payload: result.payloadJson ?? json(result.payload),
      response: lastResponseJson,
      counts: result.countsAsAttempt === false ? 0 : 1,
      retryInMs: result.retryInMs ?? null,
      purchaseValue: result.purchase?.value ?? null,
      purchaseCurrency: result.purchase?.currency ?? null,
      httpStatus: result.httpStatus ?? null,
    };
  });
}
