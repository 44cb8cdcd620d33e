/**
 * The typed Socket.IO contract shared by the server and the browser code (types only).
 * Namespaces: /judge (judge session), /admin (organizer session), /screen (public).
 * Server events are past tense `noun:verb`; client commands imperative. Every push carries the
 * contest revision; a client that sees a gap or reconnects without recovery refetches over HTTP.
 */
import type { ProgressGrid } from '../services/progress.service.js';
import type { StageView } from '../services/stage.service.js';

export type { ProgressGrid, StageView };

export interface Ack {
  ok: boolean;
  code?: string;
  revision?: number;
}

export interface JudgeServerEvents {
  'stage:updated': (stage: StageView) => void;
  /** The judge's own sheets changed (e.g. an unlock): refetch the sheet list. */
  'sheets:changed': (payload: { revision: number }) => void;
}

export interface AdminServerEvents {
  'stage:updated': (stage: StageView) => void;
  'progress:updated': (grid: ProgressGrid & { connectedJudgeIds: number[] }) => void;
}

export interface ScreenServerEvents {
  'stage:updated': (stage: StageView) => void;
}

export interface ScreenClientEvents {
  'contest:watch': (slug: string, ack: (ack: Ack) => void) => void;
}

export interface AdminClientEvents {
  'contest:watch': (slug: string, ack: (ack: Ack) => void) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JudgeClientEvents {}

export const NAMESPACES = { judge: '/judge', admin: '/admin', screen: '/screen' } as const;
