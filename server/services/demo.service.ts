/**
 * The demo contest (server/demo/demo-contest.ts): imported on an empty database at start-up,
 * and re-imported on request (`npm run seed:demo -- --reset`, `npm run roadshow -- seed:demo --reset`).
 * Goes through the same contest-document import as `POST /api/v1/contests`.
 */
import { DEMO_SLUG, demoContest } from '../demo/demo-contest.js';
import { ContestDocument } from '../domain/contest-document.js';
import { AppError } from '../errors.js';
import type { Services } from './index.js';

export { DEMO_SLUG };

type DemoServices = Pick<Services, 'contests' | 'contestDocuments'>;

/** Imports the demo contest when the database holds no contest at all; null otherwise. */
export async function seedDemoIfEmpty(services: DemoServices): Promise<{ id: number; slug: string } | null> {
  if ((await services.contests.list()).length > 0) return null;
  return services.contestDocuments.importContest(ContestDocument.parse(demoContest()));
}

/** Deletes the demo contest (by its slug, if present) with everything in it, and imports it afresh. */
export async function resetDemo(services: DemoServices): Promise<{ id: number; slug: string }> {
  try {
    await services.contests.deleteContest(DEMO_SLUG);
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'contest-not-found')) throw err;
  }
  return services.contestDocuments.importContest(ContestDocument.parse(demoContest()));
}
