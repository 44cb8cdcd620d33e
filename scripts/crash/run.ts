/**
 * The crash test's supervisor: seeds a DATA_DIR, starts the real server, signs in N simulated
 * tablets, and while they submit and retry, kills the server with SIGKILL at random moments
 * (mostly while it serves, some during startup) at least `kills` times, restarting it each time.
 * Then it stops generating, lets every tablet drain its outbox on a last life of the server,
 * fetches the results and the leaderboard, kills the server once more and checks the database
 * (checks.ts). Traffic goes to 127.0.0.1 only; every loop is bounded in count and time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkAfterCrashes, type Check, type ServedResults } from './checks.js';
import { request } from './http-client.js';
import { formatDuration } from './report.js';
import { createRng, sleep } from './rng.js';
import { seedDataDir } from './seed.js';
import { freePort, ServerProcess } from './server-process.js';
import { Tablet, type TabletStats } from './tablet.js';

export interface CrashOptions {
  kills: number;
  judges: number;
  projects: number;
  seed: number;
  /** Longest time the server lives after it is ready before the next kill (ms). */
  maxUptimeMs: number;
  /** Share of kills that land during startup, before /healthz answers. */
  startupKillShare: number;
  /** Upper bound on the whole run; the test fails when it is exceeded. */
  timeLimitMs: number;
  keepDataDir: boolean;
  log: (line: string) => void;
}

export const DEFAULT_CRASH_OPTIONS: CrashOptions = {
  kills: 100,
  judges: 8,
  projects: 6,
  seed: Date.now() % 1_000_000,
  maxUptimeMs: 2000,
  startupKillShare: 0.1,
  timeLimitMs: 60 * 60 * 1000,
  keepDataDir: false,
  log: () => undefined,
};

export interface CrashSummary {
  ok: boolean;
  seed: number;
  judges: number;
  projects: number;
  kills: number;
  startupKills: number;
  /** Kills that landed with at least one score request in flight. */
  killsWithRequestsInFlight: number;
  requestsInFlightAtKills: number;
  unexpectedExits: number;
  stats: TabletStats;
  durationMs: number;
  meanStartupMs: number;
  checks: Check[];
  problems: string[];
  dataDir: string | null;
}

