/**
 * Fuzzing of raw Socket.IO traffic: raw WebSocket connections to /socket.io/?EIO=4 that send
 * malformed Engine.IO and Socket.IO packets (garbage, frames over maxHttpBufferSize, unknown and
 * forbidden namespaces, events with bad arguments, binary-attachment claims that never come,
 * prototype keys), long-polling requests with garbage bodies, and bad handshakes. Meanwhile three
 * well-behaved clients (a screen, an organizer, a judge) watch the live contest; every few runs an
 * organizer changes the stage and each of them must receive the push, still connected.
 */
import fc from 'fast-check';
import { io as connect, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { request } from '../crash/http-client.js';
import type { FuzzContext } from './context.js';
import { excerpt, Findings } from './findings.js';

type Frame = { kind: 'text'; data: string } | { kind: 'binary'; data: Uint8Array };

interface Session {
  transport: 'websocket' | 'polling' | 'handshake';
  query: string;
  origin: string | null;
  cookieOf: 'none' | 'judge' | 'organizer-session';
  /** Well-formed packets first (a namespace connect, a watch), so the fuzz frames reach Socket.IO's own parsing. */
  prelude: string[];
  frames: Frame[];
  close: 'close' | 'terminate' | 'linger';
}

export interface SocketFuzzStats {
  runs: number;
  frames: number;
  bytes: number;
  refusedHandshakes: number;
  closedByServer: number;
  pushChecks: number;
  restarts: number;
  durationMs: number;
}

const NAMESPACES = [
  '',
  '/screen,',
  '/admin,',
  '/judge,',
  '/nope,',
  '/screen/../admin,',
  `/${'n'.repeat(1000)},`,
  '/\u0000,',
  '/__proto__,',
];
const PAYLOADS = [
  '["contest:watch"]',
  '["contest:watch","crash-live"]',
  '["contest:watch","crash-live",1,2,3]',
  '["contest:watch",{"__proto__":{"polluted":1}}]',
  '["contest:watch",{"constructor":{"prototype":{"polluted":1}}}]',
  '["contest:watch",null]',
  '["contest:watch",["a"]]',
  `["contest:watch","${'x'.repeat(10_000)}"]`,
  '[]',
  '{}',
  '[1]',
  '["__proto__"]',
  '["constructor",1]',
  '["disconnect"]',
  '["connect"]',
  '["connect_error"]',
  '["disconnecting"]',
  '["error"]',
  '["newListener","x"]',
  '["hasOwnProperty"]',
  '{"sid":"x"}',
  '{"auth":{"token":"x"}}',
  '{"pid":"x","offset":"y"}',
  '[',
  '{"a":',
  'null',
  '"x"',
];

const textFrame = (data: string): Frame => ({ kind: 'text', data });

const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map(textFrame) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('', '0', '1', '2', '3', '4', '5', '6', '7', '9', '2probe', '3probe', '5probe', '40', '41')
      .map(textFrame),
  },
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.constantFrom('40', '41', '42', '43', '44', '45', '46', '47', '4'),
        fc.constantFrom(...NAMESPACES),
        fc.oneof(fc.constant(''), fc.nat().map(String), fc.constantFrom('99999999999999999999999', '-1', '1.5')),
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...PAYLOADS) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
        ),
      )
      .map(([type, ns, id, payload]) => textFrame(type + ns + id + payload)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('1', '2', '999999', '-1', 'x', ''), fc.constantFrom('/screen,', ''), fc.nat(10))
      .map(([count, ns, num]) => textFrame(`45${count}-${ns}["contest:watch",{"_placeholder":true,"num":${num}}]`)),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((data): Frame => ({ kind: 'binary', data })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(60_000, 70_000, 300_000, 2_000_000)
      .map((n) => textFrame(`42/screen,["contest:watch","${'x'.repeat(n)}"]`)),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 100, max: 5000 })
      .map((d) => textFrame(`42/screen,["contest:watch",${'['.repeat(d)}${']'.repeat(d)}]`)),
  },
);

