/** The judge guard: a judge session (from a link exchange) whose link has not been revoked. */
import type { RequestHandler } from 'express';
import { AppError } from '../../errors.js';
import type { JudgeLinkService } from '../../services/judge-link.service.js';

export function requireJudge(links: JudgeLinkService): RequestHandler {
  return async (req, _res, next) => {
    const who = req.session?.judge;
    if (!who || !(await links.stillActive(who.judgeId, who.contestId))) {
      if (who) delete req.session.judge;
      throw new AppError('not-judge');
    }
    next();
  };
}
