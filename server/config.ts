/**
 * Configuration parsed from the environment with Zod; fails fast with a readable message.
 * Generates and persists SESSION_SECRET under DATA_DIR when it is not given.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const Port = z.coerce.number().int().min(1).max(65535);
/** An optional variable set to the empty string counts as unset (`AUDIENCE_PORT=` turns it off). */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .refine((v) => v.startsWith('sqlite:') || v.startsWith('postgres://') || v.startsWith('postgresql://'), {
      message: 'must start with sqlite:, postgres:// or postgresql://',
    })
    .optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  TRUST_PROXY: z.enum(['0', '1', 'true', 'false']).default('0'),
  AUDIENCE_PORT: unsetIfEmpty(Port),
  AUDIENCE_URL: unsetIfEmpty(z.url({ protocol: /^https?$/ })),
  AUDIENCE_PROCESS: unsetIfEmpty(z.enum(['child', 'external'])),
  RELAY_PORT: unsetIfEmpty(Port),
  RELAY_HOST: unsetIfEmpty(z.string().min(1)),
  RELAY_SECRET: unsetIfEmpty(z.string().min(16, 'must be at least 16 characters')),
});
type Env = z.infer<typeof EnvSchema>;

/** The audience (/screen) served by a second process: see README "Big audiences". */
export interface AudienceConfig {
  /** 'child': the app forks it on `port`; 'external': started elsewhere, the app only runs the relay. */
  process: 'child' | 'external';
  /** The child's port (null when external). */
  port: number | null;
  /** The origin browsers connect to (scheme://host[:port], no path, no trailing slash). */
  url: string;
  relay: { port: number; host: string; secret?: string };
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Absolute path of the SQLite file, or ':memory:'. */
  databaseFile: string;
  publicUrl: string;
  sessionSecret: string;
  logLevel: Env['LOG_LEVEL'];
  env: Env['NODE_ENV'];
  trustProxy: boolean;
  /** Secure cookies only when served over https. */
  secureCookies: boolean;
  /** Absent: the app serves /screen itself. */
  audience?: AudienceConfig;
}

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  if (e.DATABASE_URL?.startsWith('postgres')) {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_URL: PostgreSQL is reserved for scale-out and not supported yet; omit it to use SQLite',
    );
  }
  const sqlitePath = e.DATABASE_URL?.slice('sqlite:'.length).replace(/^\/\//, '');
  const databaseFile =
    sqlitePath === ':memory:' ? ':memory:' : path.resolve(sqlitePath || path.join(dataDir, 'roadshow.db'));
  const port = e.PORT;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const audience = audienceConfig(e, publicUrl);
  return {
    port,
    host: e.HOST,
    dataDir,
    databaseFile,
    publicUrl,
    sessionSecret: e.SESSION_SECRET ?? persistedSecret(dataDir),
    logLevel: e.LOG_LEVEL,
    env: e.NODE_ENV,
    trustProxy: e.TRUST_PROXY === '1' || e.TRUST_PROXY === 'true',
    secureCookies: publicUrl.startsWith('https:'),
    ...(audience ? { audience } : {}),
  };
}

/** The loopback names the relay hub accepts without a secret (relay-adapter.ts). */
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** AUDIENCE_* and RELAY_*: undefined when the app serves /screen itself; ConfigError on a bad combination. */
function audienceConfig(e: Env, publicUrl: string): AudienceConfig | undefined {
  const problems: string[] = [];
  const fail = () => new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const mode = e.AUDIENCE_PROCESS ?? (e.AUDIENCE_PORT === undefined ? undefined : 'child');
  if (!mode) {
    for (const name of ['AUDIENCE_URL', 'RELAY_PORT', 'RELAY_HOST', 'RELAY_SECRET'] as const)
      if (e[name] !== undefined) problems.push(`${name}: only used with AUDIENCE_PORT or AUDIENCE_PROCESS=external`);
    if (problems.length) throw fail();
    return undefined;
  }
  if (mode === 'child' && e.AUDIENCE_PORT === undefined)
    problems.push('AUDIENCE_PORT: required with AUDIENCE_PROCESS=child');
  if (mode === 'child' && e.AUDIENCE_PORT === e.PORT) problems.push('AUDIENCE_PORT: must differ from PORT');

  let url: string | undefined;
  if (e.AUDIENCE_URL) {
    const given = new URL(e.AUDIENCE_URL);
    if (given.pathname !== '/' || given.search || given.hash)
      problems.push('AUDIENCE_URL: must be an origin (scheme, host and port) without a path');
    url = given.origin;
  } else if (e.AUDIENCE_PORT !== undefined) {
    const derived = new URL(publicUrl);
    derived.port = String(e.AUDIENCE_PORT);
    url = derived.origin;
  } else problems.push('AUDIENCE_URL: required with AUDIENCE_PROCESS=external (where browsers reach the audience)');

  const relayPort = e.RELAY_PORT ?? (e.AUDIENCE_PORT === undefined ? undefined : e.AUDIENCE_PORT + 1);
  if (relayPort === undefined) problems.push('RELAY_PORT: required with AUDIENCE_PROCESS=external');
  else if (relayPort > 65535) problems.push('RELAY_PORT: AUDIENCE_PORT+1 is not a port; set RELAY_PORT');
  else if (relayPort === e.PORT || (mode === 'child' && relayPort === e.AUDIENCE_PORT))
    problems.push('RELAY_PORT: must differ from PORT and AUDIENCE_PORT');

  const relayHost = e.RELAY_HOST ?? '127.0.0.1';
  if (!LOOPBACK.has(relayHost) && !e.RELAY_SECRET)
    problems.push(
      `RELAY_SECRET: required when RELAY_HOST (${relayHost}) is not loopback: audience servers must prove they are ours`,
    );
  if (problems.length || !url || relayPort === undefined) throw fail();
  return {
    process: mode,
    port: mode === 'child' ? (e.AUDIENCE_PORT ?? null) : null,
    url,
    relay: { port: relayPort, host: relayHost, ...(e.RELAY_SECRET ? { secret: e.RELAY_SECRET } : {}) },
  };
}

function persistedSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString('base64url');
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
