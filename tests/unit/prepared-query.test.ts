/**
 * Prepared queries: built and compiled once, then each call binds its own arguments (also inside
 * a transaction, for selects, inserts, updates and raw `sql` fragments), constants written into
 * the query stay as they were, and what would make the SQL depend on an argument's value (a
 * missing argument, a list, a placeholder read as a value while building) throws.
 */
import SQLite from 'better-sqlite3';
import { Kysely, NoResultError, SqliteDialect, sql, type Generated } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareQuery } from '../../db/prepared-query.js';

interface Schema {
  t: { id: number; name: string; kind: string; hits: Generated<number> };
}
type Db = Kysely<Schema>;

const open: Db[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.destroy();
});

async function fresh(): Promise<Db> {
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
  open.push(db);
  await sql`create table t (id integer primary key, name text not null, kind text not null, hits integer not null default 0)`.execute(
    db,
  );
  return db;
}

describe('prepareQuery', () => {
  it('builds once and binds each call’s arguments, keeping constants', async () => {
    const db = await fresh();
    let builds = 0;
    const insert = prepareQuery((d: Db, $: { id: number; name: string }) => {
      builds++;
      return d.insertInto('t').values({ id: $.id, name: $.name, kind: 'fixed' }).returning('id');
    });
    for (let i = 1; i <= 4; i++) expect(await insert.first(db, { id: i, name: `n${i}` })).toEqual({ id: i });
    const byName = prepareQuery((d: Db, $: { name: string }) =>
      d.selectFrom('t').select(['id', 'kind']).where('name', '=', $.name).where('kind', '=', 'fixed'),
    );
    expect(await byName.all(db, { name: 'n3' })).toEqual([{ id: 3, kind: 'fixed' }]);
    expect(await byName.first(db, { name: 'n2' })).toEqual({ id: 2, kind: 'fixed' });
    expect(await byName.first(db, { name: 'none' })).toBeUndefined();
    expect(builds).toBe(1);
    expect(insert.sql(db)).toContain('"kind"');
    expect(byName.sql(db)).toBe('select "id", "kind" from "t" where "name" = ? and "kind" = ?');
  });

  it('binds a placeholder used twice, in raw sql, in updates and inside a transaction', async () => {
    const db = await fresh();
    await db
      .insertInto('t')
      .values([
        { id: 1, name: 'a', kind: 'x' },
        { id: 2, name: 'b', kind: 'y' },
      ])
      .execute();
    const bump = prepareQuery((d: Db, $: { id: number; by: number }) =>
      d
        .updateTable('t')
        .set((eb) => ({ hits: eb('hits', '+', $.by) }))
        .where('id', '=', $.id),
    );
    const between = prepareQuery((d: Db, $: { lo: number; hi: number }) =>
      d
        .selectFrom('t')
        .select('id')
        .where(sql<boolean>`hits between ${$.lo} and ${$.hi}`)
        .where('id', '<=', $.hi)
        .orderBy('id'),
    );
    await db.transaction().execute(async (tx) => {
      expect(Number((await bump.run(tx, { id: 1, by: 5 })).numAffectedRows)).toBe(1);
      await bump.run(tx, { id: 2, by: 2 });
    });
    expect(await between.all(db, { lo: 1, hi: 3 })).toEqual([{ id: 2 }]);
    expect(await between.all(db, { lo: 3, hi: 6 })).toEqual([{ id: 1 }]);
    expect(await between.all(db, { lo: 2, hi: 5 })).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await between.all(db, { lo: 0, hi: 1 })).toEqual([]);
    const rolledBack = db.transaction().execute(async (tx) => {
      await bump.run(tx, { id: 1, by: 100 });
      throw new Error('undo');
    });
    await expect(rolledBack).rejects.toThrow('undo');
    expect(await db.selectFrom('t').select(['id', 'hits']).orderBy('id').execute()).toEqual([
      { id: 1, hits: 5 },
      { id: 2, hits: 2 },
    ]);
  });

  it('throws NoResultError from firstOrThrow when nothing matches', async () => {
    const db = await fresh();
    const byId = prepareQuery((d: Db, $: { id: number }) => d.selectFrom('t').selectAll().where('id', '=', $.id));
    await expect(byId.firstOrThrow(db, { id: 9 })).rejects.toBeInstanceOf(NoResultError);
  });

  it('refuses what would make the SQL depend on an argument', async () => {
    const db = await fresh();
    const byName = prepareQuery((d: Db, $: { name: string }) =>
      d.selectFrom('t').select('id').where('name', '=', $.name),
    );
    await expect(byName.all(db, {} as { name: string })).rejects.toThrow('no value for $.name');
    await expect(byName.all(db, { name: ['a', 'b'] as unknown as string })).rejects.toThrow('is a list');
    const branching = prepareQuery((d: Db, $: { name: string }) =>
      d.selectFrom('t').select('id').where('name', '=', `${$.name}%`),
    );
    await expect(branching.all(db, { name: 'a' })).rejects.toThrow('read as a value');
  });
});
