/**
 * Results end to end on a seeded live contest (6 judges, 5 projects, judge j2 recused from
 * project 1, project 5 打星, prizes first/second/third overall), scores recorded through the
 * score service: hand-computed exact results, recusal, 打星, explanation with dropped marks, the
 * method comparison flagging a prize change, a head-judge decision resolving a tie, dry run →
 * lock (certificates, ledger) → reasoned override → relock, pages, and permissions.
 */
import crypto from 'node:crypto';
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, csrfOf, type TestApp } from '../support/app.js';
import { recordSheets, seedLiveContest, submissionId, type LiveFixture, type Sheets } from '../support/fixtures.js';

let t: TestApp;
let f: LiveFixture;
let organizer: { kind: 'organizer'; id: number };
const SLUG = 'results-test';
const P = (i: number) => `RS-2024-${String(i).padStart(4, '0')}`;

/** [innovation, team] per judge j1..j6; null = no sheet (j2 is recused from P1). */
const MARKS: Sheets = {
  // totals 30, —, 31.5, 29, 32, 28 → drop 28 (j6) and 32 (j5): (29 + 30 + 31.5) / 3 = 181/6 = 30.17
  1: [[18, 12], null, [18.5, 13], [17, 12], [19, 13], [16, 12]],
  // totals 33, 15, 30, 31, 29, 35 → drop 15 (j2) and 35 (j6): 123/4 = 30.75 (raw mean 173/6 = 28.83)
  2: [
    [20, 13],
    [8, 7],
    [18, 12],
    [18, 13],
    [17, 12],
    [20, 15],
  ],
  // totals 28, 30, 29, 31, 30, 26 → drop 26, 31: 117/4 = 29.25, untrimmed 29
  3: [
    [16, 12],
    [18, 12],
    [17, 12],
    [18, 13],
    [18, 12],
    [14, 12],
  ],
  // totals 30, 28, 31, 29, 26, 30 → drop 26, 31: 117/4 = 29.25, untrimmed 29 → tie with P3
  4: [
    [18, 12],
    [16, 12],
    [18, 13],
    [17, 12],
    [14, 12],
    [18, 12],
  ],
  // totals 34, 33, 35, 32, 34, 33 → drop 32, 35: 134/4 = 67/2 = 33.50 (打星)
  5: [
    [20, 14],
    [20, 13],
    [20, 15],
    [19, 13],
    [20, 14],
    [19, 14],
  ],
};

