/**
 * The database session store: sessions survive in the session table, expired ones are not
 * returned, and rolling touches write only when they move the stored expiry by more than the
 * slack (so a judge's every request does not cost an fsync), never leaving it more than the slack
 * behind the cookie. The store remembers the expiry it last read or wrote, so a touch within the
 * slack issues no query; what it remembers can only be too early, and then the database decides.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type session from 'express-session';
import { migrateToLatest, openSqlite, type OpenedDatabase } from '../../db/database.js';
import { DatabaseSessionStore } from '../../server/http/middleware/session-store.js';

let opened: OpenedDatabase;
let store: DatabaseSessionStore;
/** Statements the store has sent to the database. */
let queries: string[];
/** The database, counting statements into `queries`. */
let counted: OpenedDatabase['db'];

beforeEach(async () => {
  opened = openSqlite(':memory:');
  await migrateToLatest(opened.db);
  queries = [];
  counted = opened.db.withPlugin({
    transformQuery: (args) => {
      queries.push(args.node.kind);
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  store = new DatabaseSessionStore(counted);
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

  it('answers a touch within the slack from memory, without a query', async () => {
    const start = Date.now() + 12 * 60 * MINUTE;
    await call((cb) => store.set('s', withExpiry(start), cb));
    queries = [];
    await call((cb) => store.touch('s', withExpiry(start + 4 * MINUTE), cb));
    expect(queries).toEqual([]);
    await call((cb) => store.touch('s', withExpiry(start + 6 * MINUTE), cb));
    expect(queries).toEqual(['UpdateQueryNode']);
    queries = [];
    await call((cb) => store.touch('s', withExpiry(start + 10 * MINUTE), cb));
    expect(queries).toEqual([]);
    expect(await storedExpiry('s')).toBe(start + 6 * MINUTE);
  });

  it('remembers the expiry a read returned, and lets the database decide when memory is behind it', async () => {
    const start = Date.now() + 12 * 60 * MINUTE;
    await call((cb) => store.set('s', withExpiry(start), cb));
    // Another process (or a restart) moved the row on: this store's memory is now too early.
    await opened.db
      .updateTable('session')
      .set({ expires_at: start + 20 * MINUTE })
      .where('sid', '=', 's')
      .execute();
    queries = [];
    await call((cb) => store.touch('s', withExpiry(start + 8 * MINUTE), cb));
    expect(queries).toEqual(['UpdateQueryNode']);
    expect(await storedExpiry('s')).toBe(start + 20 * MINUTE);

    // A store that has only read the row knows its expiry too.
    const fresh = new DatabaseSessionStore(counted);
    await new Promise((resolve, reject) => fresh.get('s', (err, data) => (err ? reject(err) : resolve(data))));
    queries = [];
    await call((cb) => fresh.touch('s', withExpiry(start + 22 * MINUTE), cb));
    expect(queries).toEqual([]);
  });
});
