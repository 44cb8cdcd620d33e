/**
 * The fan-out bench's load generator (forked by scripts/bench/fanout.ts): N WebSocket connections
 * to 127.0.0.1 over the raw `ws` client, kept light on purpose (no socket.io-client per socket,
 * no UTF-8 validation, and only the first bytes of a push are decoded).
 *
 * Mode 'sio' speaks just enough Engine.IO v4 / Socket.IO v5: the server's open packet `0{…}` →
 * `40/screen,` (namespace connect) → `42/screen,1["contest:watch","<slug>"]` and its ack
 * `43/screen,1[{"ok":true,…}]`; pings `2` are answered with `3`. Pushes arrive as
 * `42/screen,["stage:updated",{"contestId":…,"slug":…,"revision":N,…}(,"<offset>")]`; the revision
 * is read with an indexOf from the frame's first bytes, never a JSON.parse. Other pushes
 * (leaderboard, screen, ceremony) are only counted. Mode 'raw' (the floor) connects and reads the
 * same frames the same way.
 *
 * Every socket remembers the highest stage revision it saw; 'arm' starts timing the first frame
 * carrying a revision ≥ the target on each socket and reports the first, median and last receipt
 * (absolute times from now(), which the orchestrator maps onto its own clock). Socket 0 keeps the
 * frames of the latest push (the stage frame and the audience frames after it) for the floor.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { now, type FromClient, type ToClient } from './protocol.js';

const PUSH = '42/screen,[';
const STAGE_PUSH = '42/screen,["stage:updated",';
const REVISION_KEY = '"revision":';
/** Enough of a frame to hold the namespace, the event name and the stage revision. */
const HEAD_BYTES = 160;

const sockets: (WebSocket | undefined)[] = [];
let lastRevision = new Int32Array(0);
let receivedAt = new Float64Array(0);
/** Socket 0's frames since its latest stage push: what the floor will broadcast. */
let group: string[] = [];

interface Waiter {
  minRevision: number;
  timed: boolean;
  early: number;
  received: number;
  timer: NodeJS.Timeout;
  done: (timedOut: boolean) => void;
}
let waiter: Waiter | null = null;
let open = 0;

function send(message: FromClient): void {
  process.send?.(message);
}

function revisionOf(head: string): number {
  const at = head.indexOf(REVISION_KEY, STAGE_PUSH.length);
  if (at < 0) return -1;
  return Number.parseInt(head.slice(at + REVISION_KEY.length, at + REVISION_KEY.length + 12), 10);
}

/** A push frame; `data` is only fully decoded for socket 0's sample. */
function onPush(index: number, head: string, data: Buffer): void {
  if (!head.startsWith(STAGE_PUSH)) {
    if (index === 0 && group.length && group.length < 8) group.push(data.toString());
    return;
  }
  const revision = revisionOf(head);
  if (index === 0) group = [data.toString()];
  if (revision <= lastRevision[index]!) return;
  lastRevision[index] = revision;
  const w = waiter;
  if (!w || revision < w.minRevision || receivedAt[index] !== 0) return;
  if (w.timed) receivedAt[index] = now();
  if (w.received++ === 0 && w.timed) send({ type: 'first' });
  if (w.received + w.early >= open) w.done(false);
}

