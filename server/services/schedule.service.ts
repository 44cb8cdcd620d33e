/**
 * The roadshow schedule of a round: slot settings, the verifiable running-order draw (抽签),
 * manual reorders with reasons, the time slots, and the public schedule with the draw record.
 *
 * - The draw runs over the contest's approved projects, one group per track when the round draws
 *   by track (group key = track key, effective seed = seed + ":" + track key) or one group '*' over
 *   the whole round (effective seed = the seed itself). Each group's seed, algorithm id, canonical
 *   input and result go into schedule_draw; the running order is replaced; a ledger entry records
 *   it. Drawing again is allowed only with a reason (kept in the ledger and shown publicly).
 * - Before every draw the missing automatic conflicts of interest are recorded (conflict.service).
 * - The order the schedule shows is stage.repo's roundLineup, the one the stage console uses.
 * - Every write is one transaction with a ledger entry and a revision bump; `contest.changed`
 *   follows the commit.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as contests from '../data/contest.repo.js';
import * as repo from '../data/schedule.repo.js';
import { roundLineup } from '../data/stage.repo.js';
import {
  DRAW_ALGORITHM_ID,
  RegistrationRuleError,
  buildSchedule,
  canonicalDrawSeed,
  drawGroupedOrder,
  drawOrder,
  type Sha256,
  type Slot,
  type TimePoint,
} from '../domain/registration/index.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod, type FieldError } from '../field-errors.js';
import { isoNow, type Clock } from './clock.js';
import { createConflictService } from './conflict.service.js';
import { createContestService, type LoadedContest } from './contest.service.js';
import type { EventBus } from './events.js';
import type { LedgerActor, LedgerService } from './ledger.service.js';

/** SHA-256 from node:crypto for the pure draw. */
export const nodeSha256: Sha256 = (bytes) => new Uint8Array(crypto.createHash('sha256').update(bytes).digest());

/** The group key of a draw over the whole round. */
export const WHOLE_ROUND = '*';

const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)$/;

/** Whether `s` is a real local date and time written 'YYYY-MM-DDTHH:MM'. */
export function isLocalDateTime(s: string): boolean {
  const m = LOCAL_DATETIME.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export const ScheduleSettings = z.object({
  scheduleStart: z
    .string()
    .trim()
    .refine((s) => s === '' || isLocalDateTime(s), { error: 'invalid-datetime' })
    .transform((s) => (s === '' ? null : s)),
  changeoverSeconds: z.number().int().min(0).max(3600),
  drawByTrack: z.boolean().default(false),
});

export const DrawRequest = z.object({
  seed: z.string().max(300),
  reason: z.string().trim().max(500).default(''),
});

export const ReorderRequest = z.object({
  projectRef: z.string().trim().min(1).max(40),
  toPosition: z.number().int().min(1),
  reason: z.string().trim().min(1).max(500),
});

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
  return parsed.data;
}

const invalid = (...fields: FieldError[]) => new AppError('validation-failed', {}, fields);

/** Domain rule errors become AppErrors with the same code (statuses in server/errors.ts). */
function asAppError(err: unknown): unknown {
  return err instanceof RegistrationRuleError ? new AppError(err.code, err.params) : err;
}

