/**
 * The database session store: sessions survive in the session table, expired ones are not
 * returned, and rolling touches write only when they move the stored expiry by more than the
 * slack (so a judge's every request does not cost an fsync), never leaving it more than the slack
 * behind the cookie.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type session from 'express-session';
import { migrateToLatest, openSqlite, type OpenedDatabase } from '../../db/database.js';
import { DatabaseSessionStore } from '../../server/http/middleware/session-store.js';

let opened: OpenedDatabase;
let store: DatabaseSessionStore;

beforeEach(async () => {
  opened = openSqlite(':memory:');
  await migrateToLatest(opened.db);
  store = new DatabaseSessionStore(opened.db);
});
afterEach(async () => {
  await opened.db.destroy();
});

const MINUTE = 60_000;
const withExpiry = (at: number) => ({ cookie: { expires: new Date(at) } }) as unknown as session.SessionData;
const call = (fn: (cb: (err?: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
const get = (sid: string) =>
  new Promise<session.SessionData | null | undefined>((resolve, reject) =>
    store.get(sid, (err, data) => (err ? reject(err) : resolve(data))),
  );
const storedExpiry = async (sid: string) =>
  (await opened.db.selectFrom('session').select('expires_at').where('sid', '=', sid).executeTakeFirstOrThrow())
    .expires_at;

describe('database session store', () => {
  it('keeps a session until it expires', async () => {
    const now = Date.now();
    await call((cb) => store.set('a', { ...withExpiry(now + 60 * MINUTE), userId: 7 } as session.SessionData, cb));
    expect(await get('a')).toMatchObject({ userId: 7 });
    await call((cb) => store.set('b', withExpiry(now - 1), cb));
    expect(await get('b')).toBeFalsy();
  });

  it('skips a touch within the slack and writes one beyond it', async () => {
    const start = Date.now() + 12 * 60 * MINUTE;
    await call((cb) => store.set('s', withExpiry(start), cb));
    await call((cb) => store.touch('s', withExpiry(start + 1 * MINUTE), cb));
    expect(await storedExpiry('s')).toBe(start);
    await call((cb) => store.touch('s', withExpiry(start + 4 * MINUTE), cb));
    expect(await storedExpiry('s')).toBe(start);
    await call((cb) => store.touch('s', withExpiry(start + 6 * MINUTE), cb));
    expect(await storedExpiry('s')).toBe(start + 6 * MINUTE);
  });

  it('never moves an expiry backwards and ignores unknown sessions', async () => {
    const start = Date.now() + 60 * MINUTE;
    await call((cb) => store.set('s', withExpiry(start), cb));
    await call((cb) => store.touch('s', withExpiry(start - 30 * MINUTE), cb));
    expect(await storedExpiry('s')).toBe(start);
    await call((cb) => store.touch('unknown', withExpiry(start), cb));
    expect(await opened.db.selectFrom('session').select('sid').execute()).toEqual([{ sid: 's' }]);
  });
});
