/**
 * Time slots for a running order: each project gets pitch + Q&A, consecutive projects are
 * separated by a changeover, and optional breaks follow the Nth project (once or every N).
 *
 * Rules:
 *  - All arithmetic is in whole seconds from midnight of the session's first day; times are shown
 *    as 'HH:MM' rounded down to the minute (exact seconds are returned alongside).
 *  - A break after project k replaces that changeover: the next project starts
 *    max(changeover, total break) after project k ends. No break after the last project.
 *  - Midnight: by default a session must end by 24:00 (an end exactly at midnight reads '24:00');
 *    anything later throws `schedule-crosses-midnight`. With `allowPastMidnight` times carry a
 *    day offset (0 = first day) and wrap to '00:00'.
 *
 * Pure: no I/O, no Date, no framework imports.
 */
import { RegistrationRuleError } from './errors.js';

const DAY = 24 * 60 * 60;

export interface BreakRule {
  /** After this many projects (1-based count). */
  after: number;
  seconds: number;
  /** Repeat after every `after` projects (a tea break every 6 pitches). */
  repeat?: boolean;
}

export interface ScheduleInput {
  /** 'HH:MM' or 'HH:MM:SS' (local time, 00:00–23:59:59) or whole minutes since midnight (0–1439). */
  start: string | number;
  /** Project refs in running order. */
  refs: readonly string[];
  pitchSeconds: number;
  qaSeconds: number;
  changeoverSeconds?: number;
  breaks?: readonly BreakRule[];
  allowPastMidnight?: boolean;
}

export interface TimePoint {
  /** 'HH:MM', rounded down. */
  time: string;
  /** Days after the first day (always 0 unless allowPastMidnight). */
  day: number;
  /** Seconds since midnight of the first day. */
  second: number;
}

export interface Slot {
  /** 1-based position in the running order. */
  position: number;
  ref: string;
  start: TimePoint;
  qaStart: TimePoint;
  end: TimePoint;
}

export interface BreakSlot {
  afterPosition: number;
  start: TimePoint;
  end: TimePoint;
}

export interface Schedule {
  slots: Slot[];
  breaks: BreakSlot[];
  /** End of the last slot (the start time when there are no projects). */
  end: TimePoint;
}

/**
 * Builds the timetable of a running order.
 * Throws `schedule-invalid-start`, `schedule-invalid-duration`, `schedule-invalid-break`, `schedule-crosses-midnight`.
 * @example buildSchedule({ start: '09:00', refs: ['P1', 'P2'], pitchSeconds: 300, qaSeconds: 300, changeoverSeconds: 60 })
 *   // slots 09:00–09:10 and 09:11–09:21; end.time === '09:21'
 */
export function buildSchedule(input: ScheduleInput): Schedule {
  const startSecond = parseStart(input.start);
  const pitch = duration(input.pitchSeconds, 'pitchSeconds');
  const qa = duration(input.qaSeconds, 'qaSeconds');
  const changeover = duration(input.changeoverSeconds ?? 0, 'changeoverSeconds');
  if (pitch + qa === 0) throw new RegistrationRuleError('schedule-invalid-duration', { field: 'pitchSeconds' });
  const rules = input.breaks ?? [];
  rules.forEach((rule, i) => {
    if (!Number.isSafeInteger(rule.after) || rule.after < 1 || !Number.isSafeInteger(rule.seconds) || rule.seconds < 1)
      throw new RegistrationRuleError('schedule-invalid-break', { index: i });
  });
  const allowPastMidnight = input.allowPastMidnight ?? false;
  const point = (second: number, isEnd: boolean): TimePoint => {
    if (!allowPastMidnight && (isEnd ? second > DAY : second >= DAY))
      throw new RegistrationRuleError('schedule-crosses-midnight', { at: formatClock(second) });
    return timePoint(second, isEnd);
  };

  const slots: Slot[] = [];
  const breaks: BreakSlot[] = [];
  let t = startSecond;
  input.refs.forEach((ref, i) => {
    const position = i + 1;
    const start = point(t, false);
    const qaStart = point(t + pitch, qa === 0);
    t += pitch + qa;
    slots.push({ position, ref, start, qaStart, end: point(t, true) });
    if (position === input.refs.length) return;
    const pause = rules.reduce((sum, r) => sum + (isBreakAfter(r, position) ? r.seconds : 0), 0);
    if (pause > 0) breaks.push({ afterPosition: position, start: point(t, false), end: point(t + pause, true) });
    t += Math.max(changeover, pause);
  });
  return { slots, breaks, end: slots.length === 0 ? point(t, false) : point(t, true) };
}

/**
 * Parses a start time to seconds since midnight.
 * @example parseStart('13:30') === 48600; parseStart(90) === 5400
 */
export function parseStart(start: string | number): number {
  if (typeof start === 'number') {
    if (!Number.isInteger(start) || start < 0 || start >= 24 * 60)
      throw new RegistrationRuleError('schedule-invalid-start');
    return start * 60;
  }
  const m = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(start.trim());
  if (!m) throw new RegistrationRuleError('schedule-invalid-start');
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

function isBreakAfter(rule: BreakRule, position: number): boolean {
  return rule.repeat ? position % rule.after === 0 : position === rule.after;
}

function duration(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RegistrationRuleError('schedule-invalid-duration', { field });
  return value;
}

/** An end that falls exactly on midnight reads '24:00' of the day it closes (ISO 8601 end of day). */
function timePoint(second: number, isEnd: boolean): TimePoint {
  if (isEnd && second > 0 && second % DAY === 0) return { time: '24:00', day: second / DAY - 1, second };
  return { time: formatClock(second), day: Math.floor(second / DAY), second };
}

function formatClock(second: number): string {
  const inDay = second % DAY;
  const hh = Math.floor(inDay / 3600);
  const mm = Math.floor((inDay % 3600) / 60);
  return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}
