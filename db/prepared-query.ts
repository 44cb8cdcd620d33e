/**
 * Queries built and compiled once, then only bound. Kysely builds an immutable operation tree and
 * compiles it to SQL text on every call; on a judge's score POST and the pushes after it that
 * building and compiling was the largest share of the CPU (more than SQLite itself), repeated for
 * the same dozen statements every time (docs/bench-fanout.md).
 *
 *   const bySlug = prepareQuery((db: Db, $: { slug: string }) =>
 *     db.selectFrom('contest').selectAll().where('slug', '=', $.slug));
 *   await bySlug.first(db, { slug });          // db or a transaction
 *
 * A raw `sql` template works the same way. `$.name` is a placeholder: the query is built once with placeholders where its arguments go,
 * compiled on first use, and each call binds its arguments into the compiled parameter list
 * (better-sqlite3 then reuses the prepared statement: statement-cache.ts). The SQL must therefore
 * not depend on the arguments' values: no branching on them, no IN-lists from them. Enforced where
 * it can be: a missing (undefined) argument, an array, or reading a placeholder as a value (in a
 * condition or a template string) throws. Compiled for the dialect of the first database it runs
 * on; one dialect per process (SQLite today).
 */
import {
  CompiledQuery,
  NoResultError,
  type Compilable,
  type Kysely,
  type QueryNode,
  type QueryResult,
  type RawBuilder,
} from 'kysely';

/** Where an argument goes in the built query. */
class Placeholder {
  constructor(readonly key: string) {}
  [Symbol.toPrimitive](): never {
    throw new Error(`prepared query: placeholder $.${this.key} read as a value while building`);
  }
}

export interface PreparedQuery<DB, A, R> {
  /** Every row. */
  all(db: Kysely<DB>, args: A): Promise<R[]>;
  /** The first row, or undefined. */
  first(db: Kysely<DB>, args: A): Promise<R | undefined>;
  /** The first row; throws Kysely's NoResultError when there is none. */
  firstOrThrow(db: Kysely<DB>, args: A): Promise<R>;
  /** The whole result (affected rows, insert id). */
  run(db: Kysely<DB>, args: A): Promise<QueryResult<R>>;
  /** The SQL text (compiled on first use). */
  sql(db: Kysely<DB>): string;
}

export function prepareQuery<DB, A extends Record<string, unknown>, R>(
  build: (db: Kysely<DB>, $: A) => Compilable<R> | RawBuilder<R>,
): PreparedQuery<DB, A, R> {
  let compiled: { query: CompiledQuery<R>; slots: (string | null)[] } | null = null;

  function compile(db: Kysely<DB>) {
    const placeholders = new Proxy({} as A, {
      get: (_target, key) => (typeof key === 'string' ? new Placeholder(key) : undefined),
    });
    // A query builder compiles by itself; a raw `sql` template needs the database (ignored by the former).
    const query = build(db, placeholders).compile(db);
    const slots = query.parameters.map((p) => (p instanceof Placeholder ? p.key : null));
    return { query, slots };
  }

  function bind(db: Kysely<DB>, args: A): CompiledQuery<R> {
    compiled ??= compile(db);
    const { query, slots } = compiled;
    const parameters = query.parameters.map((fixed, i) => {
      const key = slots[i];
      if (key === null || key === undefined) return fixed;
      const value = args[key];
      if (value === undefined) throw new Error(`prepared query: no value for $.${key}`);
      if (Array.isArray(value)) throw new Error(`prepared query: $.${key} is a list (the SQL would differ)`);
      return value;
    });
    return { ...query, parameters };
  }

  const run = (db: Kysely<DB>, args: A) => db.executeQuery(bind(db, args));
  return {
    run,
    all: async (db, args) => (await run(db, args)).rows,
    first: async (db, args) => (await run(db, args)).rows[0],
    async firstOrThrow(db, args) {
      const query = bind(db, args);
      const rows = (await db.executeQuery(query)).rows;
      if (!rows.length) throw new NoResultError(query.query as QueryNode);
      return rows[0]!;
    },
    sql: (db) => (compiled ??= compile(db)).query.sql,
  };
}

/** The placeholders of `keys`, as one object: an insert's `.values(…)` without naming each column twice. */
export function placeholdersOf<A extends Record<string, unknown>, K extends keyof A & string>(
  $: A,
  keys: readonly K[],
): Pick<A, K> {
  return Object.fromEntries(keys.map((k) => [k, $[k]])) as Pick<A, K>;
}
