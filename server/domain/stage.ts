/**
 * The stage state machine the host drives: call a project, run the pitch and Q&A timers (pause,
 * resume, extend), open and close scoring. Times are epoch milliseconds passed in by the caller.
 *
 *   idle ─call→ presenting ─pitch→ pitch ─qa→ qa ─open→ scoring ─close→ closed ─call→ presenting …
 *   (scoring may also open from presenting / pitch / qa; a project cannot be called while scoring is open)
 *
 * Pure: no I/O, no clock.
 */

export type StagePhase = 'idle' | 'presenting' | 'pitch' | 'qa' | 'scoring' | 'closed';

export interface Timer {
  kind: 'pitch' | 'qa';
  durationMs: number;
  /** When the timer (last) started running; null while paused. */
  startedAt: number | null;
  /** Remaining time frozen at pause; null while running. */
  pausedRemainingMs: number | null;
}

export interface Stage {
  phase: StagePhase;
  roundId: number | null;
  projectId: number | null;
  timer: Timer | null;
}

export type StageAction =
  | { kind: 'call'; roundId: number; projectId: number }
  | { kind: 'start-pitch'; seconds: number }
  | { kind: 'start-qa'; seconds: number }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'extend'; seconds: number }
  | { kind: 'open-scoring' }
  | { kind: 'close-scoring' }
  | { kind: 'reset' };

export const IDLE: Stage = { phase: 'idle', roundId: null, projectId: null, timer: null };

export class StageError extends Error {
  constructor(readonly code: 'stage-conflict') {
    super(code);
  }
}

/**
 * Time left on a timer at `now` (never negative).
 * @example remainingMs({ kind: 'pitch', durationMs: 300000, startedAt: 0, pausedRemainingMs: null }, 60000) === 240000
 */
export function remainingMs(timer: Timer, now: number): number {
  if (timer.pausedRemainingMs !== null) return Math.max(0, timer.pausedRemainingMs);
  return Math.max(0, timer.durationMs - (now - (timer.startedAt ?? now)));
}

const running = (kind: Timer['kind'], seconds: number, now: number): Timer => ({
  kind,
  durationMs: seconds * 1000,
  startedAt: now,
  pausedRemainingMs: null,
});

/**
 * The next stage after an action, or a StageError when the action does not fit the phase.
 * @example transition(IDLE, { kind: 'call', roundId: 2, projectId: 7 }, 0).phase === 'presenting'
 */
export function transition(stage: Stage, action: StageAction, now: number): Stage {
  const conflict = () => {
    throw new StageError('stage-conflict');
  };
  const onProject = stage.projectId !== null;
  switch (action.kind) {
    case 'call':
      if (stage.phase === 'scoring') conflict();
      return { phase: 'presenting', roundId: action.roundId, projectId: action.projectId, timer: null };
    case 'start-pitch':
      if (!onProject || stage.phase === 'scoring' || stage.phase === 'closed') conflict();
      return { ...stage, phase: 'pitch', timer: running('pitch', action.seconds, now) };
    case 'start-qa':
      if (!onProject || stage.phase === 'scoring' || stage.phase === 'closed') conflict();
      return { ...stage, phase: 'qa', timer: running('qa', action.seconds, now) };
    case 'pause':
      if (!stage.timer || stage.timer.pausedRemainingMs !== null) conflict();
      return {
        ...stage,
        timer: { ...stage.timer!, startedAt: null, pausedRemainingMs: remainingMs(stage.timer!, now) },
      };
    case 'resume': {
      const t = stage.timer;
      if (!t || t.pausedRemainingMs === null) conflict();
      return {
        ...stage,
        timer: { kind: t!.kind, durationMs: t!.pausedRemainingMs!, startedAt: now, pausedRemainingMs: null },
      };
    }
    case 'extend': {
      const t = stage.timer;
      if (!t) conflict();
      const extra = action.seconds * 1000;
      return {
        ...stage,
        timer:
          t!.pausedRemainingMs !== null
            ? { ...t!, pausedRemainingMs: t!.pausedRemainingMs + extra }
            : { ...t!, durationMs: t!.durationMs + extra },
      };
    }
    case 'open-scoring':
      if (!onProject || stage.phase === 'scoring' || stage.phase === 'closed') conflict();
      return { ...stage, phase: 'scoring' };
    case 'close-scoring':
      if (stage.phase !== 'scoring') conflict();
      return { ...stage, phase: 'closed', timer: null };
    case 'reset':
      if (stage.phase === 'scoring') conflict();
      return IDLE;
  }
}
