/**
 * The fuzzer's world: a real server process on a seeded DATA_DIR (a live contest with an open
 * window and an open audience vote, a contest open for registration), the callers it fuzzes as
 * (anonymous, an audience phone, a judge, an organizer by API token and by browser session), and
 * a read-only connection to the database for row counts. Callers come from many 127.0.0.x source
 * addresses so per-IP rate limits do not hide the endpoints behind 429s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CookieJar, csrfFromHtml, request, type HttpResponse, type HttpTarget } from '../crash/http-client.js';
import { seedDataDir, type Seeded } from '../crash/seed.js';
import { freePort, ServerProcess } from '../crash/server-process.js';

export type ActorName = 'anonymous' | 'audience' | 'judge' | 'organizer-token' | 'organizer-session';
export const ACTOR_NAMES: ActorName[] = ['anonymous', 'audience', 'judge', 'organizer-token', 'organizer-session'];

export interface Actor {
  name: ActorName;
  jar: CookieJar;
  csrf: string | null;
  bearer: string | null;
}

export interface FuzzContext {
  server: ServerProcess;
  target: HttpTarget;
  seeded: Seeded;
  dataDir: string;
  actors: Record<ActorName, Actor>;
  /** The judge the fuzzer signs in as (no recusals). */
  judgeId: number;
  projectRefs: string[];
  /** The live contest as a contest document (a valid body for the import route). */
  contestDocument: Record<string, unknown>;
  db: SQLite.Database;
  /** A source address for the next request (spread over 127.0.0.2–127.0.0.250). */
  nextAddress(): string;
  send(actor: Actor | null, req: Parameters<typeof request>[1]): Promise<HttpResponse>;
  /** Re-creates the judge's session (after a fuzzed request revoked its link). */
  refreshJudge(): Promise<void>;
  close(): Promise<void>;
}

export async function createFuzzContext(log: (line: string) => void = () => undefined): Promise<FuzzContext> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roadshow-fuzz-'));
  const port = await freePort();
  const target: HttpTarget = { host: '127.0.0.1', port };
  const seeded = await seedDataDir(dataDir, {
    judges: 6,
    projects: 5,
    publicUrl: `http://127.0.0.1:${port}`,
    registration: true,
    vote: true,
    openAllWindows: false,
  });
  const server = new ServerProcess({ dataDir, port, env: { LOG_LEVEL: 'error' } });
  server.start();
  const ms = await server.waitReady();
  log(`server ready on 127.0.0.1:${port} in ${ms} ms (DATA_DIR ${dataDir})`);

  let address = 0;
  const nextAddress = () => `127.0.0.${2 + (address++ % 249)}`;
  const send: FuzzContext['send'] = async (actor, req) => {
    const headers: Record<string, string> = { ...req.headers };
    if (actor?.jar.size && !('cookie' in headers)) headers.cookie = actor.jar.header();
    const res = await request(target, { localAddress: nextAddress(), timeoutMs: 30_000, ...req, headers });
    actor?.jar.update(res);
    return res;
  };
  const actor = (name: ActorName): Actor => ({ name, jar: new CookieJar(), csrf: null, bearer: null });
  const actors = Object.fromEntries(
    (['anonymous', 'audience', 'judge', 'organizer-token', 'organizer-session'] as const).map((n) => [n, actor(n)]),
  ) as Record<ActorName, Actor>;
  actors['organizer-token'].bearer = seeded.apiToken;

  const audience = await send(actors.audience, {
    method: 'GET',
    path: `/live/${seeded.slug}`,
    headers: { accept: 'text/html' },
  });
  actors.audience.csrf = csrfFromHtml(audience.text);

  const judgeId = seeded.judgeIds[2]!;
  const signInJudge = async (linkPath: string) => {
    const jar = actors.judge.jar;
    const exchanged = await send(actors.judge, { method: 'GET', path: linkPath });
    if (exchanged.status !== 303) throw new Error(`judge link exchange answered ${exchanged.status}`);
    const page = await send(actors.judge, { method: 'GET', path: '/judge', headers: { accept: 'text/html' } });
    actors.judge.csrf = csrfFromHtml(page.text);
    if (!actors.judge.csrf || !jar.size) throw new Error('judge sign-in failed');
  };
  await signInJudge(seeded.links.get(judgeId)!);

  const org = actors['organizer-session'];
  const loginPage = await send(org, { method: 'GET', path: '/admin/login', headers: { accept: 'text/html' } });
  const loginCsrf = csrfFromHtml(loginPage.text);
  const form = new URLSearchParams({
    _csrf: loginCsrf ?? '',
    email: seeded.owner.email,
    password: seeded.owner.password,
  });
  const login = await send(org, {
    method: 'POST',
    path: '/admin/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  if (login.status !== 303) throw new Error(`organizer login answered ${login.status}`);
  const passwordPage = await send(org, { method: 'GET', path: '/admin/password', headers: { accept: 'text/html' } });
  org.csrf = csrfFromHtml(passwordPage.text);
  if (!org.csrf) throw new Error('no CSRF token for the organizer session');

  const exported = await send(actors['organizer-token'], {
    method: 'GET',
    path: `/api/v1/contests/${seeded.slug}/export`,
    headers: { authorization: `Bearer ${seeded.apiToken}` },
  });
  if (exported.status !== 200) throw new Error(`export answered ${exported.status}`);
  const contestDocument = exported.json as Record<string, unknown>;
  const projectRefs = ((contestDocument.projects ?? []) as { ref: string }[]).map((p) => p.ref);

  const db = new SQLite(seeded.databaseFile, { readonly: true, fileMustExist: true });

  return {
    server,
    target,
    seeded,
    dataDir,
    actors,
    judgeId,
    projectRefs,
    contestDocument,
    db,
    nextAddress,
    send,
    async refreshJudge() {
      const issued = await send(actors['organizer-token'], {
        method: 'POST',
        path: `/api/v1/contests/${seeded.slug}/judge-links`,
        headers: { authorization: `Bearer ${seeded.apiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ judgeIds: [judgeId] }),
      });
      const url = (issued.json as { links?: { url: string }[] } | undefined)?.links?.[0]?.url;
      if (issued.status !== 201 || !url) throw new Error(`re-issuing the judge link answered ${issued.status}`);
      await signInJudge(new URL(url).pathname);
    },
    async close() {
      db.close();
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Row counts of every table except the session store (which any request may write). */
export function rowCounts(db: SQLite.Database): Map<string, number> {
  const tables = (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('session') ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((t) => t.name);
  const sql = tables.map((t) => `SELECT '${t}' AS t, count(*) AS n FROM "${t}"`).join(' UNION ALL ');
  const rows = db.prepare(sql).all() as { t: string; n: number }[];
  return new Map(rows.map((r) => [r.t, r.n]));
}

export function diffCounts(before: Map<string, number>, after: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [t, n] of after) if (before.get(t) !== n) out.push(`${t} ${before.get(t) ?? 0}→${n}`);
  return out;
}
