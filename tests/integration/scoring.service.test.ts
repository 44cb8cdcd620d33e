/**
 * Recording scores: exactly once per submission id, every refusal writes nothing, unlock-and-
 * correct keeps both versions with a ledger entry, the stage survives a restart, and a flipped
 * byte in the stored ledger is found at that entry.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createLogger } from '../../server/logger.js';
import { buildTestApp, testConfig, type TestApp } from '../support/app.js';
import { seedLiveContest, submissionId, type LiveFixture } from '../support/fixtures.js';

let t: TestApp;
let f: LiveFixture;
const organizer = { kind: 'organizer' as const, id: 1 };

beforeEach(async () => {
  t = await buildTestApp();
  f = await seedLiveContest(t.services);
});
afterEach(async () => {
  t.services.stage.stop();
  await t.destroy();
});

const marks = { innovation: 18.5, team: 13 };
const judge = (i: number) => ({ judgeId: f.judgeIds[i]!, contestId: f.contestId });
const revision = async () => (await t.services.contests.load(f.slug)).revision;
const versions = () =>
  t.opened.sqlite.prepare('SELECT * FROM score_version ORDER BY id').all() as Record<string, unknown>[];
const ledgerCount = () => (t.opened.sqlite.prepare('SELECT count(*) AS n FROM ledger_entry').get() as { n: number }).n;

async function openScoringOn(projectIndex: number) {
  await t.services.stage.act(f.slug, organizer, {
    kind: 'call',
    roundId: f.roundId,
    projectId: f.projectIds[projectIndex],
  });
  await t.services.stage.act(f.slug, organizer, { kind: 'open-scoring' });
}

describe('recording scores', () => {
  it('stores exact hundredths and returns a receipt; 11 judges at once each get one version', async () => {
    await openScoringOn(1);
    const before = await revision();
    const receipts = await Promise.all(
      f.judgeIds.map((_, i) =>
        t.services.scores.record(judge(i), {
          submissionId: submissionId(),
          roundId: f.roundId,
          projectId: f.projectIds[1],
          marks,
        }),
      ),
    );
    expect(receipts.map((r) => r.version)).toEqual(Array(11).fill(1));
    expect(new Set(receipts.map((r) => r.judgeId)).size).toBe(11);
    expect(await revision()).toBe(before + 11);
    expect(JSON.parse(versions()[0]!.marks as string)).toEqual({ innovation: 1850, team: 1300 });
  });

  it('replayed 10 times, sequentially and concurrently, gives one row and one revision bump', async () => {
    await openScoringOn(1);
    const id = submissionId();
    const body = { submissionId: id, roundId: f.roundId, projectId: f.projectIds[1], marks };
    const before = await revision();
    const first = await t.services.scores.record(judge(3), body);
    for (let i = 0; i < 10; i++)
      expect(await t.services.scores.record(judge(3), body)).toEqual({ ...first, replay: true });
    const parallel = await Promise.all(Array.from({ length: 10 }, () => t.services.scores.record(judge(3), body)));
    expect(parallel.every((r) => r.scoreId === first.scoreId && r.replay)).toBe(true);
    expect(versions()).toHaveLength(1);
    expect(await revision()).toBe(before + 1);
  });

  it('refuses the same id with a different payload, with nothing written', async () => {
    await openScoringOn(1);
    const id = submissionId();
    await t.services.scores.record(judge(3), {
      submissionId: id,
      roundId: f.roundId,
      projectId: f.projectIds[1],
      marks,
    });
    await expect(
      t.services.scores.record(judge(3), {
        submissionId: id,
        roundId: f.roundId,
        projectId: f.projectIds[1],
        marks: { ...marks, team: 12 },
      }),
    ).rejects.toMatchObject({ code: 'submission-id-reused', status: 422 });
    expect(versions()).toHaveLength(1);
  });

  // Judge index 1 (j2) is recused from project 0; judge index 3 is not.
  type Change = (b: Record<string, unknown>) => Record<string, unknown>;
  const refusals: [string, string, number, number, Change][] = [
    ['another judge’s sheet', 'not-your-sheet', 403, 3, (b) => ({ ...b, judgeId: f.judgeIds[5] })],
    ['a recused project', 'recused', 403, 1, (b) => b],
    ['a project of another contest', 'not-assigned', 403, 3, (b) => ({ ...b, projectId: 99_999 })],
    ['a mark off the step', 'score-out-of-range', 422, 3, (b) => ({ ...b, marks: { innovation: 18.25, team: 13 } })],
    ['a mark out of range', 'score-out-of-range', 422, 3, (b) => ({ ...b, marks: { innovation: 21, team: 13 } })],
    ['a missing criterion', 'score-out-of-range', 422, 3, (b) => ({ ...b, marks: { innovation: 18 } })],
  ];
  it.each(refusals)('refuses %s (%s) with nothing written', async (_name, code, status, judgeIndex, change) => {
    await openScoringOn(0);
    const before = { rows: versions().length, ledger: ledgerCount(), revision: await revision() };
    const body = change({ submissionId: submissionId(), roundId: f.roundId, projectId: f.projectIds[0], marks });
    await expect(t.services.scores.record(judge(judgeIndex), body)).rejects.toMatchObject({ code, status });
    expect({ rows: versions().length, ledger: ledgerCount(), revision: await revision() }).toEqual(before);
  });

  it('names the bad criterion in the field errors', async () => {
    await openScoringOn(1);
    await expect(
      t.services.scores.record(judge(4), {
        submissionId: submissionId(),
        roundId: f.roundId,
        projectId: f.projectIds[1],
        marks: { innovation: 18.25, team: 16 },
      }),
    ).rejects.toMatchObject({
      fields: [
        { path: 'marks.innovation', code: 'off-step' },
        { path: 'marks.team', code: 'out-of-range' },
      ],
    });
  });

  it('refuses after close (409), and unlock-and-correct leaves both versions and ledger entries', async () => {
    await openScoringOn(1);
    await t.services.scores.record(judge(4), {
      submissionId: submissionId(),
      roundId: f.roundId,
      projectId: f.projectIds[1],
      marks,
    });
    await t.services.stage.act(f.slug, organizer, { kind: 'close-scoring' });
    const late = {
      submissionId: submissionId(),
      roundId: f.roundId,
      projectId: f.projectIds[1],
      marks: { innovation: 17, team: 13 },
    };
    await expect(t.services.scores.record(judge(4), late)).rejects.toMatchObject({ code: 'round-closed', status: 409 });

    await expect(
      t.services.scores.unlock(
        f.contestId,
        { kind: 'judge', id: f.judgeIds[5]! },
        { roundId: f.roundId, projectId: f.projectIds[1], judgeId: f.judgeIds[4], reason: '录入错误' },
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await t.services.scores.unlock(
      f.contestId,
      { kind: 'judge', id: f.judgeIds[0]! },
      { roundId: f.roundId, projectId: f.projectIds[1], judgeId: f.judgeIds[4], reason: '录入错误，评委要求更正' },
    );
    const corrected = await t.services.scores.record(judge(4), late);
    expect(corrected.version).toBe(2);
    const rows = versions();
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
    expect(rows[1]!.reason).toBe('录入错误，评委要求更正');
    // The unlock is used up: a third submission is refused again.
    await expect(t.services.scores.record(judge(4), { ...late, submissionId: submissionId() })).rejects.toMatchObject({
      code: 'round-closed',
    });
    const actions = (
      t.opened.sqlite.prepare('SELECT action FROM ledger_entry ORDER BY seq').all() as { action: string }[]
    ).map((r) => r.action);
    expect(actions).toEqual([
      'stage.call',
      'stage.open-scoring',
      'score.recorded',
      'stage.close-scoring',
      'score.unlocked',
      'score.recorded',
    ]);
    expect(await t.services.ledger.verify(f.contestId)).toMatchObject({ ok: true, count: 6 });
  });

  it('closes scoring by itself once every eligible judge has submitted (recused judges not awaited)', async () => {
    t.opened.sqlite.prepare('UPDATE round SET auto_close_seconds = 0').run();
    await openScoringOn(0);
    const eligible = f.judgeIds.map((_, i) => i).filter((i) => i !== 1);
    for (const i of eligible) {
      await t.services.scores.record(judge(i), {
        submissionId: submissionId(),
        roundId: f.roundId,
        projectId: f.projectIds[0],
        marks,
      });
    }
    await expect.poll(async () => (await t.services.stage.view(f.slug)).phase, { timeout: 2000 }).toBe('closed');
    const view = await t.services.stage.view(f.slug);
    expect(view.scoring).toEqual({ eligible: 10, submitted: 10 });
    const closed = t.opened.sqlite.prepare('SELECT closed_by FROM scoring_window').get() as { closed_by: string };
    expect(closed.closed_by).toBe('auto');
  });
});

describe('stage and ledger durability', () => {
  it('a restart in the middle of a scoring window restores the stage and accepts scores', async () => {
    await t.services.stage.act(f.slug, organizer, { kind: 'call', roundId: f.roundId, projectId: f.projectIds[2] });
    await t.services.stage.act(f.slug, organizer, { kind: 'start-qa' });
    await t.services.stage.act(f.slug, organizer, { kind: 'open-scoring' });
    const before = await t.services.stage.view(f.slug);
    await t.close();
    const again = createApp({ config: testConfig(), db: t.opened.db, logger: createLogger('silent') });
    const after = await again.services.stage.view(f.slug);
    expect(after).toMatchObject({
      phase: before.phase,
      roundId: before.roundId,
      projectId: before.projectId,
      timer: { kind: 'qa' },
    });
    const receipt = await again.services.scores.record(judge(6), {
      submissionId: submissionId(),
      roundId: f.roundId,
      projectId: f.projectIds[2],
      marks,
    });
    expect(receipt.version).toBe(1);
    await again.close();
  });

  it('flipping one byte of a stored ledger entry makes verify fail at that entry', async () => {
    await openScoringOn(1);
    for (const i of [2, 3, 4]) {
      await t.services.scores.record(judge(i), {
        submissionId: submissionId(),
        roundId: f.roundId,
        projectId: f.projectIds[1],
        marks,
      });
    }
    expect(await t.services.ledger.verify(f.contestId)).toMatchObject({ ok: true, count: 5 });
    const row = t.opened.sqlite.prepare('SELECT payload FROM ledger_entry WHERE seq = 4').get() as { payload: string };
    const flipped = row.payload.replace('1850', '1950');
    expect(flipped).not.toBe(row.payload);
    t.opened.sqlite.prepare('UPDATE ledger_entry SET payload = ? WHERE seq = 4').run(flipped);
    expect(await t.services.ledger.verify(f.contestId)).toEqual({ ok: false, seq: 4, reason: 'hash-mismatch' });
  });
});
