/** project: an entry (参赛项目) with its team, track, review status and 打星 flag. */
import type { Generated } from 'kysely';
import type { ProjectStatus } from '../../server/domain/contest-document.js';

export interface ProjectTable {
  id: Generated<number>;
  contest_id: number;
  ref: string;
  title: string;
  track_id: number;
  institution: string;
  leader_name: string;
  leader_phone: string;
  leader_email: string;
  /** JSON: [{ name, role }] */
  members: string;
  stage: 'concept' | 'prototype' | 'preclinical' | 'clinical-trial' | 'registration' | 'market';
  summary: string;
  status: ProjectStatus;
  out_of_competition: number;
  /** Added in 0002. */
  source: Generated<'organizer' | 'registration' | 'import'>;
  status_token_hash: Generated<string | null>;
  submitted_at: Generated<string | null>;
  review_note: Generated<string>;
  position: number;
  created_at: string;
  updated_at: string;
}