const sessionArb: fc.Arbitrary<Session> = fc.record({
  transport: fc.oneof(
    { weight: 8, arbitrary: fc.constant<'websocket'>('websocket') },
    { weight: 1, arbitrary: fc.constantFrom<'polling' | 'handshake'>('polling', 'handshake') },
  ),
  query: fc.oneof(
    { weight: 10, arbitrary: fc.constant('EIO=4') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('EIO=3', 'EIO=99', 'EIO=', 'EIO=4&sid=nope', 'EIO=4&b64=1', 'EIO=4&t=%zz', 'EIO[]=4'),
    },
  ),
  origin: fc.oneof(
    { weight: 6, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom('http://evil.example', 'null', '%%%') },
  ),
  cookieOf: fc.constantFrom<'none' | 'judge' | 'organizer-session'>('none', 'none', 'judge', 'organizer-session'),
  prelude: fc.constantFrom(
    [],
    ['40'],
    ['40/screen,'],
    ['40/screen,', '42/screen,0["contest:watch","crash-live"]'],
    ['40/admin,'],
    ['40/judge,'],
    ['40/screen,', '40/admin,', '40/judge,'],
  ),
  frames: fc.array(frameArb, { minLength: 1, maxLength: 6 }),
  close: fc.constantFrom<'close' | 'terminate' | 'linger'>('close', 'terminate', 'linger'),
});

function describe(s: Session): string {
  return `${s.transport}?${s.query} origin=${s.origin} cookie=${s.cookieOf} prelude=${s.prelude.join(' | ')} frames=${s.frames
    .map((f) => (f.kind === 'text' ? excerpt(f.data, 120) : `<binary ${f.data.length}>`))
    .join(' | ')}`;
}

/** A well-behaved client that records the revisions it receives. */
class Watcher {
  socket: Socket;
  revision = 0;
  disconnects = 0;
  reasons: string[] = [];
  constructor(
    readonly name: string,
    private readonly url: string,
    private readonly cookie: string | null,
    private readonly slug: string | null,
  ) {
    this.socket = this.open();
  }

  private open(): Socket {
    const s = connect(this.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: this.cookie ? { cookie: this.cookie } : {},
    });
    s.on('stage:updated', (v: { revision?: number }) => {
      if (typeof v?.revision === 'number') this.revision = Math.max(this.revision, v.revision);
    });
    s.on('disconnect', (reason) => {
      this.disconnects++;
      this.reasons.push(String(reason));
    });
    if (this.slug) s.on('connect', () => s.emit('contest:watch', this.slug, () => undefined));
    return s;
  }

  ready(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.connected) return resolve();
      const timer = setTimeout(() => reject(new Error(`${this.name}: not connected`)), timeoutMs);
      this.socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.once('connect_error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  reopen(): void {
    this.socket.disconnect();
    this.socket = this.open();
  }

  close(): void {
    this.socket.disconnect();
  }
}