const count = (table: string) =>
  (t.opened.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const ledgerActions = () =>
  (t.opened.sqlite.prepare('SELECT action FROM ledger_entry ORDER BY seq').all() as { action: string }[]).map(
    (r) => r.action,
  );

const recordAll = () => recordSheets(t.services, f, organizer, MARKS);

beforeEach(async () => {
  t = await buildTestApp();
  f = await seedLiveContest(t.services, { judges: 6, projects: 5, slug: SLUG });
  organizer = { kind: 'organizer', id: (await t.organizer('admin')).id };
  const c = t.services.contests;
  const loaded = await c.load(SLUG);
  const p5 = loaded.doc.projects.find((p) => p.ref === P(5))!;
  await c.editPart(SLUG, 'projects', { kind: 'update', key: P(5), input: { ...p5, outOfCompetition: true } });
  for (const [key, zh, precedence] of [
    ['first', '一等奖', 1],
    ['second', '二等奖', 2],
    ['third', '三等奖', 3],
  ] as const)
    await c.editPart(SLUG, 'prizeTiers', {
      kind: 'add',
      input: { key, name: { zh, en: key }, scope: 'overall', quotaKind: 'count', quota: 1, precedence },
    });
  await recordAll();
});
afterEach(async () => {
  t.services.stage.stop();
  await t.destroy();
});

describe('results of a round', () => {
  it('equal the hand-computed exact values, ranks and judge counts', async () => {
    const r = await t.services.results.roundResults(SLUG);
    expect(r.round).toMatchObject({ key: 'final', method: 'trimmed-mean', trim: 1, decimals: 2, isAwardRound: true });
    const rows = r.projects.map((p) => [p.ref, p.exact, p.display, p.rank, p.competitionRank, p.judgesScored]);
    expect(rows).toEqual([
      [P(5), '67/2', '33.50', 1, null, 6],
      [P(2), '123/4', '30.75', 2, 1, 6],
      [P(1), '181/6', '30.17', 3, 2, 5],
      [P(3), '117/4', '29.25', 4, 3, 6],
      [P(4), '117/4', '29.25', 4, 3, 6],
    ]);
    expect(r.rankings.overall.map((x) => x.ref)).toEqual([P(5), P(2), P(1), P(3), P(4)]);
    expect(r.rankings.tracks).toHaveLength(1);
    expect(r.ties).toEqual([
      { scope: 'overall', refs: [P(3), P(4)], rank: 4, needsDecision: true },
      { scope: 'ai', refs: [P(3), P(4)], rank: 4, needsDecision: true },
    ]);
  });

  it('does not count the recused judge', async () => {
    const r = await t.services.results.roundResults(SLUG);
    const p1 = r.projects.find((p) => p.ref === P(1))!;
    expect(p1.judgesEligible).toBe(5);
    expect(p1.judges.find((j) => j.judgeKey === 'j2')).toMatchObject({
      status: 'recused',
      counted: false,
      total: null,
    });
    expect(p1.notes).toContain('recused');
    // A recused judge cannot even submit.
    await t.services.stage.act(SLUG, organizer, { kind: 'call', roundId: f.roundId, projectId: f.projectIds[0] });
    await t.services.stage.act(SLUG, organizer, { kind: 'open-scoring' });
    await expect(
      t.services.scores.record(
        { judgeId: f.judgeIds[1]!, contestId: f.contestId },
        {
          submissionId: submissionId(),
          roundId: f.roundId,
          projectId: f.projectIds[0],
          marks: { innovation: 1, team: 1 },
        },
      ),
    ).rejects.toMatchObject({ code: 'recused' });
  });

  it('ranks 打星 but gives it no quota place', async () => {
    const dry = await t.services.results.dryRun(SLUG);
    expect(dry.allocations.map((a) => [a.tierKey, a.projectRef])).toEqual([
      ['first', P(2)],
      ['second', P(1)],
    ]);
    expect(dry.allocations.some((a) => a.projectRef === P(5))).toBe(false);
    expect(dry.outOfCompetition).toEqual([
      expect.objectContaining({ ref: P(5), display: '33.50', wouldRankOverall: 1, wouldQualifyFor: 'first' }),
    ]);
    expect(dry.decisionsNeeded).toEqual([{ tierKey: 'third', scope: 'overall', refs: [P(3), P(4)], places: 1 }]);
    expect(dry.lockable).toBe(false);
  });

  it('explains a project: each judge’s total, dropped marks, formula, exact and displayed value', async () => {
    const r = await t.services.results.roundResults(SLUG);
    const p1 = r.projects.find((p) => p.ref === P(1))!;
    const line = (key: string) => p1.judges.find((j) => j.judgeKey === key)!;
    expect(line('j6')).toMatchObject({ total: '28.00', dropped: 'low', counted: true });
    expect(line('j5')).toMatchObject({ total: '32.00', dropped: 'high' });
    expect(line('j3')).toMatchObject({
      total: '31.50',
      totalExact: '63/2',
      dropped: null,
      marks: { innovation: '18.50', team: '13.00' },
    });
    expect(p1.formula).toBe('trimmed mean, drop 1 high + 1 low of 5: (30.00 + 31.50 + 29.00) / 3 = 30.17');
    expect(p1.criterionMeans).toEqual({ innovation: '17.70', team: '12.40' });
  });

  it('compares raw mean, trimmed and normalized and flags the prize change', async () => {
    const cmp = await t.services.results.comparison(SLUG);
    expect(cmp.official).toBe('trimmed');
    expect(cmp.outcome).toBe('awards');
    const row = (ref: string) => cmp.rows.find((x) => x.ref === ref)!;
    // Raw mean: P1 30.10 first; P3/P4 29.00 tie for second (pending); P2 28.83 third.
    expect(row(P(1)).mean).toEqual({ display: '30.10', rank: 2 });
    expect(row(P(2)).mean).toEqual({ display: '28.83', rank: 5 });
    expect([row(P(1)).tierMean, row(P(2)).tierMean]).toEqual(['first', 'third']);
    expect([row(P(1)).tierTrimmed, row(P(2)).tierTrimmed]).toEqual(['second', 'first']);
    expect(cmp.prizeChanges).toBe(true);
    expect(cmp.changedRefs).toEqual(expect.arrayContaining([P(1), P(2)]));
    // j2 scored only 4 projects (recused from P1): left raw by the normalization guard.
    expect(cmp.judgesLeftRaw).toEqual([{ judgeKey: 'j2', reason: 'too-few-projects' }]);
  });

  it('resolves a tie by a head-judge decision with the reason recorded (organizer form)', async () => {
    const { agent } = await t.signedIn('admin');
    const base = `/admin/contests/${SLUG}/results/final`;
    const page = await agent.get(`${base}/decisions`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(P(3));
    const csrf = await csrfOf(agent, `${base}/decisions`);
    const refused = await agent
      .post(`${base}/decisions`)
      .type('form')
      .send({ _csrf: csrf, kind: 'tie-break', scopeKey: '', refs: [P(3), P(4)], positions: ['2', '1'], reason: '' });
    expect(refused.status).toBe(422);
    expect(count('head_judge_decision')).toBe(0);
    const reason = '经评委组合议，项目4临床应用价值更突出';
    const res = await agent
      .post(`${base}/decisions`)
      .type('form')
      .send({ _csrf: csrf, kind: 'tie-break', scopeKey: '', refs: [P(3), P(4)], positions: ['2', '1'], reason });
    expect(res.status).toBe(303);
    const stored = t.opened.sqlite.prepare('SELECT * FROM head_judge_decision').all() as Record<string, unknown>[];
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      reason,
      actor_kind: 'organizer',
      project_order: JSON.stringify([f.projectIds[3], f.projectIds[2]]),
    });
    expect(ledgerActions()).toContain('results.decided');

    const r = await t.services.results.roundResults(SLUG);
    expect(r.projects.slice(3).map((p) => [p.ref, p.rank, p.separatedBy, p.decisionReason])).toEqual([
      [P(4), 4, 'head-judge', reason],
      [P(3), 5, 'head-judge', reason],
    ]);
    expect(r.ties).toEqual([]);
    const dry = await t.services.results.dryRun(SLUG);
    expect(dry.allocations.at(-1)).toMatchObject({ tierKey: 'third', projectRef: P(4) });
    expect(dry.lockable).toBe(true);
  });
});

