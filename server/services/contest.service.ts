/**
 * Contest setup use-cases: list and load contests, create / edit / delete a contest and every
 * part of its configuration (tracks, rounds, rubric criteria, prize tiers, judges, projects,
 * conflicts). Every edit is checked against the whole-document rules of contest-document.ts
 * (the same rules an import obeys), then written in one transaction that bumps the revision.
 */
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as contests from '../data/contest.repo.js';
import * as parts from '../data/contest-parts.repo.js';
import {
  Conflict,
  ContestBasics,
  ContestDocument,
  Criterion,
  Judge,
  PrizeTier,
  Project,
  Round,
  Track,
  CONTEST_FORMAT,
} from '../domain/contest-document.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod } from '../field-errors.js';
import { isoNow, type Clock } from './clock.js';

export type PartName = 'tracks' | 'rounds' | 'criteria' | 'prizeTiers' | 'judges' | 'projects' | 'conflicts';

export interface LoadedContest {
  id: number;
  revision: number;
  createdAt: string;
  updatedAt: string;
  doc: ContestDocument;
  /** Database ids by key: tracks, rounds, prizeTiers and judges by key; projects by ref;
   * criteria by `roundKey/criterionKey`; conflicts by `judgeKey/projectRef`. */
  ids: Record<PartName, Map<string, number>>;
}

export const conflictKey = (c: { judgeKey: string; projectRef: string }) => `${c.judgeKey}/${c.projectRef}`;

type Path = (string | number)[];

function validationError(error: z.ZodError, prefix: Path): AppError {
  const inside = error.issues.filter((i) => prefix.every((p, n) => i.path[n] === p));
  const relative = inside.map((i) => ({ ...i, path: i.path.slice(prefix.length) }));
  return new AppError('validation-failed', {}, fieldErrorsFromZod(new z.ZodError(relative)));
}

function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw validationError(parsed.error, []);
  return parsed.data;
}

/** Where a part's list lives in the document and how its items are named. */
interface PartSpec {
  schema: z.ZodType;
  keyOf(item: never): string;
  list(doc: ContestDocument, parent?: string): unknown[] | undefined;
  path(doc: ContestDocument, parent?: string): Path;
}

const roundIndex = (doc: ContestDocument, key?: string) => doc.rounds.findIndex((r) => r.key === key);

const PARTS: Record<PartName, PartSpec> = {
  tracks: { schema: Track, keyOf: (t: Track) => t.key, list: (d) => d.tracks, path: () => ['tracks'] },
  rounds: { schema: Round, keyOf: (r: Round) => r.key, list: (d) => d.rounds, path: () => ['rounds'] },
  criteria: {
    schema: Criterion,
    keyOf: (c: Criterion) => c.key,
    list: (d, parent) => d.rounds[roundIndex(d, parent)]?.criteria,
    path: (d, parent) => ['rounds', roundIndex(d, parent), 'criteria'],
  },
  prizeTiers: {
    schema: PrizeTier,
    keyOf: (p: PrizeTier) => p.key,
    list: (d) => d.prizeTiers,
    path: () => ['prizeTiers'],
  },
  judges: { schema: Judge, keyOf: (j: Judge) => j.key, list: (d) => d.judges, path: () => ['judges'] },
  projects: { schema: Project, keyOf: (p: Project) => p.ref, list: (d) => d.projects, path: () => ['projects'] },
  conflicts: {
    schema: Conflict,
    keyOf: (c: Conflict) => conflictKey(c),
    list: (d) => d.conflicts,
    path: () => ['conflicts'],
  },
};

export type PartOp =
  { kind: 'add'; input: unknown } | { kind: 'update'; key: string; input: unknown } | { kind: 'delete'; key: string };

