/**
 * `npm run roadshow -- ledger:verify` as a real process on a temporary DATA_DIR: intact chains
 * exit 0; one flipped byte in a stored entry exits 1 and names that entry's seq; --contest limits
 * the check to one contest; an unknown contest is bad input (exit 2).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openSqlite } from '../../db/database.js';
import { systemClock } from '../../server/services/clock.js';
import { createServices } from '../../server/services/index.js';
import { seedLiveContest, submissionId } from '../support/fixtures.js';

const tsx = path.resolve('node_modules/.bin/tsx');
let dir: string;

function verify(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ['scripts/roadshow.ts', 'ledger:verify', ...args], {
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

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-ledger-'));
  const opened = openSqlite(path.join(dir, 'roadshow.db'));
  await migrateToLatest(opened.db);
  const config = { publicUrl: 'http://127.0.0.1:3000', dataDir: dir };
  const services = createServices(opened.db, systemClock, config);
  const organizer = { kind: 'organizer' as const, id: 1 };
  for (const slug of ['ledger-a', 'ledger-b']) {
    const f = await seedLiveContest(services, { slug, judges: 5, projects: 2 });
    await services.stage.act(slug, organizer, { kind: 'call', roundId: f.roundId, projectId: f.projectIds[1] });
    await services.stage.act(slug, organizer, { kind: 'open-scoring' });
    for (const judgeId of f.judgeIds.slice(0, 3)) {
      await services.scores.record(
        { judgeId, contestId: f.contestId },
        {
          submissionId: submissionId(),
          roundId: f.roundId,
          projectId: f.projectIds[1],
          marks: { innovation: 18.5, team: 13 },
        },
      );
    }
  }
  services.stage.stop();
  await opened.db.destroy();
}, 60_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ledger:verify', () => {
  it('exits 0 when every chain is intact', async () => {
    const { code, out } = await verify();
    expect(code).toBe(0);
    expect(out).toMatch(/OK {3}ledger-a: 5 entries, head #5 [0-9a-f]{64}/);
    expect(out).toMatch(/OK {3}ledger-b: 5 entries/);
    expect(out).toContain('All ledgers verified.');
  }, 60_000);

  it('exits 1 and names the seq of an entry with one flipped byte', async () => {
    const sqlite = new SQLite(path.join(dir, 'roadshow.db'));
    const contest = sqlite.prepare("SELECT id FROM contest WHERE slug = 'ledger-a'").get() as { id: number };
    const row = sqlite.prepare('SELECT payload FROM ledger_entry WHERE contest_id = ? AND seq = 4').get(contest.id) as {
      payload: string;
    };
    const at = row.payload.indexOf('1850');
    expect(at).toBeGreaterThan(0);
    const flipped = Buffer.from(row.payload, 'utf8');
    flipped[at + 1] = flipped[at + 1]! ^ 0x01; // '8' (0x38) → '9' (0x39): still valid JSON
    sqlite
      .prepare('UPDATE ledger_entry SET payload = ? WHERE contest_id = ? AND seq = 4')
      .run(flipped.toString('utf8'), contest.id);
    sqlite.close();

    const [all, one, unknown] = await Promise.all([
      verify(),
      verify('--contest', 'ledger-b'),
      verify('--contest', 'no-such-contest'),
    ]);
    expect(all.code).toBe(1);
    expect(all.out).toContain('BAD  ledger-a: first bad entry is seq 4: hash mismatch');
    expect(all.out).toMatch(/OK {3}ledger-b: 5 entries/);
    expect(all.out).toContain('LEDGER VERIFICATION FAILED.');

    expect(one.code).toBe(0);
    expect(one.out).not.toContain('ledger-a');

    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no contest with slug no-such-contest');
  }, 60_000);
});
