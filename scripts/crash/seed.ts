/**
 * Prepares a DATA_DIR before the server starts, through the real services (so every row, ledger
 * entry and revision is what the app itself writes): an owner with a known password and an API
 * token, a live contest with one roadshow round (three weighted criteria, the default trimmed
 * mean), N judges with private links, M approved projects, one recusal, the audience board set to
 * `live`, and a scoring window open on every project of the round.
 *
 * The stage opens one window at a time; the crash test wants judges scoring several projects at
 * once, so by default the windows are inserted directly (a test-setup shortcut: the stage stays
 * idle and is never used by the crash test). The fuzzer, which drives the stage, opens one window
 * through the stage instead.
 * Optionally also a contest open for registration and an open audience vote (for the fuzzer).
 */
import fs from 'node:fs';
import { migrateToLatest, openSqlite } from '../../db/database.js';
import { loadConfig } from '../../server/config.js';
import { systemClock } from '../../server/services/clock.js';
import { createServices } from '../../server/services/index.js';

export interface SeedOptions {
  judges: number;
  projects: number;
  /** Public URL the links are issued for (the server's loopback URL). */
  publicUrl: string;
  /** Also a contest in status registration-open (slug `open-call`). */
  registration?: boolean;
  /** Also open the audience vote of the live round. */
  vote?: boolean;
  /**
   * Open a scoring window on every project directly (default). When false, the stage calls the
   * second project and opens scoring the way the host would (one window).
   */
  openAllWindows?: boolean;
}

export interface SeededCriterion {
  key: string;
  minCenti: number;
  maxCenti: number;
  stepCenti: number;
  weightMilli: number;
}

export interface Seeded {
  dataDir: string;
  databaseFile: string;
  slug: string;
  contestId: number;
  roundId: number;
  roundKey: string;
  judgeIds: number[];
  projectIds: number[];
  /** [judgeId, projectId] pairs the judge may not score. */
  recusals: [number, number][];
  criteria: SeededCriterion[];
  owner: { id: number; email: string; password: string };
  apiToken: string;
  /** Link path (/j/…) per judge id. */
  links: Map<number, string>;
  registrationSlug: string | null;
}

export const OWNER_PASSWORD = 'crash-test-owner-password';

export async function seedDataDir(dataDir: string, opts: SeedOptions): Promise<Seeded> {
  fs.mkdirSync(dataDir, { recursive: true });
  const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: opts.publicUrl, LOG_LEVEL: 'silent' });
  const opened = openSqlite(config.databaseFile);
  try {
    await migrateToLatest(opened.db);
    const services = createServices(opened.db, systemClock, config);
    const email = 'owner@crash.test';
    const { id: ownerId } = await services.users.create(
      { email, displayName: 'Crash Test Owner', role: 'owner' },
      OWNER_PASSWORD,
    );
    opened.sqlite.prepare('UPDATE organizer_user SET must_change_password = 0 WHERE id = ?').run(ownerId);
    const { token: apiToken } = await services.users.createToken(email, 'crash test');

    const slug = 'crash-live';
    const c = services.contests;
    await c.createContest({ slug, name: { zh: '崩溃测试赛', en: 'Crash test' }, status: 'live' });
    await c.editPart(slug, 'tracks', { kind: 'add', input: { key: 'ai', name: { zh: 'AI+医疗健康' } } });
    await c.editPart(slug, 'tracks', { kind: 'add', input: { key: 'device', name: { zh: '医疗器械' } } });
    await c.editPart(slug, 'rounds', {
      kind: 'add',
      input: { key: 'final', name: { zh: '决赛' }, kind: 'roadshow', pitchSeconds: 300, qaSeconds: 300 },
    });
    const criteria = [
      { key: 'innovation', name: { zh: '创新性' }, max: 20, step: 0.5, weight: 1.5 },
      { key: 'team', name: { zh: '团队' }, max: 15, step: 1, weight: 1 },
      { key: 'market', name: { zh: '市场' }, max: 10, step: 0.25, weight: 0.5 },
    ];
    for (const input of criteria) await c.editPart(slug, 'criteria', { kind: 'add', input }, 'final');
    for (let i = 1; i <= opts.judges; i++) {
      await c.editPart(slug, 'judges', {
        kind: 'add',
        input: { key: `j${i}`, name: `评委${i}`, institution: `单位${i}`, group: 'clinical', isHeadJudge: i === 1 },
      });
    }
    for (let i = 1; i <= opts.projects; i++) {
      await c.editPart(slug, 'projects', {
        kind: 'add',
        input: {
          ref: `RS-2024-${String(i).padStart(4, '0')}`,
          title: `项目${i}`,
          trackKey: i % 2 ? 'ai' : 'device',
          institution: `医院${i}`,
          leader: { name: `负责人${i}` },
          status: 'approved',
        },
      });
    }
    await c.editPart(slug, 'conflicts', {
      kind: 'add',
      input: { judgeKey: 'j2', projectRef: 'RS-2024-0001', reason: '同单位' },
    });
    const loaded = await c.load(slug);
    const roundId = loaded.ids.rounds.get('final')!;
    const judgeIds = loaded.doc.judges.map((j) => loaded.ids.judges.get(j.key)!);
    const projectIds = loaded.doc.projects.map((p) => loaded.ids.projects.get(p.ref)!);
    const actor = { kind: 'organizer' as const, id: ownerId };
    await services.leaderboard.setPolicy(slug, actor, { roundKey: 'final', policy: 'live' });

    if (opts.openAllWindows ?? true) {
      const now = new Date().toISOString();
      const open = opened.sqlite.prepare(
        'INSERT INTO scoring_window (round_id, project_id, opened_at, closed_at, closed_by) VALUES (?, ?, ?, NULL, NULL)',
      );
      for (const projectId of projectIds) open.run(roundId, projectId, now);
    } else {
      await services.stage.act(slug, actor, { kind: 'call', roundId, projectId: projectIds[1] });
      await services.stage.act(slug, actor, { kind: 'open-scoring' });
    }

    const issued = await services.judgeLinks.issue(loaded.id, judgeIds, ownerId);
    const links = new Map(issued.map((l) => [l.judgeId, new URL(l.url).pathname]));

    if (opts.vote) await services.votes.act(slug, 'final', actor, 'open');

    let registrationSlug: string | null = null;
    if (opts.registration) {
      registrationSlug = 'open-call';
      await c.createContest({ slug: registrationSlug, name: { zh: '公开征集' }, status: 'registration-open' });
      await c.editPart(registrationSlug, 'tracks', { kind: 'add', input: { key: 'ai', name: { zh: 'AI' } } });
    }

    const rows = opened.sqlite
      .prepare(
        'SELECT key, min_centi, max_centi, step_centi, weight_milli FROM criterion WHERE round_id = ? ORDER BY position',
      )
      .all(roundId) as {
      key: string;
      min_centi: number;
      max_centi: number;
      step_centi: number;
      weight_milli: number;
    }[];
    return {
      dataDir,
      databaseFile: config.databaseFile,
      slug,
      contestId: loaded.id,
      roundId,
      roundKey: 'final',
      judgeIds,
      projectIds,
      recusals: [[judgeIds[1]!, projectIds[0]!]],
      criteria: rows.map((r) => ({
        key: r.key,
        minCenti: r.min_centi,
        maxCenti: r.max_centi,
        stepCenti: r.step_centi,
        weightMilli: r.weight_milli,
      })),
      owner: { id: ownerId, email, password: OWNER_PASSWORD },
      apiToken,
      links,
      registrationSlug,
    };
  } finally {
    await opened.db.destroy();
  }
}
