import type pg from 'pg';
import type { SessionStore, StoredSession } from '../privacy.js';
import { changed, NOW_MS_SQL } from './pool.js';

/** Admin sessions in PostgreSQL: one row per signed-in session, deleted on sign-out. */
export class PostgresSessionStore implements SessionStore {
  constructor(private readonly pool: pg.Pool) {}

  async createSession(session: StoredSession): Promise<void> {
    await this.pool.query('INSERT INTO admin_sessions (id, expires_at) VALUES ($1, $2)', [session.id, session.expiresAt]);
  }

  async getSession(id: string): Promise<StoredSession | undefined> {
    const { rows } = await this.pool.query<{ id: string; expires_at: number }>(
      `SELECT * FROM admin_sessions WHERE id = $1 AND expires_at > ${NOW_MS_SQL}`,
      [id],
    );
    return rows[0] && { id: rows[0].id, expiresAt: rows[0].expires_at };
  }

  async deleteSession(id: string): Promise<boolean> {
    return changed(await this.pool.query('DELETE FROM admin_sessions WHERE id = $1', [id])) > 0;
  }

  async expireSessions(): Promise<number> {
    return changed(await this.pool.query(`DELETE FROM admin_sessions WHERE expires_at <= ${NOW_MS_SQL}`));
  }
}
