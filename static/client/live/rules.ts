/**
 * Which host actions the stage allows right now: the browser runs the very same pure state
 * machine as the server (server/domain/stage.ts), so a button is enabled exactly when the server
 * would accept the action (the server still decides; a race ends in a translated 409).
 */
import { transition, type Stage, type StageAction } from '../../../server/domain/stage.js';
import type { StageView } from '../../../server/realtime/contract.js';

export function stageOf(view: StageView): Stage {
  const t = view.timer;
  return {
    phase: view.phase,
    roundId: view.roundId,
    projectId: view.projectId,
    timer: t
      ? {
          kind: t.kind,
          durationMs: t.durationMs,
          startedAt: t.running ? t.remainingMs - t.durationMs : null,
          pausedRemainingMs: t.running ? null : t.remainingMs,
        }
      : null,
  };
}

export function allows(view: StageView, step: StageAction): boolean {
  try {
    transition(stageOf(view), step, 0);
    return true;
  } catch {
    return false;
  }
}
