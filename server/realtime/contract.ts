/**
 * The typed Socket.IO contract shared by the server and the browser code (types only).
 * Namespaces: /judge (judge session), /admin (organizer session), /screen (public).
 * Server events are past tense `noun:verb`; client commands imperative. Every push carries the
 * contest revision; a client that sees a gap or reconnects without recovery refetches over HTTP.
 */
import type { CeremonyView } from '../services/ceremony.service.js';
import type { LeaderboardSnapshot } from '../services/leaderboard.service.js';
import type { ProgressGrid } from '../services/progress.service.js';
import type { ScreenView } from '../services/screen.service.js';
import type { StageView } from '../services/stage.service.js';

export type { CeremonyView, LeaderboardSnapshot, ProgressGrid, ScreenView, StageView };

/**
 * A pushed audience payload: the full state of its kind (never a delta) plus `previous`, the
 * revision of the last push of the same kind to the room (null after a server start). A client
 * holding an older revision than `previous` missed a push and refetches the snapshot over HTTP.
 */
export type Pushed<T> = T & { previous: number | null };

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
  /** The audience board of the current round (release policy applied); only when it changed. */
  'leaderboard:updated': (board: Pushed<LeaderboardSnapshot>) => void;
  /** The big screen's mode, leaderboard track and score reveal; only when it changed. */
  'screen:updated': (screen: Pushed<ScreenView>) => void;
  /** The ceremony's current step (never the steps still to come); only when it changed. */
  'ceremony:updated': (ceremony: Pushed<CeremonyView>) => void;
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
