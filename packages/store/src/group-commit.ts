import type { QueuedWork } from './fair-share.js';
import type { AppendResult, NewEvent } from './store.js';

/** Most events one group commit writes, in either engine: two full batches. */
export const MAX_EVENTS_PER_COMMIT = 5000;

/** An append waiting for the next group commit; its `size` is its number of events, what it costs a commit. */
export interface PendingAppend extends QueuedWork {
  events: NewEvent[];
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}
