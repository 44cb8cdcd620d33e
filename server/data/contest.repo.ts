/** Contest rows: list, find, insert, update, delete, and the revision bump live views rely on. */
import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import { prepareQuery } from '../../db/prepared-query.js';
import type { ContestTable } from '../../db/schema/contest.js';
import { ContestSettings, type ContestBasics } from '../domain/contest-document.js';

export type ContestRow = Selectable<ContestTable>;

export function contestBasicsFromRow(row: ContestRow): ContestBasics {
  return {
    slug: row.slug,
    name: { zh: row.name_zh, en: row.name_en },
    theme: { zh: row.theme_zh, en: row.theme_en },
    organizer: row.organizer,
    venue: row.venue,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    status: row.status,
    settings: ContestSettings.parse(JSON.parse(row.settings)),
    registrationClosesAt: row.registration_closes_at,
    referencePrefix: row.reference_prefix,
  };
}

function toRow(c: ContestBasics) {
  return {
    slug: c.slug,
    name_zh: c.name.zh,
    name_en: c.name.en,
    theme_zh: c.theme.zh,
    theme_en: c.theme.en,
    organizer: c.organizer,
    venue: c.venue,
    starts_on: c.startsOn,
    ends_on: c.endsOn,
    status: c.status,
    settings: JSON.stringify(c.settings),
    registration_closes_at: c.registrationClosesAt === null ? null : new Date(c.registrationClosesAt).toISOString(),
    reference_prefix: c.referencePrefix,
  };
}

export function listContests(db: Db): Promise<ContestRow[]> {
  return db.selectFrom('contest').selectAll().orderBy('starts_on', 'desc').orderBy('id', 'desc').execute();
}

const contestBySlug = prepareQuery((db: Db, $: { slug: string }) =>
  db.selectFrom('contest').selectAll().where('slug', '=', $.slug),
);

export function findContestBySlug(db: Db, slug: string): Promise<ContestRow | undefined> {
  return contestBySlug.first(db, { slug });
}

export async function slugExists(db: Db, slug: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('contest').select('id').where('slug', '=', slug);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return !!(await q.executeTakeFirst());
}

export async function insertContest(db: Db, c: ContestBasics, now: string): Promise<number> {
  const row = await db
    .insertInto('contest')
    .values({ ...toRow(c), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateContest(db: Db, id: number, c: ContestBasics, now: string): Promise<void> {
  await db
    .updateTable('contest')
    .set({ ...toRow(c), updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function deleteContest(db: Db, id: number): Promise<void> {
  await db.deleteFrom('contest').where('id', '=', id).execute();
}

/** Marks a change that live views show; returns the new revision. */
export async function bumpRevision(db: Db, id: number, now: string): Promise<number> {
  return (await bumpRevisionOf(db, id, now)).revision;
}

/** Bumps the revision and answers it with the contest's slug, in one statement. */
const revisionBump = prepareQuery((db: Db, $: { id: number; now: string }) =>
  db
    .updateTable('contest')
    .set((eb) => ({ revision: eb('revision', '+', 1), updated_at: $.now }))
    .where('id', '=', $.id)
    .returning(['revision', 'slug']),
);

export function bumpRevisionOf(db: Db, id: number, now: string): Promise<{ revision: number; slug: string }> {
  return revisionBump.firstOrThrow(db, { id, now });
}