export async function runCrashTest(partial: Partial<CrashOptions> = {}): Promise<CrashSummary> {
  const opts = { ...DEFAULT_CRASH_OPTIONS, ...partial };
  const started = Date.now();
  const deadline = started + opts.timeLimitMs;
  const overdue = () => Date.now() > deadline;
  const rng = createRng(opts.seed);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roadshow-crash-'));
  const port = await freePort();
  const target = { host: '127.0.0.1' as const, port };
  opts.log(`seed ${opts.seed}; DATA_DIR ${dataDir}; server on 127.0.0.1:${port}`);
  const seeded = await seedDataDir(dataDir, {
    judges: opts.judges,
    projects: opts.projects,
    publicUrl: `http://127.0.0.1:${port}`,
  });
  const server = new ServerProcess({ dataDir, port });
  const problems: string[] = [];
  const startupTimes: number[] = [];
  let startupKills = 0;
  let killsWithRequestsInFlight = 0;
  let requestsInFlightAtKills = 0;
  let unexpectedExits = 0;
  let kills = 0;
  let served: ServedResults | null = null;
  let tablets: Tablet[] = [];
  let active = true;
  let generating = true;
  const loops: Promise<void>[] = [];

  const startServer = async (): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      server.start();
      try {
        startupTimes.push(await server.waitReady());
        return;
      } catch (err) {
        if (attempt >= 3 || overdue()) throw err;
        problems.push(`server failed to start (attempt ${attempt}): ${String(err).slice(0, 300)}`);
        await server.kill();
        await sleep(200);
      }
    }
  };

  try {
    await startServer();
    tablets = seeded.judgeIds.map(
      (judgeId, i) =>
        new Tablet(judgeId, {
          target,
          localAddress: `127.0.0.${20 + i}`,
          roundId: seeded.roundId,
          projectIds: seeded.projectIds.filter((p) => !seeded.recusals.some(([j, rp]) => j === judgeId && rp === p)),
          criteria: seeded.criteria,
          linkPath: seeded.links.get(judgeId)!,
          rng: createRng(opts.seed * 31 + i + 1),
          maxPending: 8,
        }),
    );
    for (const t of tablets) await t.signIn();
    opts.log(`${tablets.length} tablets signed in; killing the server ${opts.kills} times`);

    for (const t of tablets) loops.push(t.run(() => active && !overdue()));
    loops.push(
      (async () => {
        while (generating && !overdue()) {
          for (const t of tablets) if (rng.chance(0.5)) t.generate();
          await sleep(rng.int(15, 90));
        }
      })(),
    );

    while (kills < opts.kills) {
      if (overdue()) throw new Error(`time limit of ${formatDuration(opts.timeLimitMs)} reached after ${kills} kills`);
      const duringStartup = kills > 0 && rng.chance(opts.startupKillShare);
      if (!server.running) {
        if (duringStartup) {
          server.start();
          const typical = startupTimes.length ? startupTimes.reduce((a, b) => a + b, 0) / startupTimes.length : 3000;
          await sleep(rng.int(0, Math.round(typical)));
        } else {
          await startServer();
          for (const t of tablets) t.wake();
          await sleep(rng.int(30, opts.maxUptimeMs));
        }
      }
      if (!server.running) {
        // It died on its own: that is a finding, not a kill.
        unexpectedExits++;
        problems.push(`server exited on its own: ${JSON.stringify(server.lastExit)}\n${server.tail(10)}`);
        continue;
      }
      const inFlight = tablets.filter((t) => t.inFlight).length;
      await server.kill();
      kills++;
      if (duringStartup) startupKills++;
      if (inFlight) killsWithRequestsInFlight++;
      requestsInFlightAtKills += inFlight;
      const acks = tablets.reduce((n, t) => n + t.stats.acks, 0);
      if (kills % 10 === 0 || kills === opts.kills)
        opts.log(
          `kill ${kills}/${opts.kills}${duringStartup ? ' (startup)' : ''}: ${acks} acks so far, ${inFlight} in flight, ${formatDuration(Date.now() - started)}`,
        );
    }

    // Last life: no new sheets; every outbox drains.
    generating = false;
    await startServer();
    for (const t of tablets) t.wake();
    const drainUntil = Math.min(deadline, Date.now() + 120_000);
    while (tablets.some((t) => t.pendingCount > 0 || t.inFlight) && Date.now() < drainUntil) await sleep(50);
    active = false;
    await Promise.all(loops);
    const headers = { authorization: `Bearer ${seeded.apiToken}`, accept: 'application/json' };
    const results = await request(target, {
      method: 'GET',
      path: `/api/v1/contests/${seeded.slug}/results?round=${seeded.roundKey}`,
      headers,
    });
    const board = await request(target, {
      method: 'GET',
      path: `/api/v1/contests/${seeded.slug}/leaderboard`,
      headers,
    });
    if (results.status === 200 && board.status === 200)
      served = {
        results: results.json as ServedResults['results'],
        leaderboard: board.json as ServedResults['leaderboard'],
      };
    else problems.push(`results ${results.status}, leaderboard ${board.status}`);
    // The checks run on a database whose server was killed, not shut down.
    await server.kill();
  } finally {
    active = false;
    generating = false;
    await server.kill();
    await Promise.all(loops);
  }

  for (const t of tablets) problems.push(...t.problems);
  const checks = await checkAfterCrashes(seeded, tablets, served);
  const stats = tablets.reduce<TabletStats>(
    (sum, t) => {
      for (const k of Object.keys(sum) as (keyof TabletStats)[]) sum[k] += t.stats[k];
      return sum;
    },
    {
      generated: 0,
      attempts: 0,
      retries: 0,
      acks: 0,
      replayAcks: 0,
      networkErrors: 0,
      serverErrors: 0,
      rateLimited: 0,
      authRetries: 0,
      refused: 0,
    },
  );
  const ok = checks.every((c) => c.ok) && kills >= opts.kills && unexpectedExits === 0;
  if (!opts.keepDataDir && ok) fs.rmSync(dataDir, { recursive: true, force: true });
  return {
    ok,
    seed: opts.seed,
    judges: opts.judges,
    projects: opts.projects,
    kills,
    startupKills,
    killsWithRequestsInFlight,
    requestsInFlightAtKills,
    unexpectedExits,
    stats,
    durationMs: Date.now() - started,
    meanStartupMs: startupTimes.length ? Math.round(startupTimes.reduce((a, b) => a + b, 0) / startupTimes.length) : 0,
    checks,
    problems,
    dataDir: !opts.keepDataDir && ok ? null : dataDir,
  };
}

