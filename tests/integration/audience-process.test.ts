/**
 * The audience process in the real server: `tsx server/main.ts` (as `npm start` runs it) on a fresh
 * DATA_DIR with AUDIENCE_PORT forks the audience server. A socket on the audience port with the
 * app's Origin watching the demo contest receives a stage change made through the app's JSON API,
 * with a higher revision; a foreign Origin is refused, the app's Origin gets CORS for long-polling;
 * /live/:slug and /screen/:slug name the audience URL and the CSP lists it; a SIGKILLed child is
 * logged, restarted and serves again; SIGTERM stops the child and the app exits 0.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StageView } from '../../server/services/stage.service.js';
import { distinctPorts } from '../support/ports.js';

const tsx = path.resolve('node_modules/.bin/tsx');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let cli: ChildProcess;
let out = '';
let exited: Promise<number | null>;
let dir: string;
let appPort: number;
let audiencePort: number;
let publicUrl: string;
let audienceUrl: string;
let slug: string;
let token: string;
const sockets: Socket[] = [];
const pids = new Set<number>();

/** The JSON log lines printed so far with this message. */
const logged = (msg: string) =>
  out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === msg);

const audiencePids = () => logged('audience process listening').map((e) => e.audiencePid as number);

function audienceSocket(origin = publicUrl): Socket {
  const socket = connect(`${audienceUrl}/screen`, {
    transports: ['websocket'],
    extraHeaders: { origin },
    reconnection: false,
  });
  sockets.push(socket);
  return socket;
}

/** Watches the demo contest; resolves with the ack's revision and every stage push collected. */
async function watching(socket: Socket): Promise<{ revision: number; stages: StageView[] }> {
  const stages: StageView[] = [];
  socket.on('stage:updated', (view: StageView) => stages.push(view));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = (await socket.timeout(8000).emitWithAck('contest:watch', slug)) as { ok: boolean; revision: number };
  expect(ack.ok).toBe(true);
  return { revision: ack.revision, stages };
}

async function api(method: string, pathname: string, body?: unknown) {
  const res = await fetch(`${publicUrl}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${pathname}`).toBe(200);
  return res.json() as Promise<Record<string, unknown>>;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-audience-'));
  const [a, b, relayPort] = await distinctPorts(3);
  [appPort, audiencePort] = [a!, b!];
  publicUrl = `http://127.0.0.1:${appPort}`;
  audienceUrl = `http://127.0.0.1:${audiencePort}`;
  cli = spawn(tsx, ['server/main.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dir,
      PORT: String(appPort),
      HOST: '127.0.0.1',
      PUBLIC_URL: publicUrl,
      AUDIENCE_PORT: String(audiencePort),
      RELAY_PORT: String(relayPort),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pids.add(cli.pid!);
  let err = '';
  cli.stdout!.on('data', (d) => (out += d));
  cli.stderr!.on('data', (d) => (err += d));
  exited = new Promise((resolve) => cli.on('exit', (code) => resolve(code)));
  await until(
    'the banner',
    () => {
      if (cli.exitCode !== null) throw new Error(`exited early: ${out}\n${err}`);
      return /password:\s+\S+/.test(out);
    },
    45_000,
  );
  for (const e of logged('listening')) pids.add(e.pid as number);
  for (const pid of audiencePids()) pids.add(pid);
  slug = /Demo contest: \S+\/admin\/contests\/(\S+)/.exec(out)![1]!;
  expect(out).toContain(`Audience (/screen) served from: ${audienceUrl}`);

  const created = spawnSync(tsx, ['scripts/roadshow.ts', 'token:create', '--email', 'owner@roadshow.local'], {
    env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
  token = /rs_\S+/.exec(created.stdout)?.[0] ?? '';
  expect(token, created.stderr).not.toBe('');
}, 90_000);

afterAll(() => {
  for (const socket of sockets) socket.disconnect();
  for (const pid of [...pids, ...audiencePids()]) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

describe('audience process (AUDIENCE_PORT)', () => {
  it('pushes a stage change made through the app to a socket on the audience port, with a higher revision', async () => {
    expect(audiencePids()).toHaveLength(1);
    const { revision, stages } = await watching(audienceSocket());
    await until('the stage sent on watch', () => stages.length > 0);

    const grid = await api('GET', `/api/v1/contests/${slug}/progress`);
    const projectId = (grid.projects as { id: number }[])[0]!.id;
    await api('POST', `/api/v1/contests/${slug}/stage`, { kind: 'call', roundId: grid.roundId, projectId });
    const pushed = await until('the pushed stage', () =>
      stages.find((s) => s.revision > revision && s.projectId === projectId),
    );
    expect(pushed.phase).toBe('presenting');
    expect(pushed.project?.id).toBe(projectId);
  });

  it('refuses a foreign Origin and answers long-polling from the app origin with CORS for it', async () => {
    const foreign = audienceSocket('https://evil.example');
    const error = await new Promise<Error>((resolve) => foreign.once('connect_error', resolve));
    expect(error).toBeInstanceOf(Error);
    expect(foreign.connected).toBe(false);

    const handshake = `${audienceUrl}/socket.io/?EIO=4&transport=polling`;
    const refusedPoll = await fetch(handshake, { headers: { origin: 'https://evil.example' } });
    expect(refusedPoll.status).toBe(403);
    const poll = await fetch(handshake, { headers: { origin: publicUrl } });
    expect(poll.status).toBe(200);
    expect(poll.headers.get('access-control-allow-origin')).toBe(publicUrl);
    expect(await poll.text()).toMatch(/^0\{"sid":/);
  });

  it('tells /live and /screen pages where the audience is, and lets them connect there (CSP)', async () => {
    for (const page of [`/live/${slug}`, `/screen/${slug}`]) {
      const res = await fetch(`${publicUrl}${page}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(`data-audience-url="${audienceUrl}"`);
      const connectSrc = /connect-src ([^;]+)/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
      expect(connectSrc?.split(' ')).toEqual(["'self'", audienceUrl, `ws://127.0.0.1:${audiencePort}`]);
    }
  });

  it('restarts a killed audience process, which serves pushes again', async () => {
    const [first] = audiencePids();
    process.kill(first!, 'SIGKILL');
    const second = await until('a restarted audience process', () => audiencePids()[1]);
    pids.add(second);
    expect(second).not.toBe(first);
    expect(alive(first!)).toBe(false);
    const crash = logged('audience process exited unexpectedly; restarting')[0];
    expect(crash).toMatchObject({ audiencePid: first, signal: 'SIGKILL' });

    const { revision, stages } = await watching(audienceSocket());
    await api('POST', `/api/v1/contests/${slug}/stage`, { kind: 'start-pitch' });
    const pushed = await until('the pushed stage', () => stages.find((s) => s.revision > revision));
    expect(pushed.phase).toBe('pitch');
  });

  it('stops the audience process on SIGTERM and exits 0', async () => {
    const child = audiencePids().at(-1)!;
    const main = logged('listening')[0]!.pid as number;
    cli.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(logged('audience process stopped')).toMatchObject([{ audiencePid: child }]);
    expect(alive(child)).toBe(false);
    expect(alive(main)).toBe(false);
    expect(await refused(audiencePort)).toBe(true);
  }, 30_000);
});
