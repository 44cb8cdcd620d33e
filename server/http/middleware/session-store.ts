/**
 * An express-session store kept in the database's session table (survives restarts).
 * Rolling sessions touch on every request; a touch writes only when it would move the stored
 * expiry by more than a slack, and the store remembers the expiry it last read or wrote per
 * session, so a touch within the slack costs no query at all (not even one that matches nothing)
 * on the way to a judge's answer and the push that follows it.
 */
import session from 'express-session';
import type { Db } from '../../../db/database.js';
import * as repo from '../../data/session.repo.js';

const DEFAULT_TTL_MS = 12 * 60 * 60 * 1000;
/** A touch writes only when it would move the stored expiry by more than this (of a 12 h life). */
const TOUCH_SLACK_MS = 5 * 60 * 1000;
/** How many sessions' stored expiries are remembered (oldest forgotten first). */
const REMEMBERED = 10_000;

export class DatabaseSessionStore extends session.Store {
  /**
   * sid → an expiry the row is known to hold at least. Expiries only move forward, so a stale
   * entry (another process touched the row) is only ever too early: the touch then goes to the
   * database, whose conditional update decides.
   */
  private readonly storedExpiry = new Map<string, number>();

  constructor(private readonly db: Db) {
    super();
  }

  private expiry(sess: session.SessionData): number {
    const expires = sess.cookie?.expires;
    return expires ? new Date(expires).getTime() : Date.now() + DEFAULT_TTL_MS;
  }

  private remember(sid: string, expiresAt: number): void {
    this.storedExpiry.delete(sid);
    this.storedExpiry.set(sid, expiresAt);
    if (this.storedExpiry.size > REMEMBERED) this.storedExpiry.delete(this.storedExpiry.keys().next().value!);
  }

  override get(sid: string, cb: (err: unknown, session?: session.SessionData | null) => void): void {
    repo.getSession(this.db, sid, Date.now()).then((row) => {
      if (!row) return cb(null, null);
      this.remember(sid, row.expiresAt);
      cb(null, JSON.parse(row.data) as session.SessionData);
    }, cb);
  }

  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    const expiresAt = this.expiry(sess);
    repo.putSession(this.db, sid, JSON.stringify(sess), expiresAt).then(() => {
      this.remember(sid, expiresAt);
      cb?.();
    }, cb);
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.storedExpiry.delete(sid);
    repo.deleteSession(this.db, sid).then(() => cb?.(), cb);
  }

  override touch(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    const expiresAt = this.expiry(sess);
    const known = this.storedExpiry.get(sid);
    if (known !== undefined && known >= expiresAt - TOUCH_SLACK_MS) return void cb?.();
    repo.touchSession(this.db, sid, expiresAt, TOUCH_SLACK_MS).then((moved) => {
      if (moved) this.remember(sid, expiresAt);
      cb?.();
    }, cb);
  }
}
