/**
 * The audience (/screen) served from a second process, so a push to thousands of big screens and
 * phones runs on another core and a judge's score POST never waits behind it (DESIGN.md: at ~20 µs
 * per socket, 10k viewers cost 0.2–0.4 s of CPU per push). Measured in docs/bench-fanout.md.
 *
 * Main app: `attachAudienceRelay(io, services, { port })` (call before any socket connects)
 * swaps the /screen namespace's adapter for a RelayAdapter (relay-adapter.ts) on a TCP hub, and
 * answers the audience servers' 'audience:watch' lookups (contest by slug + current stage view).
 * The broadcaster is unchanged: its `io.of('/screen').to(room).emit(…)` is encoded once, sent
 * once over the relay, and fanned out by each audience server to its own sockets.
 *
 * Audience server: `startAudienceServer(…)`, or run this file (`tsx server/realtime/audience-server.ts`)
 * with AUDIENCE_PORT (3001), AUDIENCE_HOST (127.0.0.1), RELAY_PORT (3002), RELAY_HOST (127.0.0.1),
 * RELAY_SECRET (needed beyond loopback) and PUBLIC_URL (for the Origin check). It serves only the
 * public /screen namespace — no sessions, no database: 'contest:watch' asks the main app over the
 * relay (lookups from many sockets arriving together share one request), joins the contest room,
 * acks with the revision and sends the current stage, exactly as realtime/io.ts does. Sockets keep
 * no reference to their handshake request (less memory per connection). Connection-state
 * recovery is off here (the relay keeps no log); screens resync by revision over HTTP.
 */
import type { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Server, type Socket } from 'socket.io';
import { Slug } from '../domain/contest-document.js';
import type { Services } from '../services/index.js';
import type { StageView } from '../services/stage.service.js';
import { NAMESPACES, type Ack } from './contract.js';
import { writeBroadcastFramesDirectly } from './direct-frame-writes.js';
import { allowedOrigin } from './origin.js';
import { RelayAdapter, RelayHub, RelayPeer, relayAdapter } from './relay-adapter.js';
import { contestRoom } from './rooms.js';

const WATCH = 'audience:watch';

type WatchAnswer = { ok: true; contestId: number; revision: number; stage: StageView } | { ok: false; code: string };

/** Main-app side: relays /screen through a hub on `port` and answers audience lookups. */
export async function attachAudienceRelay(
  io: Server,
  services: Services,
  opts: { port: number; host?: string; secret?: string },
): Promise<{ port: number; close(): Promise<void> }> {
  const hub = await RelayHub.listen(opts.port, opts.host, { secret: opts.secret });
  const screen = io.of(NAMESPACES.screen);
  const adapter = new RelayAdapter(screen, hub);
  screen.adapter = adapter;
  void adapter.init();

  async function lookup(slug: unknown): Promise<WatchAnswer> {
    const parsed = Slug.safeParse(slug);
    if (!parsed.success) return { ok: false, code: 'validation-failed' };
    const contest = (await services.contests.list()).find((c) => c.slug === parsed.data);
    if (!contest || contest.status === 'draft') return { ok: false, code: 'contest-not-found' };
    return {
      ok: true,
      contestId: contest.id,
      revision: contest.revision,
      stage: await services.stage.view(contest.slug),
    };
  }
  screen.on(WATCH, (slug: unknown, reply: unknown) => {
    if (typeof reply !== 'function') return;
    lookup(slug).then(
      (answer) => reply(answer),
      () => reply({ ok: false, code: 'internal' }),
    );
  });

  return {
    port: hub.port,
    async close() {
      adapter.close();
      await hub.close();
    },
  };
}

/**
 * Node flags for an audience server process. A fan-out allocates much and keeps little, so a small
 * young generation (4 MB semi-spaces instead of up to 16 MB) costs a few more cheap scavenges and
 * saves ~24 MB of resident memory (~2.4 KB per connection at 10,000 viewers).
 */
