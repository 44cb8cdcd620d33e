/**
 * What must hold after the crash test, checked on the database file once the server is gone:
 * every acknowledged score is stored exactly once (and as sent), nothing unacknowledged or
 * unknown was stored, no submission id appears twice, each sheet's versions run 1..n, SQLite's
 * integrity and foreign-key checks pass, `ledger:verify` (the real CLI) passes and the ledger
 * holds one score entry per stored score, and the results and the audience leaderboard the
 * server served equal an independent re-tally of the raw rows.
 */
import { spawn } from 'node:child_process';
import SQLite from 'better-sqlite3';
import { cmp, display, parseExact, retally, type Tally } from './retally.js';
import { ROOT, TSX } from './server-process.js';
import type { Seeded } from './seed.js';
import type { Tablet } from './tablet.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ServedResults {
  results: {
    revision: number;
    projects: { projectId: number; ref: string; exact: string | null; display: string | null; rank: number | null }[];
  };
  leaderboard: {
    revision: number;
    scoresShown: boolean;
    overall: { rows: { ref: string; rank: number | null; display: string | null }[] };
  };
}

const centi = (marks: Record<string, number>) =>
  Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, Math.round(v * 100)]));

function sameMarks(stored: string, sent: Record<string, number>): boolean {
  const a = JSON.parse(stored) as Record<string, number>;
  const b = centi(sent);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

const sample = (items: string[], n = 5) =>
  items.slice(0, n).join('; ') + (items.length > n ? ` (+${items.length - n} more)` : '');

export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, ['scripts/roadshow.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** Compares what the server served with the independent tally. */
export function compareWithTally(tally: Tally, served: ServedResults): Check[] {
  const mine = new Map(tally.rows.map((r) => [r.ref, r]));
  const resultProblems: string[] = [];
  for (const p of served.results.projects) {
    const m = mine.get(p.ref);
    if (!m) {
      resultProblems.push(`${p.ref}: not in the re-tally`);
      continue;
    }
    if ((p.exact === null) !== (m.score === null))
      resultProblems.push(`${p.ref}: served ${p.exact}, re-tally ${m.score ? 'scored' : 'unscored'}`);
    else if (p.exact !== null && m.score && cmp(parseExact(p.exact), m.score) !== 0)
      resultProblems.push(`${p.ref}: served ${p.exact}, re-tally ${m.score.num}/${m.score.den}`);
    if (m.score && p.display !== display(m.score, tally.decimals))
      resultProblems.push(`${p.ref}: display ${p.display}, re-tally ${display(m.score, tally.decimals)}`);
  }
  const servedRefs = new Set(served.results.projects.map((p) => p.ref));
  for (const r of tally.rows)
    if (r.score && !servedRefs.has(r.ref)) resultProblems.push(`${r.ref}: scored but not served`);

  // Ranks: a strictly higher re-tallied score must have a strictly better rank (ties may be broken either way).
  const rankProblems: string[] = [];
  const ranked = served.results.projects.filter((p) => mine.get(p.ref)?.score);
  for (const a of ranked)
    for (const b of ranked) {
      const sa = mine.get(a.ref)!.score!;
      const sb = mine.get(b.ref)!.score!;
      if (cmp(sa, sb) > 0 && !(a.rank !== null && b.rank !== null && a.rank < b.rank))
        rankProblems.push(`${a.ref} (rank ${a.rank}) scores above ${b.ref} (rank ${b.rank})`);
    }

  const boardProblems: string[] = [];
  const board = served.leaderboard;
  if (!board.scoresShown) boardProblems.push('the board hides scores (policy is not live)');
  for (const row of board.overall.rows) {
    const m = mine.get(row.ref);
    const expected = m?.score ? display(m.score, tally.decimals) : null;
    if (row.display !== expected) boardProblems.push(`${row.ref}: board shows ${row.display}, re-tally ${expected}`);
  }
  const boardRows = board.overall.rows.filter((r) => mine.get(r.ref)?.score);
  for (const a of boardRows)
    for (const b of boardRows) {
      if (
        cmp(mine.get(a.ref)!.score!, mine.get(b.ref)!.score!) > 0 &&
        !(a.rank !== null && b.rank !== null && a.rank < b.rank)
      )
        boardProblems.push(`board: ${a.ref} (rank ${a.rank}) scores above ${b.ref} (rank ${b.rank})`);
    }
  const scored = tally.rows.filter((r) => r.score).length;
  return [
    {
      name: 'results equal an independent re-tally',
      ok: resultProblems.length === 0,
      detail: resultProblems.length
        ? sample(resultProblems)
        : `${scored} projects: exact fractions and displayed scores match (${tally.rows.filter((r) => r.trimmed).length} trimmed means)`,
    },
    {
      name: 'ranking agrees with the re-tally',
      ok: rankProblems.length === 0,
      detail: rankProblems.length ? sample(rankProblems) : 'every strictly higher score has a strictly better rank',
    },
    {
      name: 'audience leaderboard equals the re-tally',
      ok: boardProblems.length === 0,
      detail: boardProblems.length
        ? sample(boardProblems)
        : `${board.overall.rows.length} rows, scores and rank order match`,
    },
  ];
}

export async function checkAfterCrashes(
  seeded: Seeded,
  tablets: Tablet[],
  served: ServedResults | null,
): Promise<Check[]> {
  const checks: Check[] = [];
  const sqlite = new SQLite(seeded.databaseFile);
  try {
    const rows = sqlite
      .prepare('SELECT id, submission_id, project_id, judge_id, round_id, version, marks FROM score_version')
      .all() as {
      id: number;
      submission_id: string;
      project_id: number;
      judge_id: number;
      round_id: number;
      version: number;
      marks: string;
    }[];
    const bySubmission = new Map<string, typeof rows>();
    for (const r of rows) bySubmission.set(r.submission_id, [...(bySubmission.get(r.submission_id) ?? []), r]);

    const acked = new Map(tablets.flatMap((t) => [...t.acked]));
    const sent = new Map(tablets.flatMap((t) => [...t.sent]));
    const refused = new Map(tablets.flatMap((t) => [...t.refusedIds]));

    const missing: string[] = [];
    const wrong: string[] = [];
    for (const [id, receipt] of acked) {
      const found = bySubmission.get(id) ?? [];
      if (found.length !== 1) {
        missing.push(`${id}: stored ${found.length}×`);
        continue;
      }
      const row = found[0]!;
      const body = sent.get(id)!;
      if (
        row.id !== receipt.scoreId ||
        row.version !== receipt.version ||
        row.judge_id !== body.judgeId ||
        row.project_id !== body.projectId ||
        !sameMarks(row.marks, body.marks)
      )
        wrong.push(`${id}: row ${row.id} v${row.version} vs receipt ${receipt.scoreId} v${receipt.version}`);
    }
    checks.push({
      name: 'every acknowledged score is stored exactly once',
      ok: missing.length === 0 && acked.size > 0,
      detail: missing.length ? sample(missing) : `${acked.size} acknowledged, ${acked.size} found once each`,
    });
    checks.push({
      name: 'stored rows match their receipts and payloads',
      ok: wrong.length === 0,
      detail: wrong.length ? sample(wrong) : 'score id, version, judge, project and marks as acknowledged',
    });

    const dupes = sqlite
      .prepare('SELECT submission_id, count(*) AS n FROM score_version GROUP BY submission_id HAVING n > 1')
      .all() as { submission_id: string; n: number }[];
    checks.push({
      name: 'no submission id appears twice',
      ok: dupes.length === 0,
      detail: dupes.length
        ? sample(dupes.map((d) => `${d.submission_id} ×${d.n}`))
        : `${rows.length} rows, all ids distinct`,
    });

    const unknown = rows.filter((r) => !sent.has(r.submission_id)).map((r) => r.submission_id);
    const unacked = rows
      .filter((r) => sent.has(r.submission_id) && !acked.has(r.submission_id))
      .map((r) => r.submission_id);
    const storedRefused = [...refused.keys()].filter((id) => bySubmission.has(id));
    const pending = tablets.reduce((n, t) => n + t.pendingCount, 0);
    checks.push({
      name: 'nothing unsent, unacknowledged or refused was stored; nothing left unsent',
      ok:
        unknown.length === 0 &&
        unacked.length === 0 &&
        storedRefused.length === 0 &&
        pending === 0 &&
        refused.size === 0,
      detail:
        unknown.length || unacked.length || storedRefused.length || pending || refused.size
          ? `unknown ${unknown.length}, unacknowledged ${unacked.length}, refused ${refused.size} (stored ${storedRefused.length}), still pending ${pending}`
          : `${sent.size} generated = ${acked.size} acknowledged = ${rows.length} stored; 0 refused`,
    });

    const gaps: string[] = [];
    const sheets = new Map<string, number[]>();
    for (const r of rows) {
      const key = `${r.round_id}:${r.project_id}:${r.judge_id}`;
      sheets.set(key, [...(sheets.get(key) ?? []), r.version]);
    }
    for (const [key, versions] of sheets) {
      versions.sort((a, b) => a - b);
      if (versions.some((v, i) => v !== i + 1)) gaps.push(`${key}: ${versions.join(',')}`);
    }
    checks.push({
      name: 'each sheet’s versions run 1..n',
      ok: gaps.length === 0,
      detail: gaps.length ? sample(gaps) : `${sheets.size} sheets, ${rows.length} versions, no gaps or repeats`,
    });

    const integrity = sqlite.pragma('integrity_check', { simple: true }) as string;
    const fk = sqlite.pragma('foreign_key_check') as unknown[];
    checks.push({
      name: 'PRAGMA integrity_check and foreign_key_check',
      ok: integrity === 'ok' && fk.length === 0,
      detail: `integrity_check: ${integrity}; foreign_key_check: ${fk.length} problems`,
    });

    const ledgerScores = sqlite
      .prepare("SELECT payload FROM ledger_entry WHERE contest_id = ? AND action = 'score.recorded'")
      .all(seeded.contestId) as { payload: string }[];
    const ledgerIds = new Set(
      ledgerScores.map((e) => (JSON.parse(e.payload) as { submissionId: string }).submissionId),
    );
    const notLedgered = rows.filter((r) => !ledgerIds.has(r.submission_id)).length;
    checks.push({
      name: 'one ledger entry per stored score',
      ok: ledgerScores.length === rows.length && ledgerIds.size === rows.length && notLedgered === 0,
      detail: `${ledgerScores.length} score.recorded entries for ${rows.length} rows; ${notLedgered} rows without an entry`,
    });

    if (served) {
      const revision = (
        sqlite.prepare('SELECT revision FROM contest WHERE id = ?').get(seeded.contestId) as { revision: number }
      ).revision;
      checks.push({
        name: 'served results are of the final state',
        ok: served.results.revision === revision && served.leaderboard.revision === revision,
        detail: `contest revision ${revision}; results ${served.results.revision}; leaderboard ${served.leaderboard.revision}`,
      });
      checks.push(...compareWithTally(retally(sqlite, seeded.roundId), served));
    } else {
      checks.push({ name: 'results equal an independent re-tally', ok: false, detail: 'results could not be fetched' });
    }
  } finally {
    sqlite.close();
  }

  const ledger = await runCli(['ledger:verify'], { DATA_DIR: seeded.dataDir });
  checks.push({
    name: 'ledger:verify',
    ok: ledger.code === 0 && ledger.out.includes('All ledgers verified.'),
    detail: ledger.out.trim().split('\n').filter(Boolean).join(' | ').slice(0, 300),
  });
  return checks;
}