describe('locking awards', () => {
  const decide = () =>
    t.services.results.decide(SLUG, organizer, { refs: [P(4), P(3)], reason: '评委组长裁定：项目4优先' });

  it('refuses while a tie is pending, then writes awards with unique certificate numbers and a ledger entry', async () => {
    await expect(t.services.awards.lock(SLUG, organizer, {})).rejects.toMatchObject({
      code: 'decision-needed',
      status: 409,
    });
    expect(count('result_lock')).toBe(0);
    await decide();
    const locked = await t.services.awards.lock(SLUG, organizer, {});
    expect(locked.awards.map((a) => [a.tierKey, a.projectRef, a.scoreText, a.rank])).toEqual([
      ['first', P(2), '30.75', 1],
      ['second', P(1), '30.17', 2],
      ['third', P(4), '29.25', 3],
    ]);
    const numbers = locked.awards.map((a) => a.certificateNo);
    expect(new Set(numbers).size).toBe(3);
    for (const no of numbers) expect(no).toMatch(/^RT-\d{4}-00[1-3]$/);
    for (const a of locked.awards) expect(a.verifyCode).toMatch(/^[A-Z2-7]{16}$/);
    expect(new Set(locked.awards.map((a) => a.verifyCode)).size).toBe(3);

    const lockRow = t.opened.sqlite.prepare('SELECT * FROM result_lock').get() as {
      snapshot: string;
      ledger_seq: number;
    };
    const hash = crypto.createHash('sha256').update(lockRow.snapshot, 'utf8').digest('hex');
    expect(locked.snapshotHash).toBe(hash);
    const entry = t.opened.sqlite
      .prepare("SELECT seq, payload FROM ledger_entry WHERE action = 'results.locked'")
      .get() as { seq: number; payload: string };
    expect(entry.seq).toBe(lockRow.ledger_seq);
    expect(JSON.parse(entry.payload)).toMatchObject({ snapshotSha256: hash, lockId: locked.lockId, roundKey: 'final' });
    expect((await t.services.ledger.verify(f.contestId)).ok).toBe(true);
    expect(JSON.parse(lockRow.snapshot).results.projects[0].ref).toBe(P(5));

    // Locked: a second lock needs a reason and supersedes the first, revoking its awards.
    await expect(t.services.awards.lock(SLUG, organizer, {})).rejects.toMatchObject({ code: 'results-locked' });
    const again = await t.services.awards.lock(SLUG, organizer, { relockReason: '更正录入错误后重新锁定' });
    expect(again.superseded).toHaveLength(1);
    expect(again.snapshot.relockReason).toBe('更正录入错误后重新锁定');
    expect(again.awards.map((a) => a.certificateNo.slice(-4))).toEqual(['-004', '-005', '-006']);
    const revoked = t.opened.sqlite.prepare('SELECT count(*) AS n FROM award WHERE revoked_at IS NOT NULL').get() as {
      n: number;
    };
    expect(revoked.n).toBe(3);
  });

  it('changes a locked award only through an override with a reason', async () => {
    await decide();
    await t.services.awards.lock(SLUG, organizer, {});
    const before = { overrides: count('award_override'), awards: count('award'), ledger: ledgerActions().length };
    await expect(
      t.services.awards.override(SLUG, organizer, { action: 'add', tierKey: 'third', projectRef: P(3), reason: '  ' }),
    ).rejects.toMatchObject({ code: 'validation-failed', status: 422 });
    await expect(
      t.services.awards.override(SLUG, organizer, { action: 'add', tierKey: 'third', projectRef: P(3) }),
    ).rejects.toMatchObject({ code: 'validation-failed' });
    expect({ overrides: count('award_override'), awards: count('award'), ledger: ledgerActions().length }).toEqual(
      before,
    );

    await expect(
      t.services.awards.override(SLUG, organizer, {
        action: 'add',
        tierKey: 'third',
        projectRef: P(4),
        reason: '重复',
      }),
    ).rejects.toMatchObject({ code: 'award-exists' });
    const { override, locked } = await t.services.awards.override(SLUG, organizer, {
      action: 'add',
      tierKey: 'third',
      projectRef: P(3),
      reason: '申诉复核后并列增补',
    });
    expect(override).toMatchObject({
      reason: '申诉复核后并列增补',
      change: { action: 'add', tierKey: 'third', projectRef: P(3) },
    });
    expect(locked.awards.filter((a) => !a.revokedAt).map((a) => a.projectRef)).toEqual([P(2), P(1), P(4), P(3)]);
    expect(ledgerActions().at(-1)).toBe('results.overridden');

    const removed = await t.services.awards.override(SLUG, organizer, {
      action: 'remove',
      tierKey: 'second',
      projectRef: P(1),
      reason: '项目撤回参赛',
    });
    expect(removed.locked.awards.find((a) => a.projectRef === P(1))!.revokedAt).not.toBeNull();
  });
});

