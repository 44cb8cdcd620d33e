/**
 * The audience (/screen) in a second process, run by main.ts when AUDIENCE_PORT or
 * AUDIENCE_PROCESS is set (README "Big audiences"). The app's /screen namespace relays through a
 * hub (attachAudienceRelay) and, unless the audience servers are external, the app forks one child
 * (audience-child.ts) serving /screen on AUDIENCE_PORT: the same Node with the tsx loader and
 * AUDIENCE_NODE_FLAGS, options over IPC, `ready` reported back over IPC. An unexpected exit is
 * logged and the child restarted with backoff; close() stops it with SIGTERM (SIGKILL after 5 s)
 * and then closes the hub. Must not: touch the database, or let a crashing child take the app down.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Server } from 'socket.io';
import type { AudienceConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import { AUDIENCE_NODE_FLAGS, attachAudienceRelay, type AudienceServerOptions } from './audience-server.js';

/** IPC from the app to the child. */
export type ToChild = { type: 'start'; options: AudienceServerOptions };
/** IPC from the child to the app. */
export type FromChild = { type: 'ready'; port: number } | { type: 'failed'; message: string };

export interface AudienceProcess {
  /** The child's pid while one is running; null between restarts and with external servers. */
  readonly pid: number | null;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./audience-child.ts', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];
/** A child that served this long before dying is restarted at the shortest delay again. */
const STABLE_MS = 60_000;

/** The relay hub's address as seen from this machine (a wildcard bind is reached on loopback). */
function localAddress(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

/** Call before the app listens: any /screen socket connected earlier would miss the relay. */
export async function startAudienceProcess(
  app: { io: Server; services: Services },
  audience: AudienceConfig,
  opts: { host: string; publicUrl: string; logger: Logger },
): Promise<AudienceProcess> {
  const { logger } = opts;
  const { relay: r } = audience;
  const relay = await attachAudienceRelay(app.io, app.services, { port: r.port, host: r.host, secret: r.secret });
  if (audience.process === 'external' || audience.port === null) {
    logger.info({ relay: `${r.host}:${relay.port}`, url: audience.url }, 'audience relay waiting for audience servers');
    return { pid: null, close: () => relay.close() };
  }
  const supervisor = superviseChild(
    {
      port: audience.port,
      host: opts.host,
      relayPort: relay.port,
      relayHost: localAddress(r.host),
      ...(r.secret ? { relaySecret: r.secret } : {}),
      publicUrl: opts.publicUrl,
    },
    logger,
  );
  try {
    await supervisor.start();
  } catch (err) {
    await supervisor.stop();
    await relay.close();
    throw err;
  }
  return {
    get pid() {
      return supervisor.pid();
    },
    async close() {
      await supervisor.stop();
      await relay.close();
    },
  };
}

function superviseChild(options: AudienceServerOptions, logger: Logger) {
  const tsx = import.meta.resolve('tsx');
  let current: ChildProcess | null = null;
  let stopping = false;
  let failures = 0;
  let restartTimer: NodeJS.Timeout | null = null;

  /** Forks a child; resolves once it listens, rejects when it exits (or is killed) before that. */
  function launch(): Promise<void> {
    return new Promise((resolve, reject) => {
      const proc = fork(CHILD, [], {
        execArgv: ['--import', tsx, ...AUDIENCE_NODE_FLAGS],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      current = proc;
      let readyAt = 0;
      let failure = `no 'ready' within ${READY_TIMEOUT_MS / 1000} s`;
      const timer = setTimeout(() => proc.kill('SIGKILL'), READY_TIMEOUT_MS);
      proc.on('message', (m: FromChild) => {
        if (m.type === 'failed') failure = m.message;
        if (m.type !== 'ready' || readyAt) return;
        clearTimeout(timer);
        readyAt = Date.now();
        logger.info({ audiencePid: proc.pid, port: m.port }, 'audience process listening');
        resolve();
      });
      proc.on('error', (err) => {
        logger.error({ audiencePid: proc.pid, err }, 'audience process error');
        if (!readyAt) reject(err);
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (current === proc) current = null;
        if (!readyAt) return reject(new Error(`the audience process exited (${signal ?? code}): ${failure}`));
        if (stopping) return;
        if (Date.now() - readyAt >= STABLE_MS) failures = 0;
        restartLater({ audiencePid: proc.pid, code, signal });
      });
      proc.send({ type: 'start', options } satisfies ToChild);
    });
  }

  function restartLater(why: Record<string, unknown>): void {
    const delay = BACKOFF_MS[Math.min(failures++, BACKOFF_MS.length - 1)]!;
    logger.error({ ...why, restartInMs: delay }, 'audience process exited unexpectedly; restarting');
    restartTimer = setTimeout(() => {
      restartTimer = null;
      if (stopping) return;
      launch().catch((err: Error) => stopping || restartLater({ error: err.message }));
    }, delay);
  }

  return {
    start: launch,
    pid: () => current?.pid ?? null,
    async stop(): Promise<void> {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const proc = current;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      const force = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await gone;
      clearTimeout(force);
      logger.info({ audiencePid: proc.pid }, 'audience process stopped');
    },
  };
}
