import { describe, expect, it } from 'vitest';
import { AdminSessions, SESSION_TTL_MS } from './admin-session.js';

describe('AdminSessions', () => {
  it('verifies the cookie it issued, with the same CSRF token', () => {
    const sessions = new AdminSessions('admin-token');
    const { session, cookie } = sessions.issue();
    expect(sessions.verify(cookie)).toEqual(session);
    expect(sessions.csrfMatches(session, session.csrfToken)).toBe(true);
    expect(sessions.csrfMatches(session, '')).toBe(false);
    expect(sessions.csrfMatches(session, undefined)).toBe(false);
  });

  it('refuses a cookie whose expiry or nonce was changed, or that another admin token signed', () => {
    const sessions = new AdminSessions('admin-token');
    const { cookie } = sessions.issue();
    const [expiry, nonce, mac] = cookie.split('.');
    expect(sessions.verify(`${Number(expiry) + 1}.${nonce}.${mac}`)).toBeUndefined();
    expect(sessions.verify(`${expiry}.other.${mac}`)).toBeUndefined();
    expect(sessions.verify('garbage')).toBeUndefined();
    expect(sessions.verify(undefined)).toBeUndefined();
    expect(new AdminSessions('rotated-admin-token').verify(cookie)).toBeUndefined();
  });

  it('ends a session after eight hours, or when it is signed out', () => {
    let now = 1_000_000;
    const sessions = new AdminSessions('admin-token', () => now);
    const { session, cookie } = sessions.issue();
    now += SESSION_TTL_MS - 1;
    expect(sessions.verify(cookie)).toBeDefined();
    now += 1;
    expect(sessions.verify(cookie)).toBeUndefined();
    expect(sessions.isLive(session)).toBe(false);

    const second = sessions.issue();
    sessions.revoke(second.session);
    expect(sessions.verify(second.cookie)).toBeUndefined();
    expect(sessions.isLive(second.session)).toBe(false);
  });

  it('gives each session its own CSRF token', () => {
    const sessions = new AdminSessions('admin-token');
    const first = sessions.issue().session;
    const second = sessions.issue().session;
    expect(first.csrfToken).not.toBe(second.csrfToken);
    expect(sessions.csrfMatches(first, second.csrfToken)).toBe(false);
  });
});
