import { describe, expect, it } from 'vitest';
import { useStore, type CreateTestDatabase } from './harness.js';

export function describeSessions(createDatabase: CreateTestDatabase): void {
  describe('admin sessions', () => {
    const under = useStore(createDatabase);

    it('keeps a session until it is deleted, across reopening the database', async () => {
      const expiresAt = Date.now() + 60_000;
      await under.store.sessions.createSession({ id: 'nonce-1', expiresAt });
      expect(await under.store.sessions.getSession('nonce-1')).toEqual({ id: 'nonce-1', expiresAt });
      const reopened = await under.reopen();
      expect(await reopened.sessions.getSession('nonce-1')).toEqual({ id: 'nonce-1', expiresAt });
      expect(await reopened.sessions.deleteSession('nonce-1')).toBe(true);
      expect(await reopened.sessions.deleteSession('nonce-1')).toBe(false);
      const again = await under.reopen();
      expect(await again.sessions.getSession('nonce-1')).toBeUndefined();
      expect(await again.sessions.getSession('never-made')).toBeUndefined();
    });

    it('gives no expired session, and forgets expired ones when asked', async () => {
      const { sessions } = under.store;
      await sessions.createSession({ id: 'old', expiresAt: Date.now() - 1 });
      await sessions.createSession({ id: 'live', expiresAt: Date.now() + 60_000 });
      expect(await sessions.getSession('old')).toBeUndefined();
      expect(await sessions.expireSessions()).toBe(1);
      expect(await sessions.expireSessions()).toBe(0);
      expect((await sessions.getSession('live'))?.id).toBe('live');
    });
  });
}
