/**
 * The results package on a seeded contest with locked awards: it holds the inputs (without
 * contacts), the rules, the results, the software version, the ledger head and a SHA-256 of the
 * canonical content; `npm run roadshow -- results:verify <file>` (spawned) recomputes it from
 * the inputs with the domain engine and exits 0, while tampered packages exit 1 naming the first
 * mismatch (a result, an input mark, or any other byte through the hash).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyResultsPackage } from '../../server/services/results-package.service.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { seedLiveContest, submissionId } from '../support/fixtures.js';

const SLUG = 'pub-test';
const P = (i: number) => `RS-2024-${String(i).padStart(4, '0')}`;
const TITLE = '基于深度学习的早期肺癌CT影像智能筛查系统';
const INSTITUTION = '首都医科大学附属北京友谊医院';
/** [innovation, team] per judge j1..j5; null = recused (j2 from project 1). */
const MARKS: Record<number, ([number, number] | null)[]> = {
  1: [[18, 12], null, [18.5, 13], [17, 12], [19, 13]], // 4 judges, no trim: 122.5/4 = 30.63
  2: [
    [20, 13],
    [8, 7],
    [18, 12],
    [18, 13],
    [17, 12],
  ], // drop 15, 33: 90/3 = 30.00
  3: [
    [16, 12],
    [18, 12],
    [17, 12],
    [18, 13],
    [18, 12],
  ], // drop 28, 31: 89/3 = 29.67
  4: [
    [18, 12],
    [16, 12],
    [18, 13],
    [17, 12],
    [14, 12],
  ], // drop 26, 31: 87/3 = 29.00 (track drug)
};
const settle = () => new Promise((r) => setTimeout(r, 30));

/** The contest, two tracks, track prizes 一等奖 / 二等奖, every score recorded; locked unless told not to. */
async function seed(t: TestApp, lock = true) {
  const f = await seedLiveContest(t.services, { judges: 5, projects: 4, slug: SLUG });
  const admin = await t.organizer('admin');
  const actor = { kind: 'organizer' as const, id: admin.id };
  const c = t.services.contests;
  await c.updateContest(SLUG, {
    slug: SLUG,
    name: { zh: '2024北京城市副中心创新医学转化大赛', en: 'Beijing Sub-center Medical Transformation Contest 2024' },
    organizer: '北京城市副中心医学转化大赛组委会',
    status: 'live',
    startsOn: '2024-11-23',
  });
  await c.editPart(SLUG, 'tracks', { kind: 'add', input: { key: 'drug', name: { zh: '创新药品', en: 'Drugs' } } });
  const doc = (await c.load(SLUG)).doc;
  const project = (i: number) => doc.projects.find((p) => p.ref === P(i))!;
  await c.editPart(SLUG, 'projects', {
    kind: 'update',
    key: P(1),
    input: {
      ...project(1),
      title: TITLE,
      institution: INSTITUTION,
      leader: { name: '张明远', phone: '13800138000', email: 'zhang.secret@example.test' },
      members: [{ name: '李晓华' }, { name: '王建国' }],
    },
  });
  await c.editPart(SLUG, 'projects', { kind: 'update', key: P(4), input: { ...project(4), trackKey: 'drug' } });
  for (const [key, zh, precedence] of [
    ['first', '一等奖', 1],
    ['second', '二等奖', 2],
  ] as const)
    await c.editPart(SLUG, 'prizeTiers', {
      kind: 'add',
      input: { key, name: { zh, en: key }, scope: 'track', quotaKind: 'count', quota: 1, precedence },
    });
  for (const [pi, sheets] of Object.entries(MARKS)) {
    const projectId = f.projectIds[Number(pi) - 1]!;
    await t.services.stage.act(SLUG, actor, { kind: 'call', roundId: f.roundId, projectId });
    await t.services.stage.act(SLUG, actor, { kind: 'open-scoring' });
    for (const [ji, sheet] of sheets.entries()) {
      if (!sheet) continue;
      await t.services.scores.record(
        { judgeId: f.judgeIds[ji]!, contestId: f.contestId },
        {
          submissionId: submissionId(),
          roundId: f.roundId,
          projectId,
          marks: { innovation: sheet[0], team: sheet[1] },
        },
      );
    }
    await settle();
    if ((await t.services.stage.view(SLUG)).phase === 'scoring')
      await t.services.stage.act(SLUG, actor, { kind: 'close-scoring' });
  }
  await settle();
  if (lock) await t.services.awards.lock(SLUG, actor, {});
  return { f, admin, actor };
}

const tsx = path.resolve('node_modules/.bin/tsx');
let t: TestApp;
let dir: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document edited freely below
let pkg: any;

