/**
 * The real process: `tsx server/main.ts` on a fresh DATA_DIR migrates, creates the first owner
 * (printing a one-time password that works), serves /healthz, and shuts down cleanly on SIGTERM;
 * a bad environment fails fast with a readable message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const tsx = path.resolve('node_modules/.bin/tsx');
let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

function start(env: Record<string, string>) {
  child = spawn(tsx, ['server/main.ts'], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
  const printed = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        if (pattern.test(out)) {
          clearInterval(timer);
          resolve(out);
        } else if (child!.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`exited early: ${out}\n${err}`));
        }
      }, 50);
    });
  return { exited, printed, output: () => ({ out, err }) };
}

describe('server process', () => {
  it('starts on an empty data dir, prints working owner credentials, and stops cleanly on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-proc-'));
    const port = 39000 + Math.floor(Math.random() * 1000);
    const proc = start({
      DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    });
    const out = await proc.printed(/password:\s+\S+/);
    expect(out).toContain(`http://127.0.0.1:${port}/admin/login`);
    expect(fs.existsSync(path.join(dir, 'roadshow.db'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'session-secret'))).toBe(true);

    const health = await fetch(`http://127.0.0.1:${port}/admin/login`);
    expect(health.status).toBe(200);
    expect(await health.text()).toContain('主办方登录');

    child!.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  }, 60_000);

  it('fails fast with a readable message on a bad environment', async () => {
    const proc = start({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'rs-proc-')), PORT: 'eighty' });
    expect(await proc.exited).toBe(1);
    expect(proc.output().err).toMatch(/Invalid configuration:\s+PORT/);
  }, 60_000);
});