describe('results pages and API', () => {
  it('render for a viewer (read)', async () => {
    const { agent } = await t.signedIn('viewer');
    const base = `/admin/contests/${SLUG}/results`;
    const index = await agent.get(base);
    expect(index.status).toBe(303);
    expect(index.headers.location).toBe(`${base}/final`);
    const rankings = await agent.get(`${base}/final`);
    expect(rankings.status).toBe(200);
    expect(rankings.text).toContain('30.17');
    expect(rankings.text).toContain('打星');
    expect(rankings.text).toContain('5/5');
    const explain = await agent.get(`${base}/final/projects/${P(1)}`);
    expect(explain.status).toBe(200);
    expect(explain.text).toContain('<del>28.00</del>');
    expect(explain.text).toContain('<del>32.00</del>');
    expect(explain.text).toContain('181/6');
    const compare = await agent.get(`${base}/final/compare`);
    expect(compare.status).toBe(200);
    expect(compare.text).toContain('算法不同会改变奖项');
    for (const page of ['advancement', 'decisions', 'awards'])
      expect((await agent.get(`${base}/final/${page}`)).status).toBe(200);
    expect((await agent.get(`${base}/nope`)).status).toBe(404);
    // Viewers see no write forms.
    expect((await agent.get(`${base}/final/awards`)).text).not.toContain('/awards/lock');
  });

  it('refuses the lock to viewer and host (403) with nothing written', async () => {
    await t.services.results.decide(SLUG, organizer, { refs: [P(4), P(3)], reason: '裁定' });
    const before = { locks: count('result_lock'), awards: count('award'), ledger: ledgerActions().length };
    for (const role of ['viewer', 'host'] as const) {
      const { agent, email } = await t.signedIn(role);
      const csrf = await csrfOf(agent, `/admin/contests/${SLUG}/results/final/awards`);
      const page = await agent
        .post(`/admin/contests/${SLUG}/results/final/awards/lock`)
        .type('form')
        .send({ _csrf: csrf });
      expect(page.status).toBe(403);
      const { token } = await t.services.users.createToken(email);
      const api = await supertest(t.app)
        .post(`/api/v1/contests/${SLUG}/awards/lock`)
        .set('Authorization', `Bearer ${token}`)
        .send({});
      expect(api.status).toBe(403);
      const override = await supertest(t.app)
        .post(`/api/v1/contests/${SLUG}/awards/overrides`)
        .set('Authorization', `Bearer ${token}`)
        .send({ action: 'add', tierKey: 'third', projectRef: P(3), reason: 'x' });
      expect(override.status).toBe(403);
    }
    expect({ locks: count('result_lock'), awards: count('award'), ledger: ledgerActions().length }).toEqual(before);
  });

  it('serves results, dry run and lock over the JSON API; an admin locks from the page', async () => {
    const { email } = await t.organizer('admin', 'api-admin@example.test');
    const { token } = await t.services.users.createToken(email);
    const api = () => supertest(t.app);
    const auth = `Bearer ${token}`;
    const results = await api().get(`/api/v1/contests/${SLUG}/results`).set('Authorization', auth);
    expect(results.status).toBe(200);
    expect(results.body.projects[1]).toMatchObject({ ref: P(2), exact: '123/4', display: '30.75' });
    const dry = await api().get(`/api/v1/contests/${SLUG}/awards/dry-run`).set('Authorization', auth);
    expect(dry.body.decisionsNeeded).toHaveLength(1);
    const refused = await api().post(`/api/v1/contests/${SLUG}/awards/lock`).set('Authorization', auth).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('decision-needed');
    const decided = await api()
      .post(`/api/v1/contests/${SLUG}/results/decisions`)
      .set('Authorization', auth)
      .send({ refs: [P(4), P(3)], reason: '组长裁定' });
    expect(decided.status).toBe(201);

    const { agent } = await t.signedIn('admin');
    const awardsPage = await agent.get(`/admin/contests/${SLUG}/results/final/awards`);
    const csrf = await csrfOf(agent, `/admin/contests/${SLUG}/results/final/awards`);
    const revision = /name="revision" value="(\d+)"/.exec(awardsPage.text)![1];
    const lock = await agent
      .post(`/admin/contests/${SLUG}/results/final/awards/lock`)
      .type('form')
      .send({ _csrf: csrf, revision });
    expect(lock.status).toBe(303);
    const after = await agent.get(`/admin/contests/${SLUG}/results/final/awards`);
    expect(after.text).toMatch(/RT-\d{4}-001/);
    const current = await api().get(`/api/v1/contests/${SLUG}/awards`).set('Authorization', auth);
    expect(current.body.lock.awards).toHaveLength(3);
    const override = await api()
      .post(`/api/v1/contests/${SLUG}/awards/overrides`)
      .set('Authorization', auth)
      .send({ action: 'remove', tierKey: 'third', projectRef: P(4) });
    expect(override.status).toBe(422);
    expect(override.body.error.fields[0].path).toBe('reason');
  });
});
