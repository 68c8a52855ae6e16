// @ts-check
// What the admin API says the UI should call things: the destinations with their declared
// settings and identifiers, and the reason codes' labels. Fetched once per page load, so no page
// keeps a copy of the server's words.
import { api } from './api.js';

/**
 * Labels filled in by `loadVocabulary`: identifier key → { short, long }, reason code → label,
 * and reason code → what fixes it (for the codes that have a fix).
 */
export const labels = { identifiers: {}, reasons: {}, fixes: {} };

let loading = null;

/** Loads (once) the destinations and reason codes; resolves with the destinations. */
export function loadVocabulary() {
  loading ??= Promise.all([api('GET', 'destinations'), api('GET', 'reason-codes')]).then(
    ([{ destinations }, { reason_codes: reasonCodes }]) => {
      for (const destination of destinations) {
        for (const info of destination.identifiers) {
          labels.identifiers[info.key] = { short: info.shortLabel, long: info.label };
        }
      }
      for (const { code, label, fix } of reasonCodes) {
        labels.reasons[code] = label;
        if (fix) labels.fixes[code] = fix;
      }
      return destinations;
    },
    (error) => {
      loading = null; // e.g. signed out: try again next time
      throw error;
    },
  );
  return loading;
}