export const AUDIENCE_NODE_FLAGS = ['--max-semi-space-size=4'];

/** The `close` listener engine.io's WebSocket response puts on the TCP socket (see below). */
const RESPONSE_CLOSE_LISTENER = '() => this.emit("close")';

/**
 * No session or cookie is used here, so nothing needs a socket's handshake request once the
 * connection is open: drop it (the Socket.IO memory tip). engine.io's WebSocket response object
 * also holds it, and is itself held for the whole connection by a `close` listener on the TCP
 * socket (so that HTTP middlewares like pino-http hear of the end; none runs here). That object
 * reaches us as the `res` of an engine middleware: it lets go of the request, and its listener is
 * taken off so the response is collected too. ~2 KB per connection (the request, its headers and
 * stream state, the response and its listener). Should engine.io change that listener, it is left
 * alone (tests/integration/audience-server.test.ts then fails on the response still held).
 */
function releaseHandshakeRequests(io: Server): void {
  const responses = new WeakMap<object, { req?: unknown; socket?: EventEmitter }>();
  io.engine.use((req: object, res: { req?: unknown; socket?: EventEmitter }, next: () => void) => {
    // Only upgrades: a long-polling request's ServerResponse is Node's and still in use.
    if (!(res instanceof http.ServerResponse)) responses.set(req, res);
    next();
  });
  io.engine.on('connection', (raw: { request: object | null }) => {
    const res = raw.request && responses.get(raw.request);
    if (res) {
      res.req = null;
      const tcp = res.socket;
      const own = tcp
        ?.rawListeners('close')
        .find((l) => String((l as { listener?: unknown }).listener) === RESPONSE_CLOSE_LISTENER);
      if (own) tcp!.removeListener('close', own as (...args: unknown[]) => void);
    }
    raw.request = null;
  });
}

/**
 * What every audience socket's `handshake` is replaced with: no session and no auth here, so the
 * headers, query, URL, address and time Socket.IO copies per socket are never read. One frozen
 * object for all instead of five small ones each.
 */
const SHARED_HANDSHAKE: Socket['handshake'] = Object.freeze({
  headers: Object.freeze({}),
  time: '',
  address: '',
  xdomain: false,
  secure: false,
  issued: 0,
  url: '',
  query: Object.freeze({}),
  auth: Object.freeze({}),
});

/** Per-socket state an audience socket never uses: its own room (nothing is sent to one viewer by id) and the handshake. */
function slimDown(socket: Socket): void {
  void socket.leave(socket.id);
  (socket as { handshake: Socket['handshake'] }).handshake = SHARED_HANDSHAKE;
}

export interface AudienceServerOptions {
  port: number;
  host?: string;
  relayPort: number;
  relayHost?: string;
  relaySecret?: string;
  publicUrl: string;
}

export interface AudienceServer {
  httpServer: http.Server;
  io: Server;
  port: number;
  close(): Promise<void>;
}

