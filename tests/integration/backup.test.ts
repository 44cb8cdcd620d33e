/**
 * `roadshow backup` while judges are scoring: the copy passes integrity and ledger checks, and a
 * server restored from it holds a prefix of what was acknowledged, with a verifying ledger.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createLogger } from '../../server/logger.js';
import { migrateToLatest, openSqlite } from '../../db/database.js';
import { testConfig } from '../support/app.js';
import { seedLiveContest, submissionId } from '../support/fixtures.js';

const tsx = path.resolve('node_modules/.bin/tsx');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ['scripts/roadshow.ts', ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('online backup', () => {
  it('backs up while scores are being recorded; the copy and a restore verify', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-backup-'));
    const file = path.join(dir, 'roadshow.db');
    const opened = openSqlite(file);
    await migrateToLatest(opened.db);
    const app = createApp({
      config: testConfig({ dataDir: dir, databaseFile: file }),
      db: opened.db,
      logger: createLogger('silent'),
    });
    const f = await seedLiveContest(app.services, { judges: 11, projects: 6 });
    const organizer = { kind: 'organizer' as const, id: 1 };

    // Judges keep scoring project after project while the backup runs in another process.
    let scoring = true;
    let acknowledged = 0;
    const judging = (async () => {
      for (let p = 1; scoring; p = (p % (f.projectIds.length - 1)) + 1) {
        await app.services.stage.act(f.slug, organizer, {
          kind: 'call',
          roundId: f.roundId,
          projectId: f.projectIds[p],
        });
        await app.services.stage.act(f.slug, organizer, { kind: 'open-scoring' });
        for (let j = 0; j < f.judgeIds.length; j++) {
          await app.services.scores.record(
            { judgeId: f.judgeIds[j]!, contestId: f.contestId },
            {
              submissionId: submissionId(),
              roundId: f.roundId,
              projectId: f.projectIds[p],
              marks: { innovation: 10 + j / 2, team: j },
            },
          );
          acknowledged++;
          // Let I/O in (as real HTTP requests would): SQLite calls here resolve without leaving the microtask queue.
          await new Promise((resolve) => setImmediate(resolve));
        }
        await app.services.stage.act(f.slug, organizer, { kind: 'close-scoring' });
      }
    })();
    const out = path.join(dir, 'copy.db');
    const backup = await cli(['backup', '--out', out], { DATA_DIR: dir, LOG_LEVEL: 'silent' });
    scoring = false;
    await judging;
    expect(backup.err).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.out).toContain('integrity_check: ok');
    expect(backup.out).toContain('backup verified');

    const verify = await cli(['backup:verify', out], {});
    expect(verify.code).toBe(0);

    // Restore: a server opened on the copy sees a consistent prefix with a verifying ledger.
    const restored = openSqlite(out);
    const app2 = createApp({
      config: testConfig({ dataDir: dir, databaseFile: out }),
      db: restored.db,
      logger: createLogger('silent'),
    });
    expect(await app2.services.ledger.verify(f.contestId)).toMatchObject({ ok: true });
    const copied = (restored.sqlite.prepare('SELECT count(*) AS n FROM score_version').get() as { n: number }).n;
    // The copy is a snapshot taken mid-stream: some scores before it, more acknowledged after it.
    expect(copied).toBeGreaterThan(0);
    expect(copied).toBeLessThan(acknowledged);
    const ledgerScores = (
      restored.sqlite.prepare("SELECT count(*) AS n FROM ledger_entry WHERE action = 'score.recorded'").get() as {
        n: number;
      }
    ).n;
    expect(ledgerScores).toBe(copied);

    // A damaged copy is caught.
    restored.sqlite.prepare("UPDATE ledger_entry SET action = 'stage.cal1' WHERE seq = 1").run();
    const bad = await cli(['backup:verify', out], {});
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/BAD at seq 1/);

    await app2.close();
    await restored.db.destroy();
    await app.close();
    await opened.db.destroy();
  }, 120_000);
});
