/**
 * Rows and files of public registration: the contest's reference counter, the registration
 * columns of a project (source, hashed status token, submission time), duplicate candidates,
 * and pitch decks (a `project_deck` row plus a PDF under DATA_DIR/uploads with a random name).
 * Deck files are written with exclusive-create and owner-only permissions and are never served.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { ProjectDeckTable } from '../../db/schema/registration.js';
import type { RegistrationSummary } from '../domain/registration/index.js';

export type DeckRow = Selectable<ProjectDeckTable>;

/** Every project of a contest as the duplicate rule sees it (withdrawn entries are left out). */
export async function listDuplicateCandidates(
  db: Db,
  contestId: number,
): Promise<(RegistrationSummary & { ref: string })[]> {
  const rows = await db
    .selectFrom('project')
    .select(['ref', 'title', 'institution', 'leader_phone', 'leader_email'])
    .where('contest_id', '=', contestId)
    .where('status', '!=', 'withdrawn')
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    ref: r.ref,
    title: r.title,
    institution: r.institution,
    leader: { phone: r.leader_phone, email: r.leader_email },
  }));
}

export async function listRefs(db: Db, contestId: number): Promise<string[]> {
  const rows = await db.selectFrom('project').select('ref').where('contest_id', '=', contestId).execute();
  return rows.map((r) => r.ref);
}

export async function nextPosition(db: Db, contestId: number): Promise<number> {
  const row = await db
    .selectFrom('project')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('contest_id', '=', contestId)
    .executeTakeFirst();
  return (row?.max ?? -1) + 1;
}

/** Records the sequence just issued (call inside the transaction that inserts the project). */
export async function setRegistrationSeq(db: Db, contestId: number, seq: number): Promise<void> {
  await db.updateTable('contest').set({ registration_seq: seq }).where('id', '=', contestId).execute();
}

export async function markRegistered(
  db: Db,
  projectId: number,
  tokenHash: string,
  submittedAt: string,
): Promise<void> {
  await db
    .updateTable('project')
    .set({ source: 'registration', status_token_hash: tokenHash, submitted_at: submittedAt })
    .where('id', '=', projectId)
    .execute();
}

/** The project behind a status link (by token hash), with its contest's registration columns. */
export function findByTokenHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('project')
    .innerJoin('contest', 'contest.id', 'project.contest_id')
    .select([
      'project.id',
      'project.ref',
      'project.status',
      'project.review_note',
      'project.submitted_at',
      'project.updated_at',
      'contest.id as contest_id',
      'contest.slug',
    ])
    .where('project.status_token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function findDeck(db: Db, projectId: number): Promise<DeckRow | undefined> {
  return db.selectFrom('project_deck').selectAll().where('project_id', '=', projectId).executeTakeFirst();
}

export async function upsertDeck(db: Db, row: DeckRow): Promise<void> {
  const { project_id: _id, ...rest } = row;
  await db
    .insertInto('project_deck')
    .values(row)
    .onConflict((oc) => oc.column('project_id').doUpdateSet(rest))
    .execute();
}

// ---- deck files

export interface StoredDeck {
  storedName: string;
  sizeBytes: number;
  sha256: string;
}

/** Writes a deck under `dir` with a random name (never the uploader's); returns its name and digest. */
export async function writeDeckFile(dir: string, bytes: Uint8Array): Promise<StoredDeck> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const storedName = `${crypto.randomBytes(16).toString('hex')}.pdf`;
  await fs.writeFile(path.join(dir, storedName), bytes, { flag: 'wx', mode: 0o600 });
  return {
    storedName,
    sizeBytes: bytes.byteLength,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Removes a deck file; a file already gone is fine. */
export async function removeDeckFile(dir: string, storedName: string): Promise<void> {
  await fs.rm(path.join(dir, path.basename(storedName)), { force: true });
}