function rawWebSocket(ctx: FuzzContext, s: Session, stats: SocketFuzzStats): Promise<'ok' | 'refused' | 'down'> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    if (s.origin) headers.origin = s.origin;
    const jar = s.cookieOf === 'none' ? null : ctx.actors[s.cookieOf].jar;
    if (jar?.size) headers.cookie = jar.header();
    const ws = new WebSocket(`ws://127.0.0.1:${ctx.target.port}/socket.io/?${s.query}&transport=websocket`, {
      headers,
      handshakeTimeout: 5000,
      perMessageDeflate: false,
      localAddress: ctx.nextAddress(),
      maxPayload: 16 * 1024 * 1024,
    });
    let opened = false;
    let settled = false;
    const done = (v: 'ok' | 'refused' | 'down') => {
      if (settled) return;
      settled = true;
      resolve(v);
    };
    const guard = setTimeout(() => {
      ws.terminate();
      done(opened ? 'ok' : 'refused');
    }, 8000);
    ws.on('error', (err: NodeJS.ErrnoException) => {
      if (!opened) {
        clearTimeout(guard);
        done(err.code === 'ECONNREFUSED' ? 'down' : 'refused');
      }
    });
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      clearTimeout(guard);
      ws.terminate();
      done('refused');
    });
    ws.on('close', () => {
      if (opened && !settled) stats.closedByServer++;
      clearTimeout(guard);
      done(opened ? 'ok' : 'refused');
    });
    ws.on('open', async () => {
      opened = true;
      for (const f of [...s.prelude.map(textFrame), ...s.frames]) {
        if (ws.readyState !== WebSocket.OPEN) break;
        stats.frames++;
        stats.bytes += f.data.length;
        await new Promise<void>((r) => ws.send(f.kind === 'text' ? f.data : Buffer.from(f.data), () => r()));
        await new Promise((r) => setTimeout(r, 3));
      }
      await new Promise((r) => setTimeout(r, s.close === 'linger' ? 60 : 15));
      if (settled) return;
      clearTimeout(guard);
      if (s.close === 'terminate') ws.terminate();
      else ws.close();
      done('ok');
    });
  });
}

async function polling(ctx: FuzzContext, s: Session, stats: SocketFuzzStats): Promise<'ok' | 'refused' | 'down'> {
  const base = `/socket.io/?${s.query}&transport=polling`;
  const headers: Record<string, string> = s.origin ? { origin: s.origin } : {};
  try {
    const open = await request(ctx.target, {
      method: 'GET',
      path: base,
      headers,
      localAddress: ctx.nextAddress(),
      timeoutMs: 5000,
    });
    if (s.transport === 'handshake' || open.status !== 200) return open.status === 200 ? 'ok' : 'refused';
    const sid = /"sid":"([^"]+)"/.exec(open.text)?.[1];
    if (!sid) return 'refused';
    for (const f of [...s.prelude.map(textFrame), ...s.frames]) {
      stats.frames++;
      stats.bytes += f.data.length;
      await request(ctx.target, {
        method: 'POST',
        path: `${base}&sid=${encodeURIComponent(sid)}`,
        headers: {
          ...headers,
          'content-type': f.kind === 'text' ? 'text/plain;charset=UTF-8' : 'application/octet-stream',
        },
        body: f.kind === 'text' ? f.data : Buffer.from(f.data),
        localAddress: ctx.nextAddress(),
        timeoutMs: 5000,
      }).catch(() => undefined);
    }
    return 'ok';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'down' : 'refused';
  }
}

