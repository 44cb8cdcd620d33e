/**
 * The stage view (pushed to every screen and tablet after each score) is read in two statements:
 * the contest with its stage, round and project facts, and the scoring progress. It carries the
 * contest's revision, the called round's and project's facts, the timer and the progress; an
 * idle contest has none of them, and an unknown slug is refused.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { recordScore, seedLiveContest, type LiveFixture } from '../support/fixtures.js';

let t: TestApp;
let f: LiveFixture;
const organizer = { kind: 'organizer' as const, id: 1 };

beforeEach(async () => {
  t = await buildTestApp();
  f = await seedLiveContest(t.services, { judges: 5, projects: 2 });
});
afterEach(async () => {
  t.services.stage.stop();
  await t.destroy();
});

const revision = async () => (await t.services.contests.load(f.slug)).revision;

describe('stage view', () => {
  it('is idle before anything is called', async () => {
    const view = await t.services.stage.view(f.slug);
    expect(view).toMatchObject({
      contestId: f.contestId,
      slug: f.slug,
      revision: await revision(),
      phase: 'idle',
      roundId: null,
      projectId: null,
      timer: null,
      scoring: null,
      autoCloseAt: null,
      round: null,
      project: null,
    });
  });

  it('carries the called round and project, the timer and the scoring progress', async () => {
    const projectId = f.projectIds[1]!;
    await t.services.stage.act(f.slug, organizer, { kind: 'call', roundId: f.roundId, projectId });
    await t.services.stage.act(f.slug, organizer, { kind: 'start-pitch' });
    const pitching = await t.services.stage.view(f.slug);
    expect(pitching).toMatchObject({
      phase: 'pitch',
      roundId: f.roundId,
      projectId,
      timer: { kind: 'pitch', durationMs: 300_000, running: true },
      scoring: null,
      round: { id: f.roundId, key: 'final', name: { zh: '决赛' }, pitchSeconds: 300, qaSeconds: 300 },
      project: {
        id: projectId,
        ref: 'RS-2024-0002',
        title: '项目2',
        institution: '医院2',
        track: { key: 'ai', name: { zh: 'AI+医疗健康' } },
        outOfCompetition: false,
      },
    });

    await t.services.stage.act(f.slug, organizer, { kind: 'open-scoring' });
    await recordScore(t.services, f, 0, 1, [12, 9]);
    await recordScore(t.services, f, 3, 1, [14, 10]);
    const scoring = await t.services.stage.view(f.slug);
    expect(scoring).toMatchObject({
      phase: 'scoring',
      revision: await revision(),
      scoring: { eligible: 5, submitted: 2 },
    });
  });

  it('refuses an unknown contest', async () => {
    await expect(t.services.stage.view('no-such-contest')).rejects.toMatchObject({ code: 'contest-not-found' });
  });
});