/** Ascending by Unicode code point (= UTF-8 byte order): the canonical input order of a draw. */
export function canonicalRefs(refs: readonly string[]): string[] {
  const points = (s: string) => Array.from(s, (ch) => ch.codePointAt(0) as number);
  return [...refs].sort((a, b) => {
    const [x, y] = [points(a), points(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++)
      if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
    return x.length - y.length;
  });
}

/** The seed a group was drawn with: seed + ":" + group key, or the seed itself for the whole round. */
export function effectiveSeed(seed: string, groupKey: string): string {
  return groupKey === WHOLE_ROUND ? seed : `${seed}:${groupKey}`;
}

export interface DrawRecord extends repo.DrawRow {
  effectiveSeed: string;
  /** Set on a redraw. */
  reason: string;
}

export interface DrawBatch {
  at: string;
  actorName: string | null;
  redraw: boolean;
  reason: string;
  seed: string;
  draws: DrawRecord[];
  current: boolean;
}

export interface ScheduleEntry {
  project: repo.ScheduleProject;
  groupKey: string;
  /** Position inside the group (1-based). */
  position: number;
  /** Position in the whole round (1-based). */
  overall: number;
  slot: Slot | null;
}

export interface ScheduleGroup {
  key: string;
  track: { key: string; name: { zh: string; en: string } } | null;
  entries: ScheduleEntry[];
}

export interface ScheduleChange extends repo.OrderChangeRow {
  project: repo.ScheduleProject | undefined;
  /** Made after the current draw (so it explains a difference between the draw and the order). */
  afterCurrentDraw: boolean;
}

export interface RoundSchedule {
  round: repo.ScheduleRound;
  /** A draw has written the running order. */
  drawn: boolean;
  groups: ScheduleGroup[];
  /** The draw records behind the current order (one per group). */
  currentDraws: DrawRecord[];
  history: DrawBatch[];
  changes: ScheduleChange[];
  /** Approved projects missing from a drawn order (approved after the draw). */
  unscheduled: repo.ScheduleProject[];
  /** Projects in the order that are no longer approved. */
  notApproved: repo.ScheduleProject[];
  /** The draw grouping setting differs from the grouping of the stored order. */
  groupingChanged: boolean;
  /** Why slots could not be computed (no start time, or a schedule rule). */
  slotProblem: { code: string; params: Record<string, string | number> } | null;
  /** Date part of the start ('YYYY-MM-DD') and the end of the last slot. */
  date: string | null;
  end: TimePoint | null;
  approvedCount: number;
}

export function createScheduleService(db: Db, clock: Clock, ledger: LedgerService, events: EventBus) {
  const contestService = createContestService(db, clock);
  const conflicts = createConflictService(db, clock, ledger, events);

  async function roadshowRound(loaded: LoadedContest, roundKey: string): Promise<repo.ScheduleRound> {
    const round = (await repo.listScheduleRounds(db, loaded.id)).find((r) => r.key === roundKey);
    if (!round) throw new AppError('not-found');
    if (round.kind !== 'roadshow') throw new AppError('round-not-roadshow', { round: round.name.zh });
    return round;
  }

  async function roundSchedule(loaded: LoadedContest, round: repo.ScheduleRound): Promise<RoundSchedule> {
    const [projects, order, draws, changes, reasons, lineup] = await Promise.all([
      repo.listScheduleProjects(db, loaded.id),
      repo.listRunningOrder(db, round.id),
      repo.listDraws(db, round.id),
      repo.listOrderChanges(db, round.id),
      repo.redrawReasons(db, loaded.id),
      roundLineup(db, loaded.id, round.id),
    ]);
    const byId = new Map(projects.map((p) => [p.id, p]));
    const drawn = order.length > 0;
    const orderById = new Map(order.map((o) => [o.projectId, o]));

    // Slots over the whole lineup, in the stage console's order.
    const lineupProjects = lineup.map((id) => byId.get(id)).filter((p): p is repo.ScheduleProject => !!p);
    let slots: Slot[] = [];
    let end: TimePoint | null = null;
    let slotProblem: RoundSchedule['slotProblem'] = null;
    if (round.scheduleStart) {
      try {
        const built = buildSchedule({
          start: round.scheduleStart.slice(11),
          refs: lineupProjects.map((p) => p.ref),
          pitchSeconds: round.pitchSeconds,
          qaSeconds: round.qaSeconds,
          changeoverSeconds: round.changeoverSeconds,
        });
        slots = built.slots;
        end = built.end;
      } catch (err) {
        if (!(err instanceof RegistrationRuleError)) throw err;
        slotProblem = { code: err.code, params: err.params };
      }
    } else {
      slotProblem = { code: 'schedule-no-start', params: {} };
    }

    const groups: ScheduleGroup[] = [];
    const inGroup = new Map<string, number>();
    lineupProjects.forEach((project, i) => {
      const stored = orderById.get(project.id);
      const key = stored?.groupKey ?? (round.drawByTrack ? project.trackKey : WHOLE_ROUND);
      let group = groups.find((g) => g.key === key);
      if (!group) {
        const track = key === WHOLE_ROUND ? null : projects.find((p) => p.trackKey === key);
        group = { key, track: track ? { key, name: track.trackName } : null, entries: [] };
        groups.push(group);
      }
      const position = stored?.position ?? (inGroup.get(key) ?? 0) + 1;
      inGroup.set(key, position);
      group.entries.push({ project, groupKey: key, position, overall: i + 1, slot: slots[i] ?? null });
    });

    const records: DrawRecord[] = draws.map((d) => ({
      ...d,
      effectiveSeed: effectiveSeed(d.seed, d.groupKey),
      reason: reasons.get(d.id) ?? '',
    }));
    const groupKeys = new Set(order.map((o) => o.groupKey));
    const currentDraws = drawn
      ? [...groupKeys]
          .map((key) => records.filter((r) => r.groupKey === key).at(-1))
          .filter((r): r is DrawRecord => !!r)
          .sort((a, b) => groups.findIndex((g) => g.key === a.groupKey) - groups.findIndex((g) => g.key === b.groupKey))
      : [];
    const currentIds = new Set(currentDraws.map((d) => d.id));
    const history: DrawBatch[] = [];
    for (const r of records) {
      const last = history.at(-1);
      if (last && last.at === r.createdAt && last.seed === r.seed) last.draws.push(r);
      else
        history.push({
          at: r.createdAt,
          actorName: r.actorName,
          redraw: history.length > 0,
          reason: r.reason,
          seed: r.seed,
          draws: [r],
          current: false,
        });
    }
    for (const batch of history) batch.current = batch.draws.some((d) => currentIds.has(d.id));
    const drawnAt = currentDraws.reduce((max, d) => (d.createdAt > max ? d.createdAt : max), '');

    const approved = projects.filter((p) => p.status === 'approved');
    return {
      round,
      drawn,
      groups,
      currentDraws,
      history,
      changes: changes.map((c) => ({
        ...c,
        project: byId.get(c.projectId),
        afterCurrentDraw: drawn && c.createdAt >= drawnAt,
      })),
      unscheduled: drawn ? approved.filter((p) => !orderById.has(p.id)) : [],
      notApproved: lineupProjects.filter((p) => p.status !== 'approved'),
      groupingChanged: drawn && [...groupKeys].some((k) => (k === WHOLE_ROUND) === round.drawByTrack),
      slotProblem,
      date: round.scheduleStart?.slice(0, 10) ?? null,
      end,
      approvedCount: approved.length,
    };
  }

  function changed(loaded: LoadedContest, revision: number, reason: string) {
    events.emit('contest.changed', { contestId: loaded.id, slug: loaded.doc.slug, revision, reason });
  }

  const actorId = (actor: LedgerActor) => (actor.kind === 'organizer' ? actor.id : null);

  return {
    /** The roadshow rounds of a contest with whether each has a drawn order. */
    async rounds(slug: string) {
      const loaded = await contestService.load(slug);
      const rounds = (await repo.listScheduleRounds(db, loaded.id)).filter((r) => r.kind === 'roadshow');
      const withState = await Promise.all(
        rounds.map(async (round) => ({
          round,
          drawn: (await repo.listRunningOrder(db, round.id)).length > 0,
        })),
      );
      return { loaded, rounds: withState };
    },

    /** Everything the organizer's schedule page and the run-of-show show for one round. */
    async view(slug: string, roundKey: string) {
      const loaded = await contestService.load(slug);
      const round = await roadshowRound(loaded, roundKey);
      return { loaded, schedule: await roundSchedule(loaded, round), proposedSeed: proposeSeed(loaded, round) };
    },

    /** The public schedule: every roadshow round of a contest that is not a draft. */
    async publicView(slug: string) {
      const row = await contests.findContestBySlug(db, slug);
      if (!row || row.status === 'draft') throw new AppError('contest-not-found', { slug });
      const loaded = await contestService.load(slug);
      const rounds = (await repo.listScheduleRounds(db, loaded.id)).filter((r) => r.kind === 'roadshow');
      return { loaded, rounds: await Promise.all(rounds.map((r) => roundSchedule(loaded, r))) };
    },

    async saveSettings(slug: string, roundKey: string, actor: LedgerActor, input: unknown): Promise<void> {
      const settings = parse(ScheduleSettings, input);
      const loaded = await contestService.load(slug);
      const round = await roadshowRound(loaded, roundKey);
      const now = isoNow(clock);
      const revision = await db.transaction().execute(async (tx) => {
        await repo.updateScheduleSettings(tx, round.id, settings);
        await ledger.append(tx, loaded.id, actor, 'schedule.settings', {
          round: round.key,
          before: {
            scheduleStart: round.scheduleStart,
            changeoverSeconds: round.changeoverSeconds,
            drawByTrack: round.drawByTrack,
          },
          after: settings,
        });
        return contests.bumpRevision(tx, loaded.id, now);
      });
      changed(loaded, revision, 'schedule.settings');
    },

    /**
     * Draws the running order from a public seed. A redraw needs a reason. Records the missing
     * automatic conflicts first.
     */
    async draw(
      slug: string,
      roundKey: string,
      actor: LedgerActor,
      input: unknown,
    ): Promise<{ drawIds: number[]; redraw: boolean; seed: string }> {
      const request = parse(DrawRequest, input);
      const seed = canonicalDrawSeed(request.seed);
      if (seed === '') throw invalid({ path: 'seed', code: 'required' });
      const loaded = await contestService.load(slug);
      const round = await roadshowRound(loaded, roundKey);
      const before = await repo.listDraws(db, round.id);
      if (before.length && request.reason === '') throw invalid({ path: 'reason', code: 'redraw-reason-required' });
      await conflicts.detectLoaded(loaded, actor);

      const now = isoNow(clock);
      let revision = 0;
      const out = await db.transaction().execute(async (tx) => {
        const previous = await repo.listDraws(tx, round.id);
        const redraw = previous.length > 0;
        if (redraw && request.reason === '') throw invalid({ path: 'reason', code: 'redraw-reason-required' });
        const approved = (await repo.listScheduleProjects(tx, loaded.id)).filter((p) => p.status === 'approved');
        if (!approved.length) throw new AppError('nothing-to-draw');
        // A Map keeps track order (object keys that look like integers would move to the front).
        const groups = new Map<string, string[]>();
        for (const p of approved) {
          const key = round.drawByTrack ? p.trackKey : WHOLE_ROUND;
          groups.set(key, [...(groups.get(key) ?? []), p.ref]);
        }
        let results: Record<string, string[]>;
        try {
          results = round.drawByTrack
            ? drawGroupedOrder(seed, Object.fromEntries(groups), nodeSha256)
            : { [WHOLE_ROUND]: drawOrder(seed, groups.get(WHOLE_ROUND) ?? [], nodeSha256) };
        } catch (err) {
          throw asAppError(err);
        }
        const idByRef = new Map(approved.map((p) => [p.ref, p.id]));
        const order: repo.OrderRow[] = [];
        const recorded: { drawId: number; groupKey: string; seed: string; input: string[]; result: string[] }[] = [];
        for (const [groupKey, refs] of groups) {
          const result = results[groupKey] ?? [];
          const inputRefs = canonicalRefs(refs);
          const drawId = await repo.insertDraw(
            tx,
            {
              roundId: round.id,
              groupKey,
              seed,
              algorithm: DRAW_ALGORITHM_ID,
              inputRefs,
              resultRefs: result,
              actorUserId: actorId(actor),
            },
            now,
          );
          recorded.push({ drawId, groupKey, seed: effectiveSeed(seed, groupKey), input: inputRefs, result });
          result.forEach((ref, i) => order.push({ projectId: idByRef.get(ref) as number, groupKey, position: i + 1 }));
        }
        await repo.replaceRunningOrder(tx, round.id, order);
        await ledger.append(tx, loaded.id, actor, redraw ? 'schedule.redrawn' : 'schedule.drawn', {
          round: round.key,
          seed,
          algorithm: DRAW_ALGORITHM_ID,
          groups: recorded,
          ...(redraw ? { reason: request.reason } : {}),
        });
        revision = await contests.bumpRevision(tx, loaded.id, now);
        return { drawIds: recorded.map((r) => r.drawId), redraw, seed };
      });
      changed(loaded, revision, out.redraw ? 'schedule.redrawn' : 'schedule.drawn');
      return out;
    },

    /** Moves one project to another position inside its group, with a reason. */
    async reorder(slug: string, roundKey: string, actor: LedgerActor, input: unknown): Promise<void> {
      const request = parse(ReorderRequest, input);
      const loaded = await contestService.load(slug);
      const round = await roadshowRound(loaded, roundKey);
      const projectId = loaded.ids.projects.get(request.projectRef);
      if (projectId === undefined) throw invalid({ path: 'projectRef', code: 'unknown-reference' });
      const now = isoNow(clock);
      const revision = await db.transaction().execute(async (tx) => {
        const order = await repo.listRunningOrder(tx, round.id);
        if (!order.length) throw new AppError('schedule-not-drawn');
        const row = order.find((o) => o.projectId === projectId);
        if (!row) throw invalid({ path: 'projectRef', code: 'not-in-running-order' });
        const group = order.filter((o) => o.groupKey === row.groupKey).sort((a, b) => a.position - b.position);
        if (request.toPosition > group.length)
          throw invalid({ path: 'toPosition', code: 'too-big', params: { max: group.length } });
        if (request.toPosition === row.position) throw invalid({ path: 'toPosition', code: 'same-position' });
        const ids = group.map((o) => o.projectId).filter((id) => id !== projectId);
        ids.splice(request.toPosition - 1, 0, projectId);
        await repo.replaceGroupOrder(tx, round.id, row.groupKey, ids);
        const changeId = await repo.insertOrderChange(
          tx,
          {
            roundId: round.id,
            projectId,
            fromPosition: row.position,
            toPosition: request.toPosition,
            reason: request.reason,
            actorUserId: actorId(actor),
          },
          now,
        );
        await ledger.append(tx, loaded.id, actor, 'schedule.reordered', {
          round: round.key,
          changeId,
          projectRef: request.projectRef,
          groupKey: row.groupKey,
          from: row.position,
          to: request.toPosition,
          reason: request.reason,
        });
        return contests.bumpRevision(tx, loaded.id, now);
      });
      changed(loaded, revision, 'schedule.reordered');
    },
  };

  /** A seed to start from: contest, round and the local date and time; the organizer edits it. */
  function proposeSeed(loaded: LoadedContest, round: repo.ScheduleRound): string {
    const now = clock.now();
    const pad = (n: number) => String(n).padStart(2, '0');
    const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
    return `${loaded.doc.name.zh} ${round.name.zh} 出场顺序抽签 ${stamp}`;
  }
}

export type ScheduleService = ReturnType<typeof createScheduleService>;
