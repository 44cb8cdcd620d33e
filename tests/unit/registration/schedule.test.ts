import { describe, expect, it } from 'vitest';
import {
  RegistrationRuleError,
  buildSchedule,
  parseStart,
  type ScheduleInput,
} from '../../../server/domain/registration/index.js';

const refs = (n: number) => Array.from({ length: n }, (_, i) => `P${i + 1}`);
const base = { pitchSeconds: 300, qaSeconds: 300, changeoverSeconds: 60 };
const times = (input: ScheduleInput) =>
  buildSchedule(input).slots.map((s) => `${s.ref} ${s.start.time}-${s.qaStart.time}-${s.end.time}`);

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof RegistrationRuleError ? e.code : 'other';
  }
  return 'none';
}

describe('parseStart', () => {
  it.each([
    ['09:00', 32400],
    ['13:30', 48600],
    ['00:00', 0],
    ['23:59:59', 86399],
    [' 08:05:30 ', 29130],
    [90, 5400],
    [0, 0],
    [1439, 86340],
  ] as const)('%s → %i s', (input, seconds) => {
    expect(parseStart(input)).toBe(seconds);
  });

  it.each(['24:00', '9:00', '09:60', '09:00:60', '0900', '', 'T09:00', -1, 1440, 1.5, Number.NaN])(
    'rejects %s',
    (input) => {
      expect(codeOf(() => parseStart(input))).toBe('schedule-invalid-start');
    },
  );
});

describe('buildSchedule', () => {
  it('lays out pitch, Q&A and changeover', () => {
    expect(times({ ...base, start: '09:00', refs: refs(3) })).toEqual([
      'P1 09:00-09:05-09:10',
      'P2 09:11-09:16-09:21',
      'P3 09:22-09:27-09:32',
    ]);
    const s = buildSchedule({ ...base, start: 540, refs: refs(3) });
    expect(s.end).toEqual({ time: '09:32', day: 0, second: 9 * 3600 + 32 * 60 });
    expect(s.slots.map((x) => x.position)).toEqual([1, 2, 3]);
    expect(s.breaks).toEqual([]);
  });

  it('inserts a one-off break that replaces the changeover', () => {
    const s = buildSchedule({ ...base, start: '09:00', refs: refs(3), breaks: [{ after: 2, seconds: 900 }] });
    expect(s.slots.map((x) => `${x.start.time}-${x.end.time}`)).toEqual(['09:00-09:10', '09:11-09:21', '09:36-09:46']);
    expect(s.breaks.map((b) => [b.afterPosition, b.start.time, b.end.time])).toEqual([[2, '09:21', '09:36']]);
  });

  it('repeats a break every N projects but never after the last one', () => {
    const s = buildSchedule({
      ...base,
      changeoverSeconds: 0,
      start: '09:00',
      refs: refs(6),
      breaks: [{ after: 2, seconds: 600, repeat: true }],
    });
    expect(s.breaks.map((b) => [b.afterPosition, b.start.time, b.end.time])).toEqual([
      [2, '09:20', '09:30'],
      [4, '09:50', '10:00'],
    ]);
    expect(s.end.time).toBe('10:20');
  });

  it('adds up breaks that fall after the same project, and keeps the changeover when it is longer', () => {
    const both = buildSchedule({
      ...base,
      start: '09:00',
      refs: refs(2),
      breaks: [
        { after: 1, seconds: 300 },
        { after: 1, seconds: 300, repeat: true },
      ],
    });
    expect(both.breaks.map((b) => `${b.start.time}-${b.end.time}`)).toEqual(['09:10-09:20']);
    expect(both.slots[1]?.start.time).toBe('09:20');
    const short = buildSchedule({
      ...base,
      changeoverSeconds: 120,
      start: '09:00',
      refs: refs(2),
      breaks: [{ after: 1, seconds: 60 }],
    });
    expect(short.slots[1]?.start.time).toBe('09:12');
  });

  it('ignores breaks after the last project or beyond', () => {
    const s = buildSchedule({
      ...base,
      start: '09:00',
      refs: refs(2),
      breaks: [
        { after: 2, seconds: 600 },
        { after: 5, seconds: 600 },
      ],
    });
    expect(s.breaks).toEqual([]);
    expect(s.end.time).toBe('09:21');
  });

  it('rounds displayed times down to the minute and keeps exact seconds', () => {
    const s = buildSchedule({
      start: '09:00',
      refs: refs(2),
      pitchSeconds: 330,
      qaSeconds: 150,
      changeoverSeconds: 45,
    });
    expect(s.slots.map((x) => `${x.start.time}-${x.qaStart.time}-${x.end.time}`)).toEqual([
      '09:00-09:05-09:08',
      '09:08-09:14-09:16',
    ]);
    expect(s.slots[1]?.start.second).toBe(32400 + 480 + 45);
    expect(s.end.second).toBe(32400 + 2 * 480 + 45);
  });

  it('returns the start as the end of an empty running order', () => {
    expect(buildSchedule({ ...base, start: '14:00', refs: [] })).toEqual({
      slots: [],
      breaks: [],
      end: { time: '14:00', day: 0, second: 50400 },
    });
  });

  it('allows a session to end exactly at midnight, shown as 24:00', () => {
    const s = buildSchedule({ ...base, start: '23:39', refs: refs(2) });
    expect(s.end).toEqual({ time: '24:00', day: 0, second: 86400 });
  });

  it('refuses a session that runs past midnight unless day offsets are allowed', () => {
    expect(codeOf(() => buildSchedule({ ...base, start: '23:40', refs: refs(2) }))).toBe('schedule-crosses-midnight');
    // Ends at 23:59 but the next slot would start at 24:00.
    expect(codeOf(() => buildSchedule({ ...base, changeoverSeconds: 60, start: '23:49', refs: refs(2) }))).toBe(
      'schedule-crosses-midnight',
    );
    const s = buildSchedule({ ...base, start: '23:40', refs: refs(3), allowPastMidnight: true });
    expect(s.slots.map((x) => `${x.start.time}+${x.start.day} ${x.end.time}+${x.end.day}`)).toEqual([
      '23:40+0 23:50+0',
      '23:51+0 00:01+1',
      '00:02+1 00:12+1',
    ]);
    expect(s.end).toEqual({ time: '00:12', day: 1, second: 86400 + 12 * 60 });
  });

  it.each([
    ['negative pitch', { pitchSeconds: -1 }, 'schedule-invalid-duration'],
    ['fractional Q&A', { qaSeconds: 1.5 }, 'schedule-invalid-duration'],
    ['NaN changeover', { changeoverSeconds: Number.NaN }, 'schedule-invalid-duration'],
    ['zero-length slot', { pitchSeconds: 0, qaSeconds: 0 }, 'schedule-invalid-duration'],
    ['break after 0', { breaks: [{ after: 0, seconds: 600 }] }, 'schedule-invalid-break'],
    ['break of 0 s', { breaks: [{ after: 1, seconds: 0 }] }, 'schedule-invalid-break'],
    ['bad start', { start: '25:00' }, 'schedule-invalid-start'],
  ] as const)('rejects %s', (_name, patch, code) => {
    expect(codeOf(() => buildSchedule({ ...base, start: '09:00', refs: refs(2), ...patch }))).toBe(code);
  });
});