export function createContestService(db: Db, clock: Clock) {
  async function load(slug: string): Promise<LoadedContest> {
    const row = await contests.findContestBySlug(db, slug);
    if (!row) throw new AppError('contest-not-found', { slug });
    const [tracks, rounds, criteria, prizeTiers, judges, projects, conflicts] = await Promise.all([
      parts.listTracks(db, row.id),
      parts.listRounds(db, row.id),
      parts.listCriteria(db, row.id),
      parts.listPrizeTiers(db, row.id),
      parts.listJudges(db, row.id),
      parts.listProjects(db, row.id),
      parts.listConflicts(db, row.id),
    ]);
    const roundKeyById = new Map(rounds.map((r) => [r.id, r.item.key]));
    for (const c of criteria) rounds.find((r) => r.id === c.roundId)?.item.criteria.push(c.item);
    const byKey = <T>(rows: { id: number; item: T }[], key: (item: T) => string) =>
      new Map(rows.map((r) => [key(r.item), r.id]));
    return {
      id: row.id,
      revision: row.revision,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      doc: {
        format: CONTEST_FORMAT,
        ...contests.contestBasicsFromRow(row),
        tracks: tracks.map((t) => t.item),
        rounds: rounds.map((r) => r.item),
        prizeTiers: prizeTiers.map((p) => p.item),
        judges: judges.map((j) => j.item),
        projects: projects.map((p) => p.item),
        conflicts: conflicts.map((c) => c.item),
      },
      ids: {
        tracks: byKey(tracks, (t) => t.key),
        rounds: byKey(rounds, (r) => r.key),
        criteria: new Map(criteria.map((c) => [`${roundKeyById.get(c.roundId)}/${c.item.key}`, c.id])),
        prizeTiers: byKey(prizeTiers, (p) => p.key),
        judges: byKey(judges, (j) => j.key),
        projects: byKey(projects, (p) => p.ref),
        conflicts: byKey(conflicts, conflictKey),
      },
    };
  }

  /** Applies one add / update / delete to a copy of the document, checks the whole document, and returns both. */
  function plan(loaded: LoadedContest, part: PartName, op: PartOp, parent?: string) {
    const spec = PARTS[part];
    const doc = structuredClone(loaded.doc);
    const list = spec.list(doc, parent);
    if (!list) throw new AppError('not-found');
    const keyOf = spec.keyOf as (item: unknown) => string;
    const index = op.kind === 'add' ? list.length : list.findIndex((item) => keyOf(item) === op.key);
    if (index < 0) throw new AppError('not-found');
    const previous = list[index];
    let item: unknown;
    if (op.kind === 'delete') {
      list.splice(index, 1);
    } else {
      // A round form carries no criteria: keep the stored ones, so tie-breaks may name them.
      const input =
        part === 'rounds' && op.input && typeof op.input === 'object'
          ? { ...op.input, criteria: (previous as Round | undefined)?.criteria ?? [] }
          : op.input;
      item = parseOrThrow(spec.schema, input);
      list[index] = item;
    }
    const checked = ContestDocument.safeParse(doc, { reportInput: true });
    if (!checked.success) {
      const prefix = [...spec.path(doc, parent), index];
      const own = checked.error.issues.some((i) => prefix.every((p, n) => i.path[n] === p));
      if (op.kind !== 'delete' && own) throw validationError(checked.error, prefix);
      const name = keyOf(previous ?? item);
      throw new AppError('in-use', { name });
    }
    return { doc: checked.data, item, previous, index };
  }

  async function write(
    loaded: LoadedContest,
    part: PartName,
    op: PartOp,
    parent: string | undefined,
    planned: ReturnType<typeof plan>,
  ) {
    const now = isoNow(clock);
    const cid = loaded.id;
    const { ids } = loaded;
    const idOf = (map: Map<string, number>, key: string) => {
      const id = map.get(key);
      if (id === undefined) throw new AppError('not-found');
      return id;
    };
    await db.transaction().execute(async (tx) => {
      const item = planned.item as never;
      const key = op.kind === 'add' ? '' : op.key;
      const position = planned.index;
      switch (part) {
        case 'tracks':
          if (op.kind === 'add') await parts.insertTrack(tx, cid, item, position);
          else if (op.kind === 'update') await parts.updateTrack(tx, idOf(ids.tracks, key), item);
          else await parts.deleteTrack(tx, idOf(ids.tracks, key));
          break;
        case 'rounds':
          if (op.kind === 'add') await parts.insertRound(tx, cid, item, position);
          else if (op.kind === 'update') await parts.updateRound(tx, idOf(ids.rounds, key), item);
          else await parts.deleteRound(tx, idOf(ids.rounds, key));
          break;
        case 'criteria': {
          const roundId = idOf(ids.rounds, parent ?? '');
          if (op.kind === 'add') await parts.insertCriterion(tx, roundId, item, position);
          else if (op.kind === 'update') await parts.updateCriterion(tx, idOf(ids.criteria, `${parent}/${key}`), item);
          else await parts.deleteCriterion(tx, idOf(ids.criteria, `${parent}/${key}`));
          break;
        }
        case 'prizeTiers':
          if (op.kind === 'add') await parts.insertPrizeTier(tx, cid, item, position);
          else if (op.kind === 'update') await parts.updatePrizeTier(tx, idOf(ids.prizeTiers, key), item);
          else await parts.deletePrizeTier(tx, idOf(ids.prizeTiers, key));
          break;
        case 'judges':
          if (op.kind === 'add') await parts.insertJudge(tx, cid, item, position);
          else if (op.kind === 'update') await parts.updateJudge(tx, idOf(ids.judges, key), item);
          else await parts.deleteJudge(tx, idOf(ids.judges, key));
          break;
        case 'projects': {
          if (op.kind === 'delete') {
            await parts.deleteProject(tx, idOf(ids.projects, key));
            break;
          }
          const project = planned.item as Project;
          const trackId = idOf(ids.tracks, project.trackKey);
          if (op.kind === 'add') await parts.insertProject(tx, cid, project, trackId, position, now);
          else await parts.updateProject(tx, idOf(ids.projects, key), project, trackId, now);
          break;
        }
        case 'conflicts': {
          if (op.kind === 'delete') {
            await parts.deleteConflict(tx, idOf(ids.conflicts, key), now);
            break;
          }
          const conflict = planned.item as Conflict;
          const judgeId = idOf(ids.judges, conflict.judgeKey);
          const projectId = idOf(ids.projects, conflict.projectRef);
          if (op.kind === 'add') await parts.insertConflict(tx, judgeId, projectId, conflict, now);
          else await parts.updateConflict(tx, idOf(ids.conflicts, key), judgeId, projectId, conflict);
          break;
        }
      }
      await contests.bumpRevision(tx, cid, now);
    });
  }

  return {
    load,

    async list() {
      return (await contests.listContests(db)).map((row) => ({
        id: row.id,
        revision: row.revision,
        updatedAt: row.updated_at,
        ...contests.contestBasicsFromRow(row),
      }));
    },

    /** Creates a contest from the basics form / JSON; a used slug is a 409 naming the field. */
    async createContest(input: unknown): Promise<{ id: number; slug: string }> {
      const basics = parseOrThrow(ContestBasics, input);
      if (await contests.slugExists(db, basics.slug)) {
        throw new AppError('slug-taken', { slug: basics.slug }, [{ path: 'slug', code: 'duplicate-key' }]);
      }
      const id = await contests.insertContest(db, basics, isoNow(clock));
      return { id, slug: basics.slug };
    },

    async updateContest(slug: string, input: unknown): Promise<{ slug: string }> {
      const loaded = await load(slug);
      const basics = parseOrThrow(ContestBasics, input);
      if (await contests.slugExists(db, basics.slug, loaded.id)) {
        throw new AppError('slug-taken', { slug: basics.slug }, [{ path: 'slug', code: 'duplicate-key' }]);
      }
      const now = isoNow(clock);
      await db.transaction().execute(async (tx) => {
        await contests.updateContest(tx, loaded.id, basics, now);
        await contests.bumpRevision(tx, loaded.id, now);
      });
      return { slug: basics.slug };
    },

    async deleteContest(slug: string): Promise<void> {
      const loaded = await load(slug);
      await contests.deleteContest(db, loaded.id);
    },

    /**
     * Adds, updates or deletes one item of a part (`parent` is the round key for criteria).
     * Returns the item's key after the change.
     */
    async editPart(slug: string, part: PartName, op: PartOp, parent?: string): Promise<string | null> {
      const loaded = await load(slug);
      const planned = plan(loaded, part, op, parent);
      await write(loaded, part, op, parent, planned);
      return planned.item ? (PARTS[part].keyOf as (i: unknown) => string)(planned.item) : null;
    },
  };
}

export type ContestService = ReturnType<typeof createContestService>;
