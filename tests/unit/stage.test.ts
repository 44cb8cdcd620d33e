/** The stage state machine: legal sequences, refused actions, and timer arithmetic. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IDLE, remainingMs, StageError, transition, type Stage, type StageAction } from '../../server/domain/stage.js';

const call: StageAction = { kind: 'call', roundId: 1, projectId: 7 };

describe('stage transitions', () => {
  it('runs a whole pitch: call → pitch → qa → scoring → closed → next call', () => {
    let s: Stage = IDLE;
    s = transition(s, call, 0);
    expect(s).toMatchObject({ phase: 'presenting', projectId: 7, timer: null });
    s = transition(s, { kind: 'start-pitch', seconds: 300 }, 1000);
    expect(s.timer).toEqual({ kind: 'pitch', durationMs: 300_000, startedAt: 1000, pausedRemainingMs: null });
    s = transition(s, { kind: 'start-qa', seconds: 300 }, 301_000);
    expect(s.phase).toBe('qa');
    s = transition(s, { kind: 'open-scoring' }, 400_000);
    expect(s.phase).toBe('scoring');
    expect(s.timer?.kind).toBe('qa');
    s = transition(s, { kind: 'close-scoring' }, 500_000);
    expect(s).toMatchObject({ phase: 'closed', projectId: 7, timer: null });
    s = transition(s, { kind: 'call', roundId: 1, projectId: 8 }, 510_000);
    expect(s).toMatchObject({ phase: 'presenting', projectId: 8 });
  });

  it.each<[string, Stage, StageAction]>([
    ['calling while scoring is open', { ...IDLE, phase: 'scoring', roundId: 1, projectId: 7 }, call],
    ['a pitch with no project', IDLE, { kind: 'start-pitch', seconds: 300 }],
    ['opening scoring twice', { ...IDLE, phase: 'scoring', roundId: 1, projectId: 7 }, { kind: 'open-scoring' }],
    ['reopening a closed sheet set', { ...IDLE, phase: 'closed', roundId: 1, projectId: 7 }, { kind: 'open-scoring' }],
    ['closing when not open', { ...IDLE, phase: 'qa', roundId: 1, projectId: 7 }, { kind: 'close-scoring' }],
    ['pausing without a timer', { ...IDLE, phase: 'presenting', roundId: 1, projectId: 7 }, { kind: 'pause' }],
    ['resetting mid-scoring', { ...IDLE, phase: 'scoring', roundId: 1, projectId: 7 }, { kind: 'reset' }],
  ])('refuses %s', (_name, stage, action) => {
    expect(() => transition(stage, action, 0)).toThrow(StageError);
  });
});

describe('timers', () => {
  it('pause freezes, resume continues from the frozen value, extend adds time', () => {
    let s = transition(transition(IDLE, call, 0), { kind: 'start-pitch', seconds: 300 }, 0);
    expect(remainingMs(s.timer!, 100_000)).toBe(200_000);
    s = transition(s, { kind: 'pause' }, 100_000);
    expect(remainingMs(s.timer!, 999_000)).toBe(200_000);
    s = transition(s, { kind: 'extend', seconds: 60 }, 150_000);
    expect(remainingMs(s.timer!, 150_000)).toBe(260_000);
    s = transition(s, { kind: 'resume' }, 200_000);
    expect(remainingMs(s.timer!, 210_000)).toBe(250_000);
    expect(remainingMs(s.timer!, 10_000_000)).toBe(0);
  });

  it('any pause/resume sequence loses no time: remaining = duration − time spent running', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 12 }), (gaps) => {
        let s = transition(transition(IDLE, call, 0), { kind: 'start-pitch', seconds: 300 }, 0);
        let now = 0;
        let ran = 0;
        gaps.forEach((gap, i) => {
          now += gap;
          if (i % 2 === 0) {
            ran += gap;
            s = transition(s, { kind: 'pause' }, now);
          } else s = transition(s, { kind: 'resume' }, now);
        });
        return remainingMs(s.timer!, now) === Math.max(0, 300_000 - ran);
      }),
    );
  });
});
