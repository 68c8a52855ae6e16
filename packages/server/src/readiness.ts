import { isDatabaseUnavailable, type Store } from '@datafirst/store';

/** What `/readyz` answers: its status and body. */
export interface Readiness {
  status: 200 | 503;
  body: { ok: boolean; error?: string };
}

/**
 * Whether this process can serve: its database answers a read. `/healthz` says only that the
 * process is up (a liveness check, which must not restart a collector because its database is
 * away); `/readyz` is for load balancers, which should send traffic elsewhere meanwhile.
 */
export async function readiness(store: Store): Promise<Readiness> {
  try {
    await store.countDeliveries();
    return { status: 200, body: { ok: true } };
  } catch (error) {
    const reason = isDatabaseUnavailable(error) ? 'the database is unreachable' : 'the database answered with an error';
    return { status: 503, body: { ok: false, error: reason } };
  }
}
