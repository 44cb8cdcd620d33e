/** Session rows for the express-session store (data: serialized JSON; expires_at: epoch ms). */
import type { Db } from '../../db/database.js';
import { prepareQuery } from '../../db/prepared-query.js';

const liveSession = prepareQuery((db: Db, $: { sid: string; now: number }) =>
  db.selectFrom('session').select(['data', 'expires_at']).where('sid', '=', $.sid).where('expires_at', '>', $.now),
);

export async function getSession(db: Db, sid: string, now: number): Promise<{ data: string; expiresAt: number } | null> {
  const row = await liveSession.first(db, { sid, now });
  return row ? { data: row.data, expiresAt: Number(row.expires_at) } : null;
}

export async function putSession(db: Db, sid: string, data: string, expiresAt: number): Promise<void> {
  await db
    .insertInto('session')
    .values({ sid, data, expires_at: expiresAt })
    .onConflict((oc) => oc.column('sid').doUpdateSet({ data, expires_at: expiresAt }))
    .execute();
}

/**
 * Moves a session's expiry to `expiresAt` unless it is already within `slackMs` of it; true when
 * it moved. A statement that matches no row changes no page, so SQLite commits it without a write
 * or an fsync: a judge posting scores every few seconds (rolling sessions touch on every request)
 * costs one write per `slackMs`, not one fsync per request in front of the push that follows.
 */
export async function touchSession(db: Db, sid: string, expiresAt: number, slackMs = 0): Promise<boolean> {
  const result = await db
    .updateTable('session')
    .set({ expires_at: expiresAt })
    .where('sid', '=', sid)
    .where('expires_at', '<', expiresAt - slackMs)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteSession(db: Db, sid: string): Promise<void> {
  await db.deleteFrom('session').where('sid', '=', sid).execute();
}

export async function deleteExpiredSessions(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('session').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function countSessions(db: Db): Promise<number> {
  const row = await db.selectFrom('session').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
