/**
 * The organizers' live API: stage state and host actions (run-stage permission), the judging
 * progress grid (read), sheet unlocks (edit), judge link issue / revoke (edit), the ledger head.
 */
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { requirePermission } from '../middleware/auth.js';
import type { RouterDeps } from '../routes.js';

const JudgeIds = z.object({ judgeIds: z.array(z.number().int().positive()).min(1).max(500) });

export function stageApiRouter({ services }: RouterDeps): Router {
  const router = Router();
  const contestId = async (slug: string) => (await services.contests.load(slug)).id;

  router.get('/api/v1/contests/:slug/stage', requirePermission('read'), async (req, res) => {
    res.json(await services.stage.view(String(req.params.slug)));
  });

  router.post('/api/v1/contests/:slug/stage', requirePermission('run-stage'), async (req, res) => {
    res.json(await services.stage.act(String(req.params.slug), { kind: 'organizer', id: req.user!.id }, req.body));
  });

  router.get('/api/v1/contests/:slug/progress', requirePermission('read'), async (req, res) => {
    const roundId = req.query.roundId ? Number(req.query.roundId) : undefined;
    const grid = await services.progress.grid(String(req.params.slug), Number.isInteger(roundId) ? roundId : undefined);
    if (!grid) throw new AppError('not-found');
    res.json(grid);
  });

  router.post('/api/v1/contests/:slug/unlocks', requirePermission('edit'), async (req, res) => {
    const id = await contestId(String(req.params.slug));
    res.status(201).json(await services.scores.unlock(id, { kind: 'organizer', id: req.user!.id }, req.body));
  });

  router.post('/api/v1/contests/:slug/judge-links', requirePermission('edit'), async (req, res) => {
    const parsed = JudgeIds.safeParse(req.body);
    if (!parsed.success) throw new AppError('validation-failed');
    const id = await contestId(String(req.params.slug));
    res.status(201).json({ links: await services.judgeLinks.issue(id, parsed.data.judgeIds, req.user!.id) });
  });

  router.delete('/api/v1/contests/:slug/judge-links/:judgeId', requirePermission('edit'), async (req, res) => {
    const id = await contestId(String(req.params.slug));
    await services.judgeLinks.revoke(id, Number(req.params.judgeId), req.user!.id);
    res.status(204).end();
  });

  router.get('/api/v1/contests/:slug/ledger/head', requirePermission('read'), async (req, res) => {
    const id = await contestId(String(req.params.slug));
    res.json({ head: await services.ledger.head(id) });
  });

  return router;
}
