/**
 * Live judging progress for organizers: for a round, a judges × projects grid of submitted /
 * pending / recused sheets, each judge's last activity, and pending counts per project.
 * (Connection state is added by the realtime layer, which knows who is connected.)
 */
import type { Db } from '../../db/database.js';
import * as contests from '../data/contest.repo.js';
import * as scores from '../data/score.repo.js';
import * as stages from '../data/stage.repo.js';
import { AppError } from '../errors.js';

export type Cell = 'submitted' | 'pending' | 'recused' | 'not-on-panel';

export interface ProgressGrid {
  slug: string;
  revision: number;
  roundId: number;
  judges: { id: number; key: string; name: string; isHeadJudge: boolean; lastSeenAt: string | null }[];
  projects: { id: number; ref: string; title: string; pending: number; submitted: number }[];
  /** cells[projectIndex][judgeIndex] */
  cells: Cell[][];
  /** Latest version per submitted sheet (for the tooltip): versions[projectIndex][judgeIndex] */
  versions: (number | null)[][];
}

export function createProgressService(db: Db) {
  return {
    async grid(slug: string, roundId?: number): Promise<ProgressGrid | null> {
      const contest = await contests.findContestBySlug(db, slug);
      if (!contest) throw new AppError('contest-not-found', { slug });
      const stage = await stages.getStageRow(db, contest.id);
      const round =
        roundId ??
        stage?.round_id ??
        (
          await db
            .selectFrom('round')
            .select('id')
            .where('contest_id', '=', contest.id)
            .orderBy('position', 'desc')
            .executeTakeFirst()
        )?.id;
      if (!round) return null;
      const judges = await db
        .selectFrom('judge')
        .select(['id', 'key', 'name', 'is_head_judge', 'last_seen_at'])
        .where('contest_id', '=', contest.id)
        .orderBy('position')
        .execute();
      const lineup = await stages.roundLineup(db, contest.id, round);
      const projectRows = lineup.length
        ? await db.selectFrom('project').select(['id', 'ref', 'title']).where('id', 'in', lineup).execute()
        : [];
      const byId = new Map(projectRows.map((p) => [p.id, p]));
      const panel = new Set(await scores.panelJudgeIds(db, contest.id, round));
      const conflicts = await db
        .selectFrom('judge_conflict')
        .innerJoin('judge', 'judge.id', 'judge_conflict.judge_id')
        .select(['judge_conflict.judge_id', 'judge_conflict.project_id'])
        .where('judge.contest_id', '=', contest.id)
        .where('judge_conflict.waived_at', 'is', null)
        .execute();
      const recused = new Set(conflicts.map((c) => `${c.project_id}/${c.judge_id}`));
      const sheets = await scores.currentMarks(db, round);
      const version = new Map(sheets.map((s) => [`${s.project_id}/${s.judge_id}`, s.version]));
      const projects: ProgressGrid['projects'] = [];
      const cells: Cell[][] = [];
      const versions: (number | null)[][] = [];
      for (const id of lineup) {
        const p = byId.get(id);
        if (!p) continue;
        const row = judges.map((j): Cell => {
          if (!panel.has(j.id)) return 'not-on-panel';
          if (recused.has(`${id}/${j.id}`)) return 'recused';
          return version.has(`${id}/${j.id}`) ? 'submitted' : 'pending';
        });
        cells.push(row);
        versions.push(judges.map((j) => version.get(`${id}/${j.id}`) ?? null));
        projects.push({
          id,
          ref: p.ref,
          title: p.title,
          pending: row.filter((c) => c === 'pending').length,
          submitted: row.filter((c) => c === 'submitted').length,
        });
      }
      return {
        slug,
        revision: contest.revision,
        roundId: round,
        judges: judges.map((j) => ({
          id: j.id,
          key: j.key,
          name: j.name,
          isHeadJudge: j.is_head_judge === 1,
          lastSeenAt: j.last_seen_at,
        })),
        projects,
        cells,
        versions,
      };
    },
  };
}

export type ProgressService = ReturnType<typeof createProgressService>;
