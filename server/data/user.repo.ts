/** Organizer users and their API tokens. */
import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { OrganizerRole } from '../../db/schema/index.js';
import type { OrganizerUserTable } from '../../db/schema/organizer-user.js';

export type UserRow = Selectable<OrganizerUserTable>;

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('organizer_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countActiveOwners(db: Db): Promise<number> {
  const row = await db
    .selectFrom('organizer_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'owner')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('organizer_user').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('organizer_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listUsers(db: Db): Promise<UserRow[]> {
  return db.selectFrom('organizer_user').selectAll().orderBy('id').execute();
}

export async function insertUser(
  db: Db,
  user: { email: string; displayName: string; role: OrganizerRole; passwordHash: string; mustChange: boolean; now: string },
): Promise<number> {
  const row = await db
    .insertInto('organizer_user')
    .values({
      email: user.email.trim().toLowerCase(),
      display_name: user.displayName,
      role: user.role,
      password_hash: user.passwordHash,
      must_change_password: user.mustChange ? 1 : 0,
      created_at: user.now,
      last_login_at: null,
      disabled_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUser(
  db: Db,
  id: number,
  patch: Partial<
    Pick<UserRow, 'display_name' | 'role' | 'password_hash' | 'must_change_password' | 'locale' | 'last_login_at' | 'disabled_at'>
  >,
): Promise<void> {
  await db.updateTable('organizer_user').set(patch).where('id', '=', id).execute();
}

export async function insertApiToken(db: Db, userId: number, tokenHash: string, label: string, now: string): Promise<number> {
  const row = await db
    .insertInto('api_token')
    .values({ user_id: userId, token_hash: tokenHash, label, created_at: now, last_used_at: null, revoked_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findActiveToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('api_token')
    .innerJoin('organizer_user', 'organizer_user.id', 'api_token.user_id')
    .select(['api_token.id as tokenId', 'organizer_user.id as userId'])
    .where('api_token.token_hash', '=', tokenHash)
    .where('api_token.revoked_at', 'is', null)
    .where('organizer_user.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function markTokenUsed(db: Db, tokenId: number, now: string): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: now }).where('id', '=', tokenId).execute();
}

export function listTokens(db: Db, userId?: number) {
  let q = db
    .selectFrom('api_token')
    .innerJoin('organizer_user', 'organizer_user.id', 'api_token.user_id')
    .select(['api_token.id', 'api_token.label', 'api_token.created_at', 'api_token.last_used_at', 'api_token.revoked_at', 'organizer_user.email'])
    .orderBy('api_token.id');
  if (userId !== undefined) q = q.where('api_token.user_id', '=', userId);
  return q.execute();
}

export async function revokeToken(db: Db, tokenId: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('api_token')
    .set({ revoked_at: now })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
