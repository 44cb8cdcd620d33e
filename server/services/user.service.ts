/**
 * Organizer accounts: create (argon2id hashes), verify a login, change and reset passwords,
 * create the first owner on an empty database, and API bearer tokens (stored as SHA-256).
 */
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as users from '../data/user.repo.js';
import { can, ORGANIZER_ROLES, type Permission, type Role } from '../domain/roles.js';
import { AppError } from '../errors.js';
import { isoNow, type Clock } from './clock.js';
import type { EventBus } from './events.js';
import { randomPassword, randomToken, sha256Hex } from './secrets.js';

export interface CurrentUser {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  locale: 'zh-CN' | 'en';
  mustChangePassword: boolean;
}

export const NewUser = z.object({
  email: z.email().max(200),
  displayName: z.string().trim().min(1).max(100),
  role: z.enum(ORGANIZER_ROLES),
});
export type NewUser = z.infer<typeof NewUser>;

export const Password = z.string().min(10, { error: 'password-too-short' }).max(200);

function toCurrent(row: users.UserRow): CurrentUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    locale: row.locale,
    mustChangePassword: row.must_change_password === 1,
  };
}

export function hasPermission(user: CurrentUser | undefined, permission: Permission): boolean {
  return !!user && can(user.role, permission);
}

// A fixed hash so that unknown emails take as long to refuse as wrong passwords.
let dummyHash: Promise<string> | undefined;

export function createUserService(db: Db, clock: Clock, events?: EventBus) {
  return {
    async count(): Promise<number> {
      return users.countUsers(db);
    },

    async list() {
      return (await users.listUsers(db)).map((r) => ({
        ...toCurrent(r),
        disabled: !!r.disabled_at,
        lastLoginAt: r.last_login_at,
      }));
    },

    async byId(id: number): Promise<CurrentUser | undefined> {
      const row = await users.findUserById(db, id);
      return row && !row.disabled_at ? toCurrent(row) : undefined;
    },

    /** Creates a user with a one-time password (or the given one); returns the password to hand over. */
    async create(input: NewUser, password?: string): Promise<{ id: number; password: string }> {
      const data = NewUser.parse(input);
      if (await users.findUserByEmail(db, data.email)) {
        throw new AppError('key-taken', { key: data.email }, [{ path: 'email', code: 'duplicate-key' }]);
      }
      const plain = password ?? randomPassword();
      const id = await users.insertUser(db, {
        email: data.email,
        displayName: data.displayName,
        role: data.role,
        passwordHash: await hash(plain),
        mustChange: password === undefined,
        now: isoNow(clock),
      });
      return { id, password: plain };
    },

    /** On an empty database, creates the first owner and returns its one-time password. */
    async ensureOwner(email = 'owner@roadshow.local'): Promise<{ email: string; password: string } | null> {
      if ((await users.countUsers(db)) > 0) return null;
      const { password } = await this.create({ email, displayName: 'Owner', role: 'owner' });
      return { email, password };
    },

    async verifyLogin(email: string, password: string): Promise<CurrentUser | null> {
      const row = await users.findUserByEmail(db, email);
      if (!row || row.disabled_at) {
        dummyHash ??= hash('not-a-password');
        await verify(await dummyHash, password).catch(() => false);
        return null;
      }
      if (!(await verify(row.password_hash, password))) return null;
      await users.updateUser(db, row.id, { last_login_at: isoNow(clock) });
      return toCurrent(row);
    },

    async changePassword(id: number, password: string): Promise<void> {
      const plain = Password.parse(password);
      await users.updateUser(db, id, { password_hash: await hash(plain), must_change_password: 0 });
    },

    /** Sets a new one-time password; the user must change it at next login. */
    async resetPassword(email: string): Promise<string> {
      const row = await users.findUserByEmail(db, email);
      if (!row) throw new AppError('not-found');
      const plain = randomPassword();
      await users.updateUser(db, row.id, { password_hash: await hash(plain), must_change_password: 1 });
      return plain;
    },

    async setRole(id: number, role: Role): Promise<void> {
      const row = await users.findUserById(db, id);
      if (!row) throw new AppError('not-found');
      if (row.role === 'owner' && role !== 'owner' && (await users.countActiveOwners(db)) <= 1) {
        throw new AppError('last-owner');
      }
      await users.updateUser(db, id, { role });
    },

    async setDisabled(id: number, disabled: boolean): Promise<void> {
      const row = await users.findUserById(db, id);
      if (!row) throw new AppError('not-found');
      if (disabled && row.role === 'owner' && (await users.countActiveOwners(db)) <= 1)
        throw new AppError('last-owner');
      await users.updateUser(db, id, { disabled_at: disabled ? isoNow(clock) : null });
      if (disabled) events?.emit('organizer.disabled', { userId: id });
    },

    async setLocale(id: number, locale: 'zh-CN' | 'en'): Promise<void> {
      await users.updateUser(db, id, { locale });
    },

    /** Creates an API token for an organizer; the plain token is shown once, only its hash is kept. */
    async createToken(email: string, label = ''): Promise<{ id: number; token: string }> {
      const row = await users.findUserByEmail(db, email);
      if (!row || row.disabled_at) throw new AppError('not-found');
      const token = randomToken('rs_');
      const id = await users.insertApiToken(db, row.id, sha256Hex(token), label, isoNow(clock));
      return { id, token };
    },

    async userForToken(token: string): Promise<CurrentUser | null> {
      const found = await users.findActiveToken(db, sha256Hex(token));
      if (!found) return null;
      await users.markTokenUsed(db, found.tokenId, isoNow(clock));
      const row = await users.findUserById(db, found.userId);
      return row ? toCurrent(row) : null;
    },

    listTokens: (userId?: number) => users.listTokens(db, userId),
    revokeToken: (id: number) => users.revokeToken(db, id, isoNow(clock)),
  };
}

export type UserService = ReturnType<typeof createUserService>;
