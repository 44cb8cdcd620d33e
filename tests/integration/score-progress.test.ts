/**
 * The stage view's scoring progress comes from one statement (score.repo progressCounts). Random
 * panels (explicit or the whole contest), recusals (active or waived), judges with several
 * versions and judges off the panel who scored anyway: the counts always equal the plain
 * computation from the panel, the recusals and the current sheets; and the narrow read of the
 * current sheets (currentMarks) is the full one, column for column.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as scores from '../../server/data/score.repo.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { seedLiveContest, type LiveFixture } from '../support/fixtures.js';
import { activeRecusals, insertRawConflict, insertRawVersion } from '../support/sheet-reference.js';

let t: TestApp;
let f: LiveFixture;

beforeAll(async () => {
  t = await buildTestApp();
  f = await seedLiveContest(t.services, { judges: 6, projects: 2 });
});
afterAll(async () => {
  t.services.stage.stop();
  await t.destroy();
});

/** The computation the single statement replaces. */
async function reference(projectId: number) {
  const db = t.services.db;
  const panel = await scores.panelJudgeIds(db, f.contestId, f.roundId);
  const recused = await activeRecusals(db, projectId);
  const eligible = panel.filter((id) => !recused.has(id));
  const sheets = new Set((await scores.currentSheets(db, f.roundId, { projectId })).map((s) => s.judge_id));
  return { eligible: eligible.length, submitted: eligible.filter((id) => sheets.has(id)).length };
}

/** Which shapes of result the random cases produced (eligible > 0, some submitted, not all). */
const seen = new Set<string>();
const judgeFlags = fc.record({
  onPanel: fc.boolean(),
  conflict: fc.constantFrom('none', 'active', 'waived'),
  versions: fc.nat({ max: 3 }),
  otherProjectVersions: fc.nat({ max: 1 }),
});

describe('scoring progress counts', () => {
  it('equal the panel minus recusals, and those of them holding a sheet', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(judgeFlags, { minLength: 6, maxLength: 6 }), async (explicit, flags) => {
        const db = t.services.db;
        const [projectId, otherProjectId] = f.projectIds as [number, number];
        await db.deleteFrom('round_panel').execute();
        await db.deleteFrom('judge_conflict').execute();
        await db.deleteFrom('score_version').execute();
        const now = new Date().toISOString();
        for (const [i, flag] of flags.entries()) {
          const judgeId = f.judgeIds[i]!;
          if (explicit && flag.onPanel)
            await db.insertInto('round_panel').values({ round_id: f.roundId, judge_id: judgeId }).execute();
          if (flag.conflict !== 'none')
            await insertRawConflict(db, { judgeId, projectId, waived: flag.conflict === 'waived', at: now });
          const versions = [
            ...Array.from({ length: flag.versions }, (_, v) => ({ project: projectId, version: v + 1 })),
            ...Array.from({ length: flag.otherProjectVersions }, (_, v) => ({
              project: otherProjectId,
              version: v + 1,
            })),
          ];
          for (const { project, version } of versions)
            await insertRawVersion(db, {
              contestId: f.contestId,
              roundId: f.roundId,
              projectId: project,
              judgeId,
              version,
            });
        }
        // The narrow read of the current sheets (results, progress) is the full one, column for column.
        const sheets = await scores.currentSheets(db, f.roundId);
        expect(await scores.currentMarks(db, f.roundId)).toEqual(
          sheets.map(({ project_id, judge_id, version, marks }) => ({ project_id, judge_id, version, marks })),
        );
        const counts = await scores.progressCounts(db, f.contestId, f.roundId, projectId);
        expect(counts).toEqual(await reference(projectId));
        // The generator does reach the interesting cases (checked over the whole run below).
        seen.add(`${counts.eligible > 0}:${counts.submitted > 0}:${counts.submitted < counts.eligible}`);
      }),
      { numRuns: 80 },
    );
    expect(seen.size).toBeGreaterThanOrEqual(3);
  });
});
