import { openSqliteStore, type Store } from '@datafirst/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminSessions, SESSION_TTL_MS } from './admin-session.js';

describe('AdminSessions', () => {
  let store: Store;
  beforeEach(() => {
    store = openSqliteStore({ path: ':memory:' });
  });
  afterEach(() => store.close());

  it('verifies the cookie it issued, with the same CSRF token', async () => {
    const sessions = new AdminSessions('admin-token', store.sessions);
    const { session, cookie } = await sessions.issue();
    expect(await sessions.verify(cookie)).toEqual(session);
    expect(sessions.csrfMatches(session, session.csrfToken)).toBe(true);
    expect(sessions.csrfMatches(session, '')).toBe(false);
    expect(sessions.csrfMatches(session, undefined)).toBe(false);
  });

  it('refuses a cookie whose expiry or nonce was changed, or that another admin token signed', async () => {
    const sessions = new AdminSessions('admin-token', store.sessions);
    const { cookie } = await sessions.issue();
    const [expiry, nonce, mac] = cookie.split('.');
    expect(await sessions.verify(`${Number(expiry) + 1}.${nonce}.${mac}`)).toBeUndefined();
    expect(await sessions.verify(`${expiry}.other.${mac}`)).toBeUndefined();
    expect(await sessions.verify('garbage')).toBeUndefined();
    expect(await sessions.verify(undefined)).toBeUndefined();
    expect(await new AdminSessions('rotated-admin-token', store.sessions).verify(cookie)).toBeUndefined();
  });

  it('ends a session after eight hours, or when it is signed out', async () => {
    let now = Date.now();
    const sessions = new AdminSessions('admin-token', store.sessions, () => now);
    const { session, cookie } = await sessions.issue();
    now += SESSION_TTL_MS - 1;
    expect(await sessions.verify(cookie)).toBeDefined();
    now += 1;
    expect(await sessions.verify(cookie)).toBeUndefined();
    expect(await sessions.isLive(session)).toBe(false);

    const second = await sessions.issue();
    await sessions.revoke(second.session);
    expect(await sessions.verify(second.cookie)).toBeUndefined();
    expect(await sessions.isLive(second.session)).toBe(false);
  });

  it('keeps a sign-out for every instance sharing the store, as after a restart', async () => {
    const before = new AdminSessions('admin-token', store.sessions);
    const { session, cookie } = await before.issue();
    const afterRestart = new AdminSessions('admin-token', store.sessions);
    expect(await afterRestart.verify(cookie)).toEqual(session);
    await before.revoke(session);
    expect(await afterRestart.verify(cookie)).toBeUndefined();
  });

  it('gives each session its own CSRF token', async () => {
    const sessions = new AdminSessions('admin-token', store.sessions);
    const first = (await sessions.issue()).session;
    const second = (await sessions.issue()).session;
    expect(first.csrfToken).not.toBe(second.csrfToken);
    expect(sessions.csrfMatches(first, second.csrfToken)).toBe(false);
  });
});
