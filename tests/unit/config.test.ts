/** Configuration: defaults, persisted session secret, and readable failures. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'rs-config-'));

describe('loadConfig', () => {
  it('defaults to port 3000 and roadshow.db inside DATA_DIR, and persists a generated session secret', () => {
    const dir = tmp();
    const a = loadConfig({ DATA_DIR: dir });
    expect(a.port).toBe(3000);
    expect(a.databaseFile).toBe(path.join(dir, 'roadshow.db'));
    expect(a.publicUrl).toBe('http://localhost:3000');
    expect(a.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(fs.readFileSync(path.join(dir, 'session-secret'), 'utf8').trim()).toBe(a.sessionSecret);
    expect(loadConfig({ DATA_DIR: dir }).sessionSecret).toBe(a.sessionSecret);
  });

  it('takes PUBLIC_URL without a trailing slash and turns on secure cookies for https', () => {
    const c = loadConfig({ DATA_DIR: tmp(), PUBLIC_URL: 'https://score.example.cn/', PORT: '8080' });
    expect(c.publicUrl).toBe('https://score.example.cn');
    expect(c.secureCookies).toBe(true);
    expect(c.port).toBe(8080);
  });

  it('accepts sqlite: URLs including :memory:', () => {
    expect(loadConfig({ DATA_DIR: tmp(), DATABASE_URL: 'sqlite::memory:' }).databaseFile).toBe(':memory:');
    expect(loadConfig({ DATA_DIR: tmp(), DATABASE_URL: 'sqlite:/tmp/x/rs.db' }).databaseFile).toBe('/tmp/x/rs.db');
  });

  it('lists every bad variable in one readable message', () => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: tmp(), PORT: 'eighty', PUBLIC_URL: 'ftp://x', SESSION_SECRET: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid configuration:/);
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/PUBLIC_URL/);
    expect(message).toMatch(/SESSION_SECRET: must be at least 32 characters/);
  });

  it('says plainly that PostgreSQL is not wired yet', () => {
    expect(() => loadConfig({ DATA_DIR: tmp(), DATABASE_URL: 'postgres://u@h/db' })).toThrow(/PostgreSQL is reserved/);
  });
});
