/** organizer_user: organizer accounts (owner / admin / host / viewer) with argon2 password hashes. */
import type { Generated } from 'kysely';

export type OrganizerRole = 'owner' | 'admin' | 'host' | 'viewer';

export interface OrganizerUserTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  role: OrganizerRole;
  password_hash: string;
  must_change_password: Generated<number>;
  locale: Generated<'zh-CN' | 'en'>;
  created_at: string;
  last_login_at: string | null;
  disabled_at: string | null;
}
