/**
 * A score write checks a judge's right to a sheet with one statement (score.repo sheetFacts).
 * Random worlds — the round and project in this contest or another, any project status, an
 * explicit panel or the whole contest, active or waived conflicts, no / closed / open windows,
 * used and unused unlocks, several versions, a judge of another contest — always give the same
 * facts as the plain queries, one per fact (tests/support/sheet-reference.ts). The refusal
 * scenarios over HTTP (authz-matrix, conflicts, scoring.service) run on top of this.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_STATUSES } from '../../server/domain/contest-document.js';
import * as scores from '../../server/data/score.repo.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { seedLiveContest, type LiveFixture } from '../support/fixtures.js';
import { insertRawConflict, insertRawVersion, referenceSheetFacts } from '../support/sheet-reference.js';

let t: TestApp;
let a: LiveFixture;
let b: LiveFixture;

beforeAll(async () => {
  t = await buildTestApp();
  a = await seedLiveContest(t.services, { judges: 3, projects: 2, slug: 'facts-a' });
  b = await seedLiveContest(t.services, { judges: 2, projects: 1, slug: 'facts-b' });
});
afterAll(async () => {
  t.services.stage.stop();
  await t.destroy();
});

const world = fc.record({
  judge: fc.constantFrom('mine', 'other-judge', 'other-contest'),
  round: fc.constantFrom('mine', 'other-contest'),
  project: fc.constantFrom('mine', 'other-contest'),
  status: fc.constantFrom(...PROJECT_STATUSES),
  explicitPanel: fc.boolean(),
  onPanel: fc.boolean(),
  conflict: fc.constantFrom('none', 'active', 'waived'),
  window: fc.constantFrom('none', 'closed', 'open'),
  unlocks: fc.array(fc.boolean(), { maxLength: 3 }),
  versions: fc.nat({ max: 3 }),
});

const seen = new Set<string>();

describe('sheet facts (one statement)', () => {
  it('equal the plain queries, one per fact', async () => {
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const db = t.services.db;
        for (const table of [
          'round_panel',
          'judge_conflict',
          'score_version',
          'scoring_window',
          'score_unlock',
        ] as const)
          await db.deleteFrom(table).execute();
        const judgeId = { mine: a.judgeIds[0]!, 'other-judge': a.judgeIds[1]!, 'other-contest': b.judgeIds[0]! }[
          w.judge
        ];
        const roundId = w.round === 'mine' ? a.roundId : b.roundId;
        const projectId = w.project === 'mine' ? a.projectIds[0]! : b.projectIds[0]!;
        await db.updateTable('project').set({ status: w.status }).where('id', '=', projectId).execute();
        const now = new Date().toISOString();
        if (w.explicitPanel) {
          // Another judge always sits on the explicit panel, so it is never empty.
          const panel = [a.judgeIds[2]!, ...(w.onPanel ? [judgeId] : [])];
          for (const id of panel)
            await db.insertInto('round_panel').values({ round_id: roundId, judge_id: id }).execute();
        }
        if (w.conflict !== 'none')
          await insertRawConflict(db, { judgeId, projectId, waived: w.conflict === 'waived', at: now });
        if (w.window !== 'none')
          await db
            .insertInto('scoring_window')
            .values({
              round_id: roundId,
              project_id: projectId,
              opened_at: now,
              closed_at: w.window === 'closed' ? now : null,
              closed_by: w.window === 'closed' ? 'host' : null,
            })
            .execute();
        for (const [i, used] of w.unlocks.entries())
          await db
            .insertInto('score_unlock')
            .values({
              round_id: roundId,
              project_id: projectId,
              judge_id: judgeId,
              actor_kind: 'organizer',
              actor_id: 1,
              reason: `reason ${i}`,
              created_at: now,
              used_at: used ? now : null,
            })
            .execute();
        for (let version = 1; version <= w.versions; version++)
          await insertRawVersion(db, { contestId: a.contestId, roundId, projectId, judgeId, version });

        const sheet = { contestId: a.contestId, roundId, projectId, judgeId };
        const facts = await scores.sheetFacts(db, sheet);
        expect(facts).toEqual(await referenceSheetFacts(db, sheet));
        seen.add(`assigned:${facts.assigned}`);
        seen.add(`recused:${facts.recused}`);
        seen.add(`window:${facts.windowOpen}`);
        seen.add(`unlock:${facts.unlock !== null}`);
        seen.add(`versions:${facts.latestVersion > 0}`);
      }),
      { numRuns: 150 },
    );
    // The generator reaches both answers of every fact (checked over the whole run).
    expect(seen.size).toBe(10);
  });
});
