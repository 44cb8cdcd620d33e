/**
 * Advancement: a round with "top 2 per track" and a following round. The preview lists who
 * advances; applying writes the next round's running order in ranking order (打星 only when
 * asked), with a ledger entry; refused while the next round has scores.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, csrfOf, type TestApp } from '../support/app.js';
import { seedLiveContest, submissionId, type LiveFixture } from '../support/fixtures.js';

let t: TestApp;
let f: LiveFixture;
let organizer: { kind: 'organizer'; id: number };
const SLUG = 'advance-test';
const P = (i: number) => `RS-2024-${String(i).padStart(4, '0')}`;
/** Totals per project (innovation + team) given by all five judges: 30, 33, 26, 28 (+ 打星 34). */
const MARKS: Record<number, [number, number]> = { 1: [18, 12], 2: [20, 13], 3: [14, 12], 4: [16, 12], 5: [20, 14] };

beforeEach(async () => {
  t = await buildTestApp();
  f = await seedLiveContest(t.services, { judges: 5, projects: 5, slug: SLUG });
  organizer = { kind: 'organizer', id: (await t.organizer('admin')).id };
  const c = t.services.contests;
  const loaded = await c.load(SLUG);
  const p5 = loaded.doc.projects.find((p) => p.ref === P(5))!;
  await c.editPart(SLUG, 'projects', { kind: 'update', key: P(5), input: { ...p5, outOfCompetition: true } });
  const final = loaded.doc.rounds[0]!;
  await c.editPart(SLUG, 'rounds', {
    kind: 'update',
    key: 'final',
    input: { ...final, advancement: { mode: 'top-n-per-track', count: 2, tieAtCutoff: 'tie-break' } },
  });
  await c.editPart(SLUG, 'rounds', {
    kind: 'add',
    input: { key: 'grand', name: { zh: '总决赛' }, kind: 'roadshow' },
  });
  for (const input of [
    { key: 'innovation', name: { zh: '创新性' }, max: 20, step: 0.5 },
    { key: 'team', name: { zh: '团队' }, max: 15, step: 1 },
  ])
    await c.editPart(SLUG, 'criteria', { kind: 'add', input }, 'grand');
  for (const [pi, [innovation, team]] of Object.entries(MARKS)) {
    const projectId = f.projectIds[Number(pi) - 1]!;
    await t.services.stage.act(SLUG, organizer, { kind: 'call', roundId: f.roundId, projectId });
    await t.services.stage.act(SLUG, organizer, { kind: 'open-scoring' });
    for (const [ji, judgeId] of f.judgeIds.entries()) {
      if (ji === 1 && pi === '1') continue; // j2 is recused from project 1
      await t.services.scores.record(
        { judgeId, contestId: f.contestId },
        { submissionId: submissionId(), roundId: f.roundId, projectId, marks: { innovation, team } },
      );
    }
    await new Promise((r) => setTimeout(r, 10));
    if ((await t.services.stage.view(SLUG)).phase === 'scoring')
      await t.services.stage.act(SLUG, organizer, { kind: 'close-scoring' });
  }
});
afterEach(async () => {
  t.services.stage.stop();
  await t.destroy();
});

const order = (roundId: number) =>
  (
    t.opened.sqlite
      .prepare(
        'SELECT p.ref FROM running_order r JOIN project p ON p.id = r.project_id WHERE r.round_id = ? ORDER BY r.position',
      )
      .all(roundId) as { ref: string }[]
  ).map((r) => r.ref);

describe('advancement', () => {
  it('previews, applies in ranking order with a ledger entry, and includes 打星 only when asked', async () => {
    const computed = await t.services.results.compute(SLUG, 'final');
    expect(computed.results.round.isAwardRound).toBe(false);
    expect(computed.advancement).toMatchObject({
      mode: 'top-n-per-track',
      advanced: [P(2), P(1)],
      applied: false,
      nextRound: { key: 'grand' },
    });
    expect(computed.advancement.groups[0]!.outOfCompetitionWouldAdvance).toEqual([P(5)]);
    const grandId = computed.advancement.nextRound!.id;

    const { agent } = await t.signedIn('admin');
    const page = `/admin/contests/${SLUG}/results/final/advancement`;
    expect((await agent.get(page)).status).toBe(200);
    const csrf = await csrfOf(agent, page);
    const res = await agent.post(page).type('form').send({ _csrf: csrf });
    expect(res.status).toBe(303);
    expect(order(grandId)).toEqual([P(2), P(1)]);
    expect((await t.services.results.compute(SLUG, 'final')).advancement.applied).toBe(true);
    const entry = t.opened.sqlite
      .prepare("SELECT payload FROM ledger_entry WHERE action = 'results.advanced'")
      .get() as { payload: string };
    expect(JSON.parse(entry.payload)).toMatchObject({ toRoundKey: 'grand', refs: [P(2), P(1)] });

    await t.services.results.applyAdvancement(SLUG, organizer, { roundKey: 'final', includeOutOfCompetition: true });
    expect(order(grandId)).toEqual([P(5), P(2), P(1)]);
    // The next round's lineup is now its running order.
    expect((await t.services.results.compute(SLUG, 'grand')).inputs.lineup.map((l) => l.project.ref)).toEqual([
      P(5),
      P(2),
      P(1),
    ]);

    // Once the next round has scores, its field is fixed.
    await t.services.stage.act(SLUG, organizer, { kind: 'call', roundId: grandId, projectId: f.projectIds[1] });
    await t.services.stage.act(SLUG, organizer, { kind: 'open-scoring' });
    await t.services.scores.record(
      { judgeId: f.judgeIds[0]!, contestId: f.contestId },
      {
        submissionId: submissionId(),
        roundId: grandId,
        projectId: f.projectIds[1],
        marks: { innovation: 10, team: 10 },
      },
    );
    await expect(t.services.results.applyAdvancement(SLUG, organizer, { roundKey: 'final' })).rejects.toMatchObject({
      code: 'round-has-scores',
      status: 409,
    });
  });
});
