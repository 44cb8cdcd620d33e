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

  it('runs no audience process unless AUDIENCE_PORT or AUDIENCE_PROCESS is set (an empty value is unset)', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).audience).toBeUndefined();
    expect(loadConfig({ DATA_DIR: tmp(), AUDIENCE_PORT: '' }).audience).toBeUndefined();
    expect(() => loadConfig({ DATA_DIR: tmp(), RELAY_SECRET: 'x'.repeat(20) })).toThrow(
      /RELAY_SECRET: only used with AUDIENCE_PORT or AUDIENCE_PROCESS=external/,
    );
  });

  it('derives the audience URL from PUBLIC_URL and the relay port from AUDIENCE_PORT', () => {
    const c = loadConfig({ DATA_DIR: tmp(), PUBLIC_URL: 'https://score.example.cn/', AUDIENCE_PORT: '8443' });
    expect(c.audience).toEqual({
      process: 'child',
      port: 8443,
      url: 'https://score.example.cn:8443',
      relay: { port: 8444, host: '127.0.0.1' },
    });
    const given = loadConfig({
      DATA_DIR: tmp(),
      AUDIENCE_PORT: '3001',
      AUDIENCE_URL: 'https://live.example.cn/',
      RELAY_PORT: '4000',
    }).audience;
    expect(given?.url).toBe('https://live.example.cn');
    expect(given?.relay.port).toBe(4000);
  });

  it('refuses an audience URL with a path, and a relay beyond loopback without a secret', () => {
    expect(() =>
      loadConfig({ DATA_DIR: tmp(), AUDIENCE_PORT: '3001', AUDIENCE_URL: 'https://example.cn/audience' }),
    ).toThrow(/AUDIENCE_URL: must be an origin/);
    expect(() => loadConfig({ DATA_DIR: tmp(), AUDIENCE_PORT: '3001', RELAY_HOST: '0.0.0.0' })).toThrow(
      /RELAY_SECRET: required when RELAY_HOST \(0\.0\.0\.0\) is not loopback/,
    );
    const secret = 'a-long-relay-secret-1234';
    expect(
      loadConfig({ DATA_DIR: tmp(), AUDIENCE_PORT: '3001', RELAY_HOST: '0.0.0.0', RELAY_SECRET: secret }).audience
        ?.relay,
    ).toEqual({ port: 3002, host: '0.0.0.0', secret });
    expect(() => loadConfig({ DATA_DIR: tmp(), AUDIENCE_PORT: '3000' })).toThrow(
      /AUDIENCE_PORT: must differ from PORT/,
    );
  });

  it('accepts external audience servers: no child, AUDIENCE_URL and RELAY_PORT required', () => {
    expect(() => loadConfig({ DATA_DIR: tmp(), AUDIENCE_PROCESS: 'external' })).toThrow(
      /AUDIENCE_URL: required[\s\S]*RELAY_PORT: required/,
    );
    const c = loadConfig({
      DATA_DIR: tmp(),
      AUDIENCE_PROCESS: 'external',
      AUDIENCE_URL: 'https://live.example.cn',
      RELAY_PORT: '7001',
      RELAY_HOST: '10.0.0.5',
      RELAY_SECRET: 'a-long-relay-secret-1234',
    });
    expect(c.audience).toMatchObject({ process: 'external', port: null, relay: { port: 7001, host: '10.0.0.5' } });
  });
});
