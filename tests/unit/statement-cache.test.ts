/**
 * The prepared-statement cache under Kysely: the same SQL is prepared once and reused with new
 * parameters, the least recently used statement goes first when full, and a statement prepared
 * before a schema change still works after it.
 */
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../../db/statement-cache.js';

const open: SQLite.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

function counted(max?: number) {
  const sqlite = new SQLite(':memory:');
  open.push(sqlite);
  const prepared: string[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((text: string) => {
    prepared.push(text);
    return prepare(text);
  }) as typeof sqlite.prepare;
  const cached = withStatementCache(sqlite, max);
  const db = new Kysely<{ t: { id: number; name: string } }>({ dialect: new SqliteDialect({ database: cached }) });
  return { sqlite, db, cached, prepared };
}

describe('statement cache', () => {
  it('prepares a query once and binds new parameters each time', async () => {
    const { db, prepared } = counted();
    await sql`create table t (id integer primary key, name text not null)`.execute(db);
    for (let i = 1; i <= 5; i++)
      await db
        .insertInto('t')
        .values({ id: i, name: `n${i}` })
        .execute();
    const names = [];
    for (let i = 1; i <= 5; i++)
      names.push((await db.selectFrom('t').select('name').where('id', '=', i).executeTakeFirstOrThrow()).name);
    expect(names).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    expect(prepared.filter((s) => s.startsWith('insert'))).toHaveLength(1);
    expect(prepared.filter((s) => s.startsWith('select'))).toHaveLength(1);
  });

  it('evicts the least recently used statement beyond its size', () => {
    const { cached, prepared } = counted(2);
    const a = cached.prepare('select 1');
    cached.prepare('select 2');
    expect(cached.prepare('select 1')).toBe(a); // 1 is now the most recent
    cached.prepare('select 3'); // evicts 2
    expect(cached.prepare('select 1')).toBe(a);
    cached.prepare('select 2');
    expect(prepared).toEqual(['select 1', 'select 2', 'select 3', 'select 2']);
  });

  it('keeps working when the schema changes under a cached statement', async () => {
    const { db } = counted();
    await sql`create table t (id integer primary key, name text not null)`.execute(db);
    await db.insertInto('t').values({ id: 1, name: 'a' }).execute();
    const read = () => sql<Record<string, unknown>>`select * from t`.execute(db);
    expect((await read()).rows).toEqual([{ id: 1, name: 'a' }]);
    await sql`alter table t add column extra text default 'x'`.execute(db);
    expect((await read()).rows).toEqual([{ id: 1, name: 'a', extra: 'x' }]);
  });

  it('closes the database with Kysely', async () => {
    const { db, sqlite } = counted();
    await sql`select 1`.execute(db); // Kysely opens its connection on the first query
    await db.destroy();
    expect(sqlite.open).toBe(false);
  });
});