export async function fuzzSockets(
  ctx: FuzzContext,
  findings: Findings,
  opts: { timeMs: number; seed: number; pushEvery?: number; log?: (line: string) => void },
): Promise<SocketFuzzStats> {
  const started = Date.now();
  const deadline = started + opts.timeMs;
  const stats: SocketFuzzStats = {
    runs: 0,
    frames: 0,
    bytes: 0,
    refusedHandshakes: 0,
    closedByServer: 0,
    pushChecks: 0,
    restarts: 0,
    durationMs: 0,
  };
  const { seeded } = ctx;
  await ctx.refreshJudge();
  const url = `http://127.0.0.1:${ctx.target.port}`;
  const watchers = [
    new Watcher('screen', `${url}/screen`, null, seeded.slug),
    new Watcher('organizer', `${url}/admin`, ctx.actors['organizer-session'].jar.header(), seeded.slug),
    new Watcher('judge', `${url}/judge`, ctx.actors.judge.jar.header(), null),
  ];
  await Promise.all(watchers.map((w) => w.ready()));
  const bearer = {
    authorization: `Bearer ${seeded.apiToken}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  let callIndex = 0;

  /** Changes the stage; every watcher must get the new revision, still connected. */
  const pushCheck = async (input: string): Promise<string | null> => {
    stats.pushChecks++;
    const stagePath = `/api/v1/contests/${seeded.slug}/stage`;
    const current = await request(ctx.target, { method: 'GET', path: stagePath, headers: bearer });
    const phase = (current.json as { phase?: string } | undefined)?.phase;
    const action =
      phase === 'scoring'
        ? { kind: 'close-scoring' }
        : {
            kind: 'call',
            roundId: seeded.roundId,
            projectId: seeded.projectIds[callIndex++ % seeded.projectIds.length],
          };
    const res = await request(ctx.target, {
      method: 'POST',
      path: stagePath,
      headers: bearer,
      body: JSON.stringify(action),
    });
    const revision = (res.json as { revision?: number } | undefined)?.revision;
    if (res.status !== 200 || typeof revision !== 'number')
      return `stage action answered ${res.status}: ${excerpt(res.text, 200)}`;
    const until = Date.now() + 5000;
    while (Date.now() < until && watchers.some((w) => w.revision < revision))
      await new Promise((r) => setTimeout(r, 20));
    let sig: string | null = null;
    for (const w of watchers) {
      if (w.disconnects > 0) {
        sig = findings.add({
          kind: 'client-disconnected',
          where: `/${w.name}`,
          actor: w.name,
          status: null,
          detail: `${w.disconnects} disconnects (${w.reasons.join(', ')})`,
          input,
        });
        w.disconnects = 0;
        w.reasons = [];
        w.reopen();
        await w.ready().catch(() => undefined);
      } else if (w.revision < revision) {
        sig = findings.add({
          kind: 'push-missed',
          where: `/${w.name}`,
          actor: w.name,
          status: null,
          detail: `has revision ${w.revision}, pushed ${revision}`,
          input,
        });
      }
    }
    return sig;
  };

  const known = new Set<string>();
  const every = opts.pushEvery ?? 8;
  // fast-check's time limit stops waiting for a run but cannot cancel it: the run in flight is
  // tracked and awaited, so none outlives the fuzzer (and reports into the next phase).
  let inFlight: Promise<boolean> = Promise.resolve(true);
  const tracked = (s: Session): Promise<boolean> => (inFlight = property(s));
  const property = async (s: Session): Promise<boolean> => {
    if (Date.now() > deadline) return true;
    stats.runs++;
    const outcome = s.transport === 'websocket' ? await rawWebSocket(ctx, s, stats) : await polling(ctx, s, stats);
    if (outcome === 'refused') stats.refusedHandshakes++;
    let sig: string | null = null;
    const input = describe(s);
    if (outcome === 'down' || !(await ctx.server.healthy())) {
      sig = findings.add({
        kind: 'crash',
        where: 'socket.io',
        actor: s.cookieOf,
        status: null,
        detail: `${JSON.stringify(ctx.server.lastExit)} ${ctx.server.tail(8)}`,
        input,
      });
      await ctx.server.kill();
      ctx.server.start();
      await ctx.server.waitReady();
      stats.restarts++;
      for (const w of watchers) w.reopen();
      await Promise.all(watchers.map((w) => w.ready().catch(() => undefined)));
      for (const w of watchers) w.disconnects = 0;
    } else if (stats.runs % every === 0) {
      sig = (await pushCheck(input)) ?? sig;
    }
    return sig === null || known.has(sig);
  };

  let seed = opts.seed;
  try {
    while (Date.now() < deadline) {
      const result = await fc.check(fc.asyncProperty(sessionArb, tracked), {
        seed,
        numRuns: 1_000_000,
        interruptAfterTimeLimit: Math.max(1, deadline - Date.now()),
        markInterruptAsFailure: false,
      });
      await inFlight.catch(() => true);
      if (result.failed && result.counterexample) opts.log?.(`socket finding: ${describe(result.counterexample[0])}`);
      else if (!result.failed) break;
      for (const f of findings.list) known.add(Findings.signature(f));
      seed++;
    }
    const final = await pushCheck('final check after the socket fuzz');
    if (final) opts.log?.(`final push check: ${final}`);
  } finally {
    for (const w of watchers) w.close();
  }
  stats.durationMs = Date.now() - started;
  return stats;
}
