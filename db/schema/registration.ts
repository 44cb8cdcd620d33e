/** Tables added in 0002 for registration and review: pitch decks, review decisions, CSV import batches. */
import type { Generated } from 'kysely';

export interface ProjectDeckTable {
  project_id: number;
  original_name: string;
  /** File name under DATA_DIR/uploads; never served publicly. */
  stored_name: string;
  size_bytes: number;
  sha256: string;
  uploaded_at: string;
}

export interface ReviewDecisionTable {
  id: Generated<number>;
  project_id: number;
  decision: 'approve' | 'reject' | 'return' | 'reopen';
  reason: string;
  actor_user_id: number | null;
  created_at: string;
}

export interface ImportBatchTable {
  id: Generated<number>;
  contest_id: number;
  kind: 'projects';
  file_name: string;
  encoding: string;
  /** The decoded CSV text, kept until the organizer confirms the preview. */
  content: string;
  row_count: number;
  error_count: number;
  created_by: number | null;
  created_at: string;
  confirmed_at: string | null;
}
