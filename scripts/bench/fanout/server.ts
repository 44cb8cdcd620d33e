/**
 * The fan-out bench's server runner (forked by scripts/bench/fanout.ts, with --expose-gc).
 *
 * `app`: the real application (createApp) on 127.0.0.1 with a file SQLite database in a temp
 * directory (WAL, synchronous=FULL, as in production), a seeded live contest (11 judges, 4
 * projects), project 2 called and its scoring window open, the round's release policy 'live'
 * (so every score also recomputes and pushes the audience leaderboard), and a fresh private
 * link per judge. Answers 'ready' with what the orchestrator needs to sign judges in.
 *
 * `app-split`: the same app with the audience relay on (server/realtime/audience-server.ts), and
 * `audience <relayPort>`: the second process serving /screen, fed by that relay.
 *
 * `floor`: a bare `ws` server (perMessageDeflate off) and a tiny HTTP endpoint `POST /broadcast`
 * taking a JSON array of frames (the app's stage frame and the audience frames that followed it)
 * and sending each, encoded once, to every connected socket with ws's `send`, in order, then
 * answering 204: a plain bare-ws broadcast of the same bytes. `POST /broadcast?preframed=1` instead
 * builds each WebSocket frame once as one buffer and writes it to every raw socket (the write path
 * the app's /screen broadcasts use): the least work any server can do to deliver them.
 *
 * Both answer 'mem' (memory after forced GC) and exit on 'stop' or when the parent goes away.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as wsModule from 'ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FromServer, ServerMode, ToServer } from './protocol.js';

const mode = (process.argv[2] ?? 'app') as ServerMode;
/** ws's frame builder (untyped): header + payload buffers for one WebSocket frame. */
const Sender = (
  wsModule as unknown as {
    Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
  }
).Sender;
const gc = (globalThis as { gc?: () => void }).gc;

function send(message: FromServer): void {
  process.send?.(message);
}

function memory(): FromServer {
  if (gc) for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return {
    type: 'mem',
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    gc: Boolean(gc),
  };
}

async function startApp(split: boolean): Promise<{ stop: () => Promise<void> }> {
  const { createApp } = await import('../../../server/app.js');
  const { createLogger } = await import('../../../server/logger.js');
  const { migrateToLatest, openSqlite } = await import('../../../db/database.js');
  const { seedLiveContest } = await import('../../../tests/support/fixtures.js');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roadshow-fanout-'));
  const opened = openSqlite(path.join(dir, 'bench.db'));
  await migrateToLatest(opened.db);
  const built = createApp({
    config: {
      port: 0,
      host: '127.0.0.1',
      dataDir: dir,
      databaseFile: opened.file,
      publicUrl: 'http://127.0.0.1:3000',
      sessionSecret: 'fanout-bench-secret-fanout-bench-secret',
      logLevel: 'silent',
      env: 'production',
      trustProxy: false,
      secureCookies: false,
    },
    db: opened.db,
    logger: createLogger('silent'),
  });
  const f = await seedLiveContest(built.services, { slug: 'fanout-bench' });
  const organizer = { kind: 'organizer' as const, id: 1 };
  const projectId = f.projectIds[1]!;
  await built.services.stage.act(f.slug, organizer, { kind: 'call', roundId: f.roundId, projectId });
  await built.services.stage.act(f.slug, organizer, { kind: 'open-scoring' });
  await built.services.leaderboard.setPolicy(f.slug, organizer, { roundKey: 'final', policy: 'live' });
  const links = await built.services.judgeLinks.issue(f.contestId, f.judgeIds, 1);
  const relay = split
    ? await (
        await import('../../../server/realtime/audience-server.js')
      ).attachAudienceRelay(built.io, built.services, {
        port: 0,
      })
    : null;
  await new Promise<void>((resolve) => built.httpServer.listen(0, '127.0.0.1', resolve));
  send({
    type: 'ready',
    port: (built.httpServer.address() as AddressInfo).port,
    slug: f.slug,
    roundId: f.roundId,
    projectId,
    judgeLinks: links.map((l) => new URL(l.url).pathname),
    perMessageDeflate: built.io.engine.opts.perMessageDeflate,
    ...(relay ? { relayPort: relay.port } : {}),
  });
  return {
    async stop() {
      await relay?.close();
      built.httpServer.closeAllConnections();
      await built.close();
      await opened.db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startFloor(): Promise<{ stop: () => Promise<void> }> {
  const clients = new Set<WebSocket>();
  const server = http.createServer((req, res) => {
    const preframed = req.url === '/broadcast?preframed=1';
    if (req.method !== 'POST' || (req.url !== '/broadcast' && !preframed)) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // The frames of one push (stage, then leaderboard/screen), each encoded once, sent in order.
      const frames = (JSON.parse(Buffer.concat(chunks).toString()) as string[]).map((f) => Buffer.from(f));
      if (preframed) {
        // Each frame built once as one buffer (header + payload) and written to every raw socket:
        // the write path the app's /screen broadcasts use (server/realtime/single-buffer-frames.ts).
        for (const frame of frames) {
          const wire = Buffer.concat(Sender.frame(frame, { fin: true, opcode: 1, mask: false, readOnly: false }));
          for (const ws of clients) (ws as unknown as { _socket: import('node:net').Socket })._socket.write(wire);
        }
      } else for (const frame of frames) for (const ws of clients) ws.send(frame, { binary: false });
      res.writeHead(204).end();
    });
  });
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  send({ type: 'ready', port: (server.address() as AddressInfo).port, perMessageDeflate: false });
  return {
    async stop() {
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function startAudience(relayPort: number): Promise<{ stop: () => Promise<void> }> {
  const { startAudienceServer } = await import('../../../server/realtime/audience-server.js');
  const audience = await startAudienceServer({ port: 0, relayPort, publicUrl: 'http://127.0.0.1:3000' });
  send({ type: 'ready', port: audience.port, perMessageDeflate: audience.io.engine.opts.perMessageDeflate });
  return {
    async stop() {
      audience.httpServer.closeAllConnections();
      await audience.close();
    },
  };
}

let running: { stop: () => Promise<void> } | null = null;

/** Answers once this process has been mostly idle (< 20% busy) for 100 ms, or after 5 s. */
async function quiet(): Promise<void> {
  const until = Date.now() + 5_000;
  let last = performance.eventLoopUtilization();
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const current = performance.eventLoopUtilization();
    if (performance.eventLoopUtilization(current, last).utilization < 0.2) break;
    last = current;
  }
  send({ type: 'quiet' });
}

process.on('message', (message: ToServer) => {
  if (message.type === 'mem') send(memory());
  if (message.type === 'quiet') void quiet();
  if (message.type === 'stop') {
    void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));

try {
  running =
    mode === 'floor'
      ? await startFloor()
      : mode === 'audience'
        ? await startAudience(Number(process.argv[3]))
        : await startApp(mode === 'app-split');
} catch (err) {
  send({ type: 'error', message: (err as Error).stack ?? String(err) });
  process.exit(1);
}
