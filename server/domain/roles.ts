/**
 * Organizer roles and what each may do. A viewer reads; a host also runs the stage; an admin
 * also edits contests; an owner also manages users and API tokens.
 *
 * Pure: no I/O.
 */
export const ORGANIZER_ROLES = ['owner', 'admin', 'host', 'viewer'] as const;
export type Role = (typeof ORGANIZER_ROLES)[number];

export type Permission = 'read' | 'run-stage' | 'edit' | 'manage-users';

const RANK: Record<Role, number> = { viewer: 0, host: 1, admin: 2, owner: 3 };
const NEEDS: Record<Permission, number> = { read: 0, 'run-stage': 1, edit: 2, 'manage-users': 3 };

/**
 * Whether a role grants a permission.
 * @example can('host', 'run-stage') === true; can('host', 'edit') === false
 */
export function can(role: Role, permission: Permission): boolean {
  return RANK[role] >= NEEDS[permission];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ORGANIZER_ROLES as readonly string[]).includes(value);
}