function verifyCli(file: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ['scripts/roadshow.ts', 'results:verify', file], {
      env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent' },
      stdio: 'pipe',
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

const copy = () => structuredClone(pkg);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-package-'));
  t = await buildTestApp();
  await seed(t);
  const { email } = await t.organizer('viewer');
  const { token } = await t.services.users.createToken(email);
  const res = await supertest(t.app)
    .get(`/api/v1/contests/${SLUG}/results-package`)
    .set('Authorization', `Bearer ${token}`);
  expect(res.status).toBe(200);
  pkg = res.body;
}, 60_000);
afterAll(async () => {
  t.services.stage.stop();
  await t.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the results package', () => {
  it('holds inputs, rules, results, version, ledger head and a content hash, without contacts', async () => {
    const version = JSON.parse(fs.readFileSync('package.json', 'utf8')).version;
    expect(pkg.format).toBe('roadshow.results-package/v1');
    expect(pkg.software).toEqual({ name: 'roadshow', version });
    const head = await t.services.ledger.head(pkg.results.rounds[0].results.contest.id);
    expect(pkg.ledgerHead).toEqual(head);
    expect(pkg.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(pkg.rules.rounds[0]).toMatchObject({ key: 'final', scoring: { method: 'trimmed-mean', trim: 1 } });
    const final = pkg.inputs.rounds.find((r: { key: string }) => r.key === 'final');
    expect(final.lineup).toEqual([P(1), P(2), P(3), P(4)]);
    expect(final.sheets).toHaveLength(19);
    expect(final.recusals).toEqual([{ judgeKey: 'j2', projectRef: P(1) }]);
    expect(
      final.sheets.find((s: { judgeKey: string; projectRef: string }) => s.judgeKey === 'j1' && s.projectRef === P(1)),
    ).toEqual({ judgeKey: 'j1', projectRef: P(1), marks: { innovation: 1800, team: 1200 } });
    expect(pkg.locks).toHaveLength(1);
    expect(pkg.locks[0].awards).toHaveLength(3);
    const text = JSON.stringify(pkg);
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('zhang.secret');
  });

  it('verifies with results:verify (exit 0)', async () => {
    const file = write('package.json', pkg);
    const { code, out, err } = await verifyCli(file);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(
      /^OK: 1 round\(s\), 4 project result\(s\) and 3 award\(s\) recompute exactly; sha256 [0-9a-f]{64}/,
    );
  });

  it('fails on a tampered result, naming the round, project, field and both values (exit 1)', async () => {
    const tampered = copy();
    const p2 = tampered.results.rounds[0].results.projects.find((p: { ref: string }) => p.ref === P(2));
    p2.display = '31.00';
    const { code, err } = await verifyCli(write('tampered-result.json', tampered));
    expect(code).toBe(1);
    expect(err.split('\n')[0]).toBe(
      `MISMATCH: round "final", project ${P(2)}: display is "31.00" in the package but recomputes to "30.00"`,
    );
    expect(err).toContain('sha256 of the content');
  });

  it('fails on a tampered input mark, naming what no longer recomputes', async () => {
    const tampered = copy();
    const sheet = tampered.inputs.rounds[0].sheets.find(
      (s: { judgeKey: string; projectRef: string }) => s.judgeKey === 'j3' && s.projectRef === P(3),
    );
    sheet.marks.innovation = 2000; // 29 → 32: P3's judge total and trimmed mean change
    const { code, err } = await verifyCli(write('tampered-input.json', tampered));
    expect(code).toBe(1);
    expect(err.split('\n')[0]).toMatch(new RegExp(`^MISMATCH: round "final", project ${P(3)}: exact is`));
  });

  it('fails on any other change through the hash, and on a file that is not a package', async () => {
    const tampered = copy();
    tampered.contest.projects[0].title = '改过的标题';
    const { code, err } = await verifyCli(write('tampered-title.json', tampered));
    expect(code).toBe(1);
    expect(err).toMatch(/^MISMATCH: sha256 of the content is [0-9a-f]{64} but the package says/);

    const notPackage = await verifyCli(write('other.json', { hello: 'world' }));
    expect(notPackage.code).toBe(1);
    expect(notPackage.err).toMatch(/^MISMATCH: not a results package/);

    const missing = await verifyCli(path.join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read');
  });

  it('verifies in process too, counting rounds, projects and awards', () => {
    const outcome = verifyResultsPackage(copy());
    expect(outcome).toMatchObject({ ok: true, mismatches: [], rounds: 1, projects: 4, awards: 3, hash: pkg.sha256 });
    const moved = copy();
    const awards = moved.results.rounds[0].dryRun.allocations;
    awards[0].projectRef = P(3);
    const bad = verifyResultsPackage(moved);
    expect(bad.ok).toBe(false);
    expect(bad.mismatches[0]).toBe('round "final": award first/ai/RS-2024-0001 recomputes but is not in the package');
  });
});
