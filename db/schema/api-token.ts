/** api_token: organizer API bearer tokens, stored as SHA-256 hashes, revocable. */
import type { Generated } from 'kysely';

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  label: Generated<string>;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
