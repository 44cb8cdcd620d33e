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
import { SLUG, P, seed } from '../support/results-fixture.js';

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
