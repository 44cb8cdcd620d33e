/** An express-session store kept in the database's session table (survives restarts). */
import session from 'express-session';
import type { Db } from '../../../db/database.js';
import * as repo from '../../data/session.repo.js';

const DEFAULT_TTL_MS = 12 * 60 * 60 * 1000;
/** A touch writes only when it would move the stored expiry by more than this (of a 12 h life). */
const TOUCH_SLACK_MS = 5 * 60 * 1000;

export class DatabaseSessionStore extends session.Store {
  constructor(private readonly db: Db) {
    super();
  }

  private expiry(sess: session.SessionData): number {
    const expires = sess.cookie?.expires;
    return expires ? new Date(expires).getTime() : Date.now() + DEFAULT_TTL_MS;
  }

  override get(sid: string, cb: (err: unknown, session?: session.SessionData | null) => void): void {
    repo
      .getSession(this.db, sid, Date.now())
      .then((data) => cb(null, data ? (JSON.parse(data) as session.SessionData) : null), cb);
  }

  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    repo.putSession(this.db, sid, JSON.stringify(sess), this.expiry(sess)).then(() => cb?.(), cb);
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    repo.deleteSession(this.db, sid).then(() => cb?.(), cb);
  }

  override touch(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    repo.touchSession(this.db, sid, this.expiry(sess), TOUCH_SLACK_MS).then(() => cb?.(), cb);
  }
}
