/**
 * Test app builder: a fresh in-memory database per call, migrated, with the real app on top,
 * plus helpers to create organizers and sign in through the real login form (with CSRF).
 */
import supertest from 'supertest';
import type { Config } from '../../server/config.js';
import { createApp, type App } from '../../server/app.js';
import { createLogger } from '../../server/logger.js';
import { migrateToLatest, openSqlite, type OpenedDatabase } from '../../db/database.js';
import type { Role } from '../../server/domain/roles.js';
import type { Clock } from '../../server/services/clock.js';

export interface TestApp extends App {
  opened: OpenedDatabase;
  config: Config;
  /** Creates an organizer with a known password (no forced change). */
  organizer(role: Role, email?: string): Promise<{ email: string; password: string; id: number }>;
  /** A supertest agent signed in as a new organizer of `role`, with its CSRF token. */
  signedIn(role: Role): Promise<{ agent: supertest.Agent; csrf: string; email: string; id: number }>;
  destroy(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: '/tmp/roadshow-test',
    databaseFile: ':memory:',
    publicUrl: 'http://127.0.0.1:3000',
    sessionSecret: 'test-secret-test-secret-test-secret-1234',
    logLevel: 'silent',
    env: 'test',
    trustProxy: false,
    secureCookies: false,
    ...overrides,
  };
}

let counter = 0;

export async function buildTestApp(options: { clock?: Clock; config?: Partial<Config> } = {}): Promise<TestApp> {
  const opened = openSqlite(':memory:');
  await migrateToLatest(opened.db);
  const config = testConfig(options.config);
  const built = createApp({ config, db: opened.db, logger: createLogger('silent'), clock: options.clock });
  const organizer: TestApp['organizer'] = async (role, email) => {
    const address = email ?? `${role}${++counter}@example.test`;
    const password = 'correct horse battery';
    const { id } = await built.services.users.create(
      { email: address, displayName: `${role} ${counter}`, role },
      password,
    );
    return { email: address, password, id };
  };
  return {
    ...built,
    opened,
    config,
    organizer,
    async signedIn(role) {
      const { email, password, id } = await organizer(role);
      const agent = supertest.agent(built.app);
      await login(agent, email, password);
      return { agent, csrf: await csrfOf(agent, '/admin/password'), email, id };
    },
    async destroy() {
      await built.close();
      await opened.db.destroy();
    },
  };
}

/** The CSRF token embedded in a page's forms. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token in page');
  return match[1];
}

export async function csrfOf(agent: supertest.Agent, path: string): Promise<string> {
  const res = await agent.get(path);
  return csrfFrom(res.text);
}

/** Signs in through the login form; returns the response of the POST. */
export async function login(agent: supertest.Agent, email: string, password: string) {
  const csrf = await csrfOf(agent, '/admin/login');
  return agent.post('/admin/login').type('form').send({ _csrf: csrf, email, password });
}
