/**
 * Runs both fuzzers against one real server process: the JSON endpoints over HTTP first, then raw
 * Socket.IO traffic (with well-behaved watchers), within a time budget, and summarizes the
 * findings for the console and docs/security-results.md.
 */
import { formatDuration } from '../crash/report.js';
import { createFuzzContext } from './context.js';
import { Findings, type Finding } from './findings.js';
import { fuzzHttp, type HttpFuzzStats } from './http-fuzz.js';
import { fuzzSockets, type SocketFuzzStats } from './socket-fuzz.js';

export interface FuzzOptions {
  seconds: number;
  seed: number;
  /** Share of the time for HTTP (the rest for sockets). */
  httpShare: number;
  log: (line: string) => void;
}

export interface FuzzSummary {
  ok: boolean;
  seed: number;
  seconds: number;
  http: HttpFuzzStats;
  sockets: SocketFuzzStats;
  findings: Finding[];
  serverAliveAtEnd: boolean;
  unexpectedExit: boolean;
  durationMs: number;
}

export async function runFuzz(partial: Partial<FuzzOptions> = {}): Promise<FuzzSummary> {
  const opts: FuzzOptions = {
    seconds: 60,
    seed: Date.now() % 1_000_000,
    httpShare: 0.7,
    log: () => undefined,
    ...partial,
  };
  const started = Date.now();
  const ctx = await createFuzzContext(opts.log);
  const findings = new Findings();
  try {
    const budget = opts.seconds * 1000 - (Date.now() - started);
    const http = await fuzzHttp(ctx, findings, {
      timeMs: Math.max(1000, budget * opts.httpShare),
      seed: opts.seed,
      log: opts.log,
    });
    opts.log(`HTTP: ${http.requests} requests in ${formatDuration(http.durationMs)}, ${findings.list.length} findings`);
    const sockets = await fuzzSockets(ctx, findings, {
      timeMs: Math.max(1000, opts.seconds * 1000 - (Date.now() - started)),
      seed: opts.seed,
      log: opts.log,
    });
    opts.log(`sockets: ${sockets.runs} connections, ${sockets.frames} frames in ${formatDuration(sockets.durationMs)}`);
    const serverAliveAtEnd = await ctx.server.healthy();
    const unexpectedExit = http.restarts + sockets.restarts > 0;
    return {
      ok: findings.list.length === 0 && serverAliveAtEnd && !unexpectedExit,
      seed: opts.seed,
      seconds: opts.seconds,
      http,
      sockets,
      findings: findings.list,
      serverAliveAtEnd,
      unexpectedExit,
      durationMs: Date.now() - started,
    };
  } finally {
    await ctx.close();
  }
}

const unreached = (s: FuzzSummary) => s.http.targetIds.filter((id) => !s.http.reached.has(id));

const top = (counts: Record<string, number>, n = 12) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

export function formatFuzzSummary(s: FuzzSummary): string {
  const lines = [
    `Fuzz ${s.ok ? 'PASSED' : 'FAILED'} — ${formatDuration(s.durationMs)}, seed ${s.seed}`,
    `HTTP: ${s.http.requests} requests to ${s.http.targets} endpoints (${s.http.reached.size} reached a 2xx); statuses ${top(s.http.statuses)}; connections closed by the server ${s.http.connectionsClosed}`,
    `  error codes: ${top(s.http.errorCodes)}`,
    `  never 2xx (always refused, as fuzzed): ${unreached(s).join(', ') || 'none'}`,
    `Socket.IO: ${s.sockets.runs} raw connections, ${s.sockets.frames} frames (${(s.sockets.bytes / 1e6).toFixed(1)} MB), ${s.sockets.refusedHandshakes} refused handshakes, ${s.sockets.closedByServer} closed by the server, ${s.sockets.pushChecks} push checks`,
    `Server alive at the end: ${s.serverAliveAtEnd ? 'yes' : 'NO'}; restarts after a crash: ${s.http.restarts + s.sockets.restarts}; inputs the fuzzer could not build: ${s.http.harnessErrors.length}`,
  ];
  if (s.findings.length) {
    lines.push('Findings:');
    for (const f of s.findings)
      lines.push(
        `  ✗ ${f.kind} ${f.where} (${f.actor}, ${f.status ?? '-'}) ×${f.count}: ${f.detail}\n      input: ${f.input}`,
      );
  } else lines.push('Findings: none');
  return lines.join('\n');
}

export function fuzzMarkdown(s: FuzzSummary, when = new Date()): string {
  const statuses = top(s.http.statuses);
  return [
    '## Fuzzing (last long run)',
    '',
    `Run \`npx tsx scripts/fuzz.ts --seconds ${s.seconds}\` on ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC: **${s.ok ? 'passed' : 'FAILED'}** (seed ${s.seed}, ${formatDuration(s.durationMs)}).`,
    '',
    '| | |',
    '|---|---|',
    `| HTTP requests | ${s.http.requests} to ${s.http.targets} JSON endpoints as anonymous, audience, judge and organizer (token and session); ${s.http.reached.size} endpoints reached a 2xx |`,
    `| Statuses | ${statuses} |`,
    `| Most frequent error codes | ${top(s.http.errorCodes, 10)} |`,
    `| Endpoints never answering 2xx to the fuzzer | ${
      unreached(s)
        .map((id) => `\`${id}\``)
        .join(', ') || 'none'
    } |`,
    `| Connections the server closed (body over the limit etc.), still healthy | ${s.http.connectionsClosed} |`,
    `| Raw Socket.IO connections | ${s.sockets.runs} (${s.sockets.frames} frames, ${(s.sockets.bytes / 1e6).toFixed(1)} MB; ${s.sockets.refusedHandshakes} handshakes refused, ${s.sockets.closedByServer} closed by the server) |`,
    `| Push checks (screen, organizer, judge watchers) | ${s.sockets.pushChecks} |`,
    `| 5xx / partial writes / crashes | ${s.findings.filter((f) => f.kind === '5xx').length} / ${s.findings.filter((f) => f.kind === 'partial-write' || f.kind === 'get-wrote').length} / ${s.findings.filter((f) => f.kind === 'crash').length} |`,
    '',
    s.findings.length ? 'Findings of this run:' : 'No findings in this run.',
    ...s.findings.map(
      (f) =>
        `- ❌ ${f.kind} \`${f.where}\` (${f.actor}, ${f.status ?? '-'}, ×${f.count}): ${f.detail.replace(/\n/g, ' ')}`,
    ),
  ].join('\n');
}