export function formatCrashSummary(s: CrashSummary): string {
  const st = s.stats;
  const lines = [
    `Crash test ${s.ok ? 'PASSED' : 'FAILED'} — ${s.kills} SIGKILLs (${s.startupKills} during startup, ${s.killsWithRequestsInFlight} with score posts in flight: ${s.requestsInFlightAtKills} posts cut off), ${s.unexpectedExits} unexpected exits`,
    `Duration ${formatDuration(s.durationMs)} (mean startup ${s.meanStartupMs} ms); seed ${s.seed}; ${s.judges} judges × ${s.projects} projects`,
    `Submissions: ${st.generated} generated, ${st.acks} acknowledged (${st.replayAcks} of them replays: committed before a kill, answer lost, resent with the same id), ${st.refused} refused`,
    `Requests: ${st.attempts} score posts, ${st.retries} retries (network errors ${st.networkErrors}, 5xx ${st.serverErrors}, 408/429 ${st.rateLimited}, session/CSRF ${st.authRetries})`,
    'Checks:',
    ...s.checks.map((c) => `  ${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`),
  ];
  if (s.problems.length) lines.push('Problems:', ...s.problems.slice(0, 20).map((p) => `  - ${p}`));
  if (s.dataDir) lines.push(`Data kept in ${s.dataDir}`);
  return lines.join('\n');
}

export function crashMarkdown(s: CrashSummary, when = new Date()): string {
  const st = s.stats;
  return [
    '## Crash safety (last long run)',
    '',
    `Run \`npm run roadshow -- crash-test --kills ${s.kills}\` on ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC: **${s.ok ? 'passed' : 'FAILED'}**.`,
    '',
    '| | |',
    '|---|---|',
    `| SIGKILLs | ${s.kills} (${s.startupKills} during startup; ${s.killsWithRequestsInFlight} with score posts in flight, ${s.requestsInFlightAtKills} posts cut off) |`,
    `| Unexpected exits | ${s.unexpectedExits} |`,
    `| Tablets | ${s.judges} judges, ${s.projects} projects, seed ${s.seed} |`,
    `| Submissions | ${st.generated} generated, **${st.acks} acknowledged**, ${st.refused} refused |`,
    `| Replays | ${st.replayAcks} (committed, answer lost to a kill, resent with the same id: original receipt returned) |`,
    `| Score posts | ${st.attempts} (${st.retries} retries: ${st.networkErrors} network errors, ${st.serverErrors} 5xx, ${st.rateLimited} 408/429, ${st.authRetries} session/CSRF) |`,
    `| Duration | ${formatDuration(s.durationMs)} (mean server startup ${s.meanStartupMs} ms) |`,
    '',
    'Checks (on the database after the final SIGKILL):',
    '',
    ...s.checks.map((c) => `- ${c.ok ? '✅' : '❌'} **${c.name}** — ${c.detail}`),
    ...(s.problems.length
      ? ['', 'Problems:', '', ...s.problems.slice(0, 20).map((p) => `- ${p.replace(/\n/g, ' ')}`)]
      : []),
  ].join('\n');
}
