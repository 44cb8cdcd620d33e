/**
 * The real server as a child process (`node_modules/.bin/tsx server/main.ts`) on a loopback port
 * with its own DATA_DIR. tsx runs the server in a grandchild process, so the child is started in
 * its own process group and SIGKILL goes to the whole group: the server dies at once, with no
 * chance to flush or clean up, exactly like a power cut of the process. Only processes this module
 * started are ever signalled, and any still running are killed when the supervisor exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from './http-client.js';
import { sleep } from './rng.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

const live = new Set<ChildProcess>();
let cleanupInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL');
  });
}

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released for the server to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const port = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerOptions {
  dataDir: string;
  port: number;
  /** Extra environment (LOG_LEVEL defaults to warn). */
  env?: Record<string, string>;
}

export class ServerProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private lines: string[] = [];
  /** How the last process ended: exit code or signal. */
  lastExit: { code: number | null; signal: NodeJS.Signals | null; killedByUs: boolean } | null = null;
  private killing = false;
  starts = 0;

  constructor(private readonly options: ServerOptions) {
    installCleanup();
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get port(): number {
    return this.options.port;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** The last lines the server printed (stdout and stderr), for diagnostics. */
  tail(n = 40): string {
    return this.lines.slice(-n).join('\n');
  }

  start(): void {
    if (this.child) throw new Error('server already running');
    this.starts++;
    this.killing = false;
    const child = spawn(TSX, ['server/main.ts'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        ...this.options.env,
        DATA_DIR: this.options.dataDir,
        PORT: String(this.options.port),
        HOST: '127.0.0.1',
        PUBLIC_URL: this.url,
      },
    });
    live.add(child);
    const keep = (data: Buffer) => {
      for (const line of data.toString('utf8').split('\n')) if (line.trim()) this.lines.push(line.slice(0, 2000));
      if (this.lines.length > 400) this.lines.splice(0, this.lines.length - 200);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(child);
        this.lastExit = { code, signal, killedByUs: this.killing };
        if (this.child === child) this.child = null;
        resolve();
      });
    });
    this.child = child;
  }

  /** Waits until GET /healthz answers 200; returns the milliseconds it took. Throws if the process exits. */
  async waitReady(timeoutMs = 90_000): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (!this.child)
        throw new Error(`server exited during startup (${JSON.stringify(this.lastExit)}):\n${this.tail()}`);
      try {
        const res = await request(
          { host: '127.0.0.1', port: this.options.port },
          { method: 'GET', path: '/healthz', timeoutMs: 2000 },
        );
        if (res.status === 200) return Date.now() - started;
      } catch {
        // Not listening yet.
      }
      await sleep(25);
    }
    throw new Error(`server not ready after ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** Whether /healthz answers 200 right now. */
  async healthy(timeoutMs = 5000): Promise<boolean> {
    try {
      const res = await request(
        { host: '127.0.0.1', port: this.options.port },
        { method: 'GET', path: '/healthz', timeoutMs },
      );
      return res.status === 200;
    } catch {
      return false;
    }
  }

  /** SIGKILL to the whole process group, then waits until it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.killing = true;
    killGroup(child, 'SIGKILL');
    await this.exited;
  }

  /** SIGTERM (graceful shutdown), SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.killing = true;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Resolves when the current process exits (immediately when none runs). */
  whenExited(): Promise<void> {
    return this.exited;
  }
}
