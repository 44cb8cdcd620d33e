/**
 * The judge's JSON API (judge session + CSRF header): the current state for the tablet
 * (stage, rubric, own sheets, project list with scored / not scored / recused), score
 * submission (exactly once per submission id; 201 new, 200 replay), and head-judge unlocks.
 */
import { Router } from 'express';
import type { Db } from '../../../db/database.js';
import * as scores from '../../data/score.repo.js';
import * as stages from '../../data/stage.repo.js';
import { AppError } from '../../errors.js';
import { requireJudge } from '../middleware/judge.js';
import { limit } from '../middleware/rate-limit.js';
import type { RouterDeps } from '../routes.js';

export interface JudgeState {
  revision: number;
  judge: { id: number; name: string; title: string; institution: string; isHeadJudge: boolean };
  contest: { slug: string; name: { zh: string; en: string } };
  stage: Awaited<ReturnType<RouterDeps['services']['stage']['view']>>;
  round: {
    id: number;
    key: string;
    name: { zh: string; en: string };
    criteria: {
      key: string;
      name: { zh: string; en: string };
      description: string;
      min: number;
      max: number;
      step: number;
      weight: number;
      levels: { min: number; max: number; label: { zh: string; en: string } }[];
    }[];
  } | null;
  projects: {
    id: number;
    ref: string;
    title: string;
    institution: string;
    track: { zh: string; en: string };
    status: 'scored' | 'not-scored' | 'recused';
    version: number | null;
    marks: Record<string, number> | null;
    comment: string;
    interest: string[];
  }[];
}

async function judgeState(
  db: Db,
  services: RouterDeps['services'],
  who: { judgeId: number; contestId: number; slug: string },
): Promise<JudgeState> {
  const loaded = await services.contests.load(who.slug);
  const stage = await services.stage.view(who.slug);
  const judge = await db.selectFrom('judge').selectAll().where('id', '=', who.judgeId).executeTakeFirstOrThrow();
  const roundId = stage.roundId ?? [...loaded.ids.rounds.values()].at(-1) ?? null;
  const roundDoc = roundId ? loaded.doc.rounds.find((r) => loaded.ids.rounds.get(r.key) === roundId) : undefined;
  const lineup = roundId ? await stages.roundLineup(db, who.contestId, roundId) : [];
  const recused = new Set<number>();
  for (const c of loaded.doc.conflicts) {
    if (loaded.ids.judges.get(c.judgeKey) === who.judgeId) recused.add(loaded.ids.projects.get(c.projectRef)!);
  }
  const mine = roundId ? await scores.currentSheets(db, roundId, { judgeId: who.judgeId }) : [];
  const sheetOf = new Map(mine.map((s) => [s.project_id, s]));
  const projectById = new Map(loaded.doc.projects.map((p) => [loaded.ids.projects.get(p.ref)!, p]));
  const trackName = new Map(loaded.doc.tracks.map((t) => [t.key, t.name]));
  return {
    revision: loaded.revision,
    judge: {
      id: judge.id,
      name: judge.name,
      title: judge.title,
      institution: judge.institution,
      isHeadJudge: judge.is_head_judge === 1,
    },
    contest: { slug: loaded.doc.slug, name: loaded.doc.name },
    stage,
    round:
      roundDoc && roundId ? { id: roundId, key: roundDoc.key, name: roundDoc.name, criteria: roundDoc.criteria } : null,
    projects: lineup.flatMap((id) => {
      const p = projectById.get(id);
      if (!p) return [];
      const sheet = sheetOf.get(id);
      const marks = sheet ? (JSON.parse(sheet.marks) as Record<string, number>) : null;
      return [
        {
          id,
          ref: p.ref,
          title: p.title,
          institution: p.institution,
          track: trackName.get(p.trackKey) ?? { zh: '', en: '' },
          status: recused.has(id) ? 'recused' : sheet ? 'scored' : 'not-scored',
          version: sheet?.version ?? null,
          marks: marks ? Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, v / 100])) : null,
          comment: sheet?.comment ?? '',
          interest: sheet ? (JSON.parse(sheet.interest) as string[]) : [],
        },
      ];
    }),
  };
}

export function judgeApiRouter({ services }: RouterDeps): Router {
  const router = Router();
  const guard = requireJudge(services.judgeLinks);
  const scoreLimit = limit({ windowMs: 60_000, limit: 120, key: 'judge-scores' });

  router.get('/api/v1/judge/state', guard, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(await judgeState(services.db, services, req.session.judge!));
  });

  router.post('/api/v1/judge/scores', guard, scoreLimit, async (req, res) => {
    const who = req.session.judge!;
    const receipt = await services.scores.record({ judgeId: who.judgeId, contestId: who.contestId }, req.body);
    res.status(receipt.replay ? 200 : 201).json(receipt);
  });

  router.post('/api/v1/judge/unlocks', guard, async (req, res) => {
    const who = req.session.judge!;
    const result = await services.scores.unlock(who.contestId, { kind: 'judge', id: who.judgeId }, req.body);
    res.status(201).json(result);
  });

  router.post('/judge/logout', (req, res, next) => {
    if (!req.session.judge) throw new AppError('not-judge');
    req.session.destroy((err) => (err ? next(err) : res.redirect(303, '/')));
  });

  return router;
}