/** Audience side: a Socket.IO server for /screen only, fed by the relay. */
export async function startAudienceServer(opts: AudienceServerOptions): Promise<AudienceServer> {
  const peer = await RelayPeer.connect(opts.relayPort, opts.relayHost, { secret: opts.relaySecret });
  /** The newest stage revision relayed to each contest room: a lookup older than it is not sent. */
  const relayed = new Map<string, number>();
  const httpServer = http.createServer((_req, res) => res.writeHead(404).end());
  const io = new Server(httpServer, {
    serveClient: false,
    perMessageDeflate: false,
    maxHttpBufferSize: 16 * 1024,
    // The app's pages are another origin: long-polling needs CORS for exactly that one.
    cors: { origin: new URL(opts.publicUrl).origin },
    allowRequest: (req, callback) =>
      callback(null, allowedOrigin(req.headers.origin, req.headers.host, opts.publicUrl)),
  });
  io.adapter(
    relayAdapter(peer, {
      onRelayedBroadcast(packet, rooms) {
        const [event, payload] = packet.data ?? [];
        const revision = (payload as { revision?: unknown } | undefined)?.revision;
        if (event !== 'stage:updated' || typeof revision !== 'number') return;
        for (const room of rooms) if (revision > (relayed.get(room) ?? 0)) relayed.set(room, revision);
      },
    }),
  );
  releaseHandshakeRequests(io);

  const screen = io.of(NAMESPACES.screen);
  // Other audience servers also receive a lookup; answering null keeps the asker from waiting.
  screen.on(WATCH, (_slug: unknown, reply: unknown) => typeof reply === 'function' && reply(null));

  /** Lookups queued in this turn of the event loop, one request per slug. */
  const queued = new Map<string, Promise<WatchAnswer>>();
  function ask(slug: string): Promise<WatchAnswer> {
    let answer = queued.get(slug);
    if (!answer) {
      answer = new Promise<WatchAnswer>((resolve) =>
        setImmediate(() => {
          queued.delete(slug);
          screen.serverSideEmit(WATCH, slug, (err: Error | null, responses: (WatchAnswer | null)[]) => {
            resolve(responses?.find((r) => r) ?? { ok: false, code: err ? 'unavailable' : 'contest-not-found' });
          });
        }),
      );
      queued.set(slug, answer);
    }
    return answer;
  }

  async function watch(socket: Socket, slug: unknown, reply: (ack: Ack) => void): Promise<void> {
    const parsed = Slug.safeParse(slug);
    if (!parsed.success) return reply({ ok: false, code: 'validation-failed' });
    const found = await ask(parsed.data);
    if (!found.ok) return reply({ ok: false, code: found.code });
    const room = contestRoom(found.contestId);
    for (const r of socket.rooms) if (r.startsWith('contest:') && r !== room) await socket.leave(r);
    await socket.join(room);
    // Asked again after joining: any later change reaches this socket through the room.
    const fresh = await ask(parsed.data);
    if (!fresh.ok) return reply({ ok: false, code: fresh.code });
    reply({ ok: true, revision: fresh.revision });
    if (fresh.stage.revision >= (relayed.get(room) ?? 0)) socket.emit('stage:updated', fresh.stage);
  }

  screen.on('connection', (socket) => {
    slimDown(socket);
    writeBroadcastFramesDirectly(socket);
    socket.on('contest:watch', (slug: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (a: Ack) => void) : () => undefined;
      watch(socket, slug, reply).catch(() => reply({ ok: false }));
    });
  });

  // Serve only once the main app is known on the relay, so the first lookups have someone to ask.
  for (let i = 0; (await screen.adapter.serverCount()) < 2; i++) {
    if (i === 200) {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await peer.close();
      throw new Error('no main app answered on the relay within 10 s (check RELAY_PORT / RELAY_SECRET)');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise<void>((resolve) => httpServer.listen(opts.port, opts.host ?? '127.0.0.1', resolve));
  return {
    httpServer,
    io,
    port: (httpServer.address() as AddressInfo).port,
    async close() {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await peer.close();
    },
  };
}

async function main(): Promise<void> {
  const env = process.env;
  const server = await startAudienceServer({
    port: Number(env.AUDIENCE_PORT ?? 3001),
    host: env.AUDIENCE_HOST ?? '127.0.0.1',
    relayPort: Number(env.RELAY_PORT ?? 3002),
    relayHost: env.RELAY_HOST ?? '127.0.0.1',
    relaySecret: env.RELAY_SECRET,
    publicUrl: (env.PUBLIC_URL ?? 'http://localhost:3000').replace(/\/+$/, ''),
  });
  console.log(`audience server (/screen) on ${server.port}, relayed from ${env.RELAY_HOST ?? '127.0.0.1'}`);
  const stop = () => void server.close().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
