/**
 * Prepared statements reused across queries. Kysely's SQLite driver prepares every query's SQL
 * afresh; parsing and planning a statement costs more than running most of ours (a profile of a
 * judge's score POST and the pushes after it: better-sqlite3's prepare was the largest self-time
 * entry). This wraps the better-sqlite3 database Kysely talks to so that the same SQL text gets
 * the same statement back, least recently used first out beyond `max` (SQL with IN-lists varies).
 *
 * Safe because Kysely runs one query at a time per connection (a streaming query holds the
 * connection until it ends), parameters are bound per call, and SQLite re-prepares a statement by
 * itself when the schema changes under it (migrations).
 */
import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // re-inserted below: most recently used last
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