function connectOne(url: string, index: number, mode: 'sio' | 'raw', slug: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 30_000, skipUTF8Validation: true });
    sockets[index] = ws;
    let ready = false;
    const fail = (why: string) => {
      if (ready) return;
      ready = true;
      ws.terminate();
      reject(new Error(why));
    };
    const timer = setTimeout(() => fail('timeout'), 60_000);
    const becomeReady = () => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      open++;
      resolve();
    };
    ws.on('error', (err) => fail(err.message));
    ws.on('close', () => {
      if (ready && sockets[index] === ws) {
        open--;
        sockets[index] = undefined;
      }
      fail('closed');
    });
    if (mode === 'raw') ws.on('open', becomeReady);
    ws.on('message', (data: Buffer) => {
      const head = data.length > HEAD_BYTES ? data.toString('utf8', 0, HEAD_BYTES) : data.toString();
      if (head.startsWith(PUSH)) return onPush(index, head, data);
      if (mode === 'raw') return;
      if (head === '2') return ws.send('3');
      if (head.startsWith('0{')) return ws.send('40/screen,');
      if (head.startsWith('40/screen,')) return ws.send(`42/screen,1${JSON.stringify(['contest:watch', slug])}`);
      if (head.startsWith('43/screen,1[')) {
        const frame = data.toString();
        return frame.includes('"ok":true') ? becomeReady() : fail(`watch refused: ${frame}`);
      }
      if (head.startsWith('44/screen,')) return fail(`connect refused: ${data.toString()}`);
    });
  });
}

async function connectAll(url: string, n: number, mode: 'sio' | 'raw', slug: string, concurrency: number) {
  const started = now();
  lastRevision = new Int32Array(n);
  receivedAt = new Float64Array(n);
  const errors = new Map<string, number>();
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < n) {
      const index = next++;
      try {
        await connectOne(url, index, mode, slug);
      } catch (err) {
        failed++;
        const why = (err as Error).message;
        errors.set(why, (errors.get(why) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  send({
    type: 'connected',
    open,
    failed,
    ms: now() - started,
    errors: [...errors].map(([why, count]) => `${count}× ${why}`),
  });
}

function wait(minRevision: number, timeoutMs: number, timed: boolean, onDone: (w: Waiter, timedOut: boolean) => void) {
  receivedAt.fill(0);
  let early = 0;
  for (let i = 0; i < lastRevision.length; i++) if (sockets[i] && lastRevision[i]! >= minRevision) early++;
  const w: Waiter = {
    minRevision,
    timed,
    early,
    received: 0,
    timer: setTimeout(() => w.done(true), timeoutMs),
    done: (timedOut) => {
      if (waiter !== w) return;
      waiter = null;
      clearTimeout(w.timer);
      onDone(w, timedOut);
    },
  };
  waiter = w;
  if (early >= open) w.done(false);
}

function report(w: Waiter): void {
  const times = receivedAt.filter((t) => t > 0).sort();
  send({
    type: 'round',
    minRevision: w.minRevision,
    first: times[0] ?? Number.NaN,
    median: times[Math.floor(times.length / 2)] ?? Number.NaN,
    last: times[times.length - 1] ?? Number.NaN,
    received: times.length,
    missing: Math.max(0, open - times.length - w.early),
    early: w.early,
  });
}

/** Resolves once this process has been mostly idle (< 20% busy) for 100 ms, or after maxMs. */
async function quiet(maxMs = 5_000): Promise<void> {
  const until = now() + maxMs;
  let last = performance.eventLoopUtilization();
  while (now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const current = performance.eventLoopUtilization();
    if (performance.eventLoopUtilization(current, last).utilization < 0.2) return;
    last = current;
  }
}

process.on('message', (message: ToClient) => {
  switch (message.type) {
    case 'connect':
      void connectAll(message.url, message.n, message.mode, message.slug, message.concurrency);
      break;
    case 'arm':
      wait(message.minRevision, message.timeoutMs, true, (w) => report(w));
      send({ type: 'armed' });
      break;
    case 'settle':
      wait(message.minRevision, message.timeoutMs, false, (w) => {
        const missing = Math.max(0, open - w.received - w.early);
        void quiet().then(() => send({ type: 'settled', missing }));
      });
      break;
    case 'clock':
      send({ type: 'clock', t1: message.t1, t2: now() });
      break;
    case 'sample':
      send({ type: 'sample', frames: group });
      break;
    case 'close':
      for (const ws of sockets) ws?.terminate();
      send({ type: 'closed' });
      setTimeout(() => process.exit(0), 50);
      break;
  }
});

process.on('disconnect', () => process.exit(0));
