import type Database from 'better-sqlite3';
import type { SessionStore, StoredSession } from '../privacy.js';
import type { DatabaseClock } from './clock.js';

/** Admin sessions in SQLite: one row per signed-in session, deleted on sign-out. */
export class SqliteSessionStore implements SessionStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: DatabaseClock,
  ) {}

  async createSession(session: StoredSession): Promise<void> {
    this.db
      .prepare<[string, number], never>('INSERT INTO admin_sessions (id, expires_at) VALUES (?, ?)')
      .run(session.id, session.expiresAt);
  }

  async getSession(id: string): Promise<StoredSession | undefined> {
    const row = this.db
      .prepare<[string, number], { id: string; expires_at: number }>(
        'SELECT * FROM admin_sessions WHERE id = ? AND expires_at > ?',
      )
      .get(id, this.now());
    return row && { id: row.id, expiresAt: row.expires_at };
  }

  async deleteSession(id: string): Promise<boolean> {
    return this.db.prepare<[string], never>('DELETE FROM admin_sessions WHERE id = ?').run(id).changes > 0;
  }

  async expireSessions(): Promise<number> {
    return this.db.prepare<[number], never>('DELETE FROM admin_sessions WHERE expires_at <= ?').run(this.now()).changes;
  }
}
