/**
 * The authorization matrix: every HTTP route the app serves (found by walking the Express router
 * stack) and every Socket.IO namespace and client event, tried as every actor — anonymous, a
 * judge of this contest, a judge of another contest, a recused judge, a judge whose link was
 * revoked, viewer, host, admin, owner and a revoked API token. Allowed actors must get through
 * (not 401/403, not sent to the login page, no 5xx; a 404 for a deliberately missing entity or a
 * 409/422 for a harmless body is fine); refused actors must get 401/403 (or, for pages, a
 * redirect to the login form) and leave every table and every contest revision exactly as they
 * were. A route without an entry in tests/support/authz/inventory.ts fails the suite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type supertest from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../server/http/api/api.router.js';
import { registrationRoutes } from '../../server/http/api/registration.api.js';
import type { Ack } from '../../server/realtime/contract.js';
import { NAMESPACES } from '../../server/realtime/contract.js';
import {
  HTTP_MATRIX,
  SOCKET_MATRIX,
  buildRequest,
  expected,
  verdictOf,
  type Entry,
  type Req,
  type Verdict,
} from '../support/authz/inventory.js';
import { describeResponse, quietTrustProxyWarning, send as sendAs, splitKey, tick } from '../support/authz/http.js';
import { listRoutes } from '../support/authz/routes.js';
import { changes, fingerprint } from '../support/authz/state.js';
import { ACTORS, buildWorld, type Actor, type ActorName, type World } from '../support/authz/world.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let w: World;
/** `METHOD path` of every route the app serves. */
let served: string[] = [];
const report: string[] = [];

const restoreConsole = quietTrustProxyWarning();

beforeAll(async () => {
  w = await buildWorld();
  served = listRoutes(w.t.app).map((r) => r.key);
}, 60_000);

afterAll(async () => {
  if (process.env.AUTHZ_REPORT) fs.writeFileSync(process.env.AUTHZ_REPORT, `${report.join('\n')}\n`);
  await w?.destroy();
  restoreConsole();
});

const send = (method: string, req: Req, actor: Actor) => sendAs(w.t.app, method, req, actor);

const toLogin = (res: supertest.Response) =>
  res.status === 303 && String(res.headers.location ?? '').startsWith('/admin/login');

/** Whether a response is a refusal (401/403; a page may redirect to the login form instead). */
function isRefusal(actor: ActorName, method: string, res: supertest.Response): boolean {
  if (res.status === 401 || res.status === 403) return true;
  if (method === 'GET' && toLogin(res)) return true;
  // A judge of another contest asking about this contest's sheets: "not found in yours".
  return actor === 'judge-other' && res.status === 404;
}

/** Got through: no 401/403, no 5xx, and a page was not sent to the login form. */
function isAllowed(method: string, res: supertest.Response): boolean {
  return res.status < 500 && res.status !== 401 && res.status !== 403 && !(method === 'GET' && toLogin(res));
}

// ---------------------------------------------------------------------------------------------

describe('the route inventory', () => {
  it('the router walker finds routes in nested and mounted routers (a known test app)', () => {
    const app = express();
    const inner = express.Router();
    inner.get('/', (_q, s) => s.end());
    inner.post('/:id/thing', (_q, s) => s.end());
    const deeper = express.Router();
    deeper.delete('/x', (_q, s) => s.end());
    inner.use('/deep', deeper);
    const plain = express.Router();
    plain
      .route('/both')
      .get((_q, s) => s.end())
      .put((_q, s) => s.end());
    plain.get(['/a', '/b'], (_q, s) => s.end());
    app.get('/top', (_q, s) => s.end());
    app.use('/mount', inner);
    app.use(plain);
    app.use((_q, _s, next) => next());
    expect(listRoutes(app).map((r) => r.key)).toEqual([
      'GET /top',
      'GET /mount/',
      'POST /mount/:id/thing',
      'DELETE /mount/deep/x',
      'GET /both',
      'PUT /both',
      'GET /a',
      'GET /b',
    ]);
  });

  it('finds the known routes of the real app, including every API table entry', () => {
    for (const key of [
      'GET /healthz',
      'POST /admin/login',
      'GET /admin/users/',
      'POST /admin/users/:id/role',
      'GET /admin/contests/:slug/results/:round/projects/:ref',
      'DELETE /api/v1/contests/:slug/judge-links/:judgeId',
      'POST /api/v1/judge/scores',
      'GET /j/:token',
    ])
      expect(served).toContain(key);
    for (const r of [...API_ROUTES, ...registrationRoutes])
      expect(served).toContain(`${r.method.toUpperCase()} ${r.path}`);
    expect(served.length).toBeGreaterThan(150);
  });

  it('every route the app serves has an entry in the matrix', () => {
    const missing = served.filter((key) => !(key in HTTP_MATRIX));
    expect(
      missing,
      `routes without an authorization-matrix entry (tests/support/authz/inventory.ts):\n${missing.join('\n')}`,
    ).toEqual([]);
  });

  it('every matrix entry names a route the app serves', () => {
    const stale = Object.keys(HTTP_MATRIX).filter((key) => !served.includes(key));
    expect(stale, `matrix entries for routes that no longer exist:\n${stale.join('\n')}`).toEqual([]);
  });

  it("the API route table's declared access agrees with the matrix", () => {
    const wrong: string[] = [];
    for (const r of [...API_ROUTES, ...registrationRoutes]) {
      const key = `${r.method.toUpperCase()} ${r.path}`;
      const declared = r.access === 'none' || r.access === 'optional' ? 'public' : r.access;
      const entry = HTTP_MATRIX[key];
      if (entry && entry.access !== declared) wrong.push(`${key}: table says ${r.access}, matrix ${entry.access}`);
    }
    expect(wrong).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

const httpKeys = Object.keys(HTTP_MATRIX).sort(
  (a, b) => Number(!!HTTP_MATRIX[a]!.endsSession) - Number(!!HTTP_MATRIX[b]!.endsSession),
);

describe('HTTP routes × actors', () => {
  it.each(httpKeys)('%s', async (key) => {
    if (!served.includes(key)) return; // reported by "every matrix entry names a route"
    const entry: Entry = HTTP_MATRIX[key]!;
    const { method, path: routePath } = splitKey(key);
    const verdicts = ACTORS.map((name) => [name, expected(entry, name)] as [ActorName, Verdict]);
    // Refused actors first, so what allowed actors write cannot hide a refused write.
    const order = [...verdicts.filter(([, v]) => v === 'refuse'), ...verdicts.filter(([, v]) => v !== 'refuse')];
    const problems: string[] = [];
    for (const [name, verdict] of order) {
      const actor = entry.endsSession ? await w.freshActor(name) : w.actors[name];
      const req = buildRequest(routePath, entry, w, actor);
      await tick();
      const before = verdict === 'refuse' ? fingerprint(w.t.opened.sqlite) : null;
      const res = await send(method, req, actor);
      report.push(`${key}\t${name}\t${verdict}\t${describeResponse(res)}`);
      if (verdict === 'refuse') {
        if (!isRefusal(name, method, res)) problems.push(`${name}: expected a refusal, got ${describeResponse(res)}`);
        await tick();
        const diff = changes(before!, fingerprint(w.t.opened.sqlite));
        if (diff.length) problems.push(`${name}: refused request wrote: ${diff.join('; ')}`);
      } else if (verdict === 'allow' && !isAllowed(method, res)) {
        problems.push(`${name}: expected to get through, got ${describeResponse(res)} ${res.text.slice(0, 200)}`);
      } else if (verdict === 'either' && res.status >= 500) {
        problems.push(`${name}: ${describeResponse(res)}`);
      }
    }
    expect(problems, `${key} (${entry.access})`).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('rules the route table alone cannot show', () => {
  const scorePost = (actor: Actor, body: Record<string, unknown>) =>
    send('POST', { path: '/api/v1/judge/scores', body, kind: 'json' }, actor);
  const sheet = (over: Record<string, unknown> = {}) => ({
    submissionId: `authz-${Math.random().toString(36).slice(2)}-sheet`,
    roundId: w.live.roundId,
    projectId: w.live.projectIds[0],
    marks: { innovation: 10, team: 10 },
    ...over,
  });

  it.each([
    ['judge', 'another judge’s sheet', () => sheet({ judgeId: w.live.judgeIds[2] }), 'not-your-sheet'],
    [
      'judge',
      'a sheet in another contest',
      () => sheet({ roundId: w.other.roundId, projectId: w.other.projectIds[0] }),
      'not-assigned',
    ],
    [
      'judge-other',
      'a sheet in this contest, naming itself',
      () => sheet({ judgeId: w.other.judgeIds[0] }),
      'not-assigned',
    ],
    ['judge-recused', 'the project it is recused from', () => sheet({ judgeId: w.live.judgeIds[1] }), 'recused'],
  ] as const)('a %s writing %s is refused (%s) and nothing is written', async (name, _what, body, code) => {
    const before = fingerprint(w.t.opened.sqlite);
    const res = await scorePost(w.actors[name], body());
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe(code);
    expect(changes(before, fingerprint(w.t.opened.sqlite))).toEqual([]);
  });

  it('a judge who is not head judge cannot unlock a sheet, even in its own contest', async () => {
    const before = fingerprint(w.t.opened.sqlite);
    const res = await send(
      'POST',
      {
        path: '/api/v1/judge/unlocks',
        kind: 'json',
        body: { roundId: w.live.roundId, projectId: w.live.projectIds[0], judgeId: w.live.judgeIds[0], reason: 'no' },
      },
      w.actors['judge-recused'],
    );
    expect(res.status).toBe(403);
    expect(changes(before, fingerprint(w.t.opened.sqlite))).toEqual([]);
  });

  it('a draft contest is invisible to everyone but organizers', async () => {
    const slug = w.draftSlug;
    const pages = [
      `/screen/${slug}`,
      `/live/${slug}`,
      `/contests/${slug}/schedule`,
      `/contests/${slug}/schedule.json`,
      `/contests/${slug}/results`,
      `/contests/${slug}/register`,
      `/api/v1/contests/${slug}`,
      `/api/v1/contests/${slug}/leaderboard`,
      `/api/v1/contests/${slug}/screen`,
      `/api/v1/contests/${slug}/votes`,
      `/api/v1/contests/${slug}/published-results`,
    ];
    const leaks: string[] = [];
    for (const name of ['anonymous', 'judge', 'judge-other', 'judge-revoked'] as const) {
      for (const page of pages) {
        const res = await send('GET', { path: page }, w.actors[name]);
        if (res.status !== 404 || res.text.includes('草稿赛')) leaks.push(`${name} GET ${page}: ${res.status}`);
      }
      const list = await send('GET', { path: '/api/v1/contests' }, w.actors[name]);
      if (list.text.includes(slug)) leaks.push(`${name}: the contest list names the draft`);
    }
    expect(leaks).toEqual([]);
    const organizer = await send('GET', { path: `/api/v1/contests/${slug}` }, w.actors.viewer);
    expect(organizer.status).toBe(200);
    expect((await send('GET', { path: `/screen/${slug}` }, w.actors.viewer)).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------

const sockets: Socket[] = [];

function socketAs(namespace: string, actor: Actor): Socket {
  const headers = actor.headers();
  delete headers['X-Forwarded-For'];
  const s = connect(`${w.url}${namespace}`, {
    extraHeaders: headers,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  sockets.push(s);
  return s;
}

/** Connects; resolves true when connected, false when the handshake was refused. */
function outcome(s: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    s.once('connect', () => resolve(true));
    s.once('connect_error', () => resolve(false));
  });
}

const watch = (s: Socket, slug: string) => s.timeout(5000).emitWithAck('contest:watch', slug) as Promise<Ack>;

/** Client events declared in the typed contract, as `namespace event`. */
function contractEvents(): string[] {
  const text = fs.readFileSync(path.join(root, 'server/realtime/contract.ts'), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/export interface (\w+)ClientEvents\s*\{([^}]*)\}/g)) {
    const ns = `/${m[1]!.toLowerCase()}`;
    for (const e of m[2]!.matchAll(/'([\w:-]+)'\s*:/g)) out.push(`${ns} ${e[1]}`);
  }
  return out;
}

describe('Socket.IO namespaces × actors', () => {
  afterAll(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });

  it('every namespace and client event (contract and live handlers) has an entry', async () => {
    const namespaces = [...(w.t.io as unknown as { _nsps: Map<string, unknown> })._nsps.keys()].filter(
      (n) => n !== '/',
    );
    expect(new Set(namespaces)).toEqual(new Set(Object.values(NAMESPACES)));
    // Connect as the owner (and a judge) so each namespace's live handlers are registered, then read them.
    const live: string[] = [];
    for (const ns of namespaces) {
      const s = socketAs(ns, ns === NAMESPACES.judge ? w.actors.judge : w.actors.owner);
      expect(await outcome(s)).toBe(true);
      for (const server of w.t.io.of(ns).sockets.values()) {
        for (const e of server.eventNames())
          if (typeof e === 'string' && !['disconnect', 'disconnecting', 'error'].includes(e)) live.push(`${ns} ${e}`);
      }
      s.disconnect();
    }
    const all = [...new Set([...namespaces, ...contractEvents(), ...live])];
    const missing = all.filter((k) => !(k in SOCKET_MATRIX));
    expect(missing, `socket namespaces/events without a matrix entry:\n${missing.join('\n')}`).toEqual([]);
  });

  it.each(Object.values(NAMESPACES))('handshake on %s and its client events, as every actor', async (ns) => {
    const problems: string[] = [];
    for (const name of ACTORS) {
      const allowed = verdictOf(SOCKET_MATRIX[ns]!.access, name) === 'allow';
      const before = fingerprint(w.t.opened.sqlite);
      const s = socketAs(ns, w.actors[name]);
      const ok = await outcome(s);
      report.push(`socket ${ns}\t${name}\t${allowed ? 'allow' : 'refuse'}\t${ok ? 'connected' : 'refused'}`);
      if (ok !== allowed)
        problems.push(`${name}: ${ok ? 'connected' : 'refused'}, expected ${allowed ? 'allow' : 'refuse'}`);
      if (!ok) {
        await tick();
        const diff = changes(before, fingerprint(w.t.opened.sqlite));
        if (diff.length) problems.push(`${name}: refused handshake wrote: ${diff.join('; ')}`);
      }
      const event = `${ns} contest:watch`;
      if (ok && SOCKET_MATRIX[event]) {
        const eventAllowed = verdictOf(SOCKET_MATRIX[event].access, name) === 'allow';
        const ack = await watch(s, w.live.slug);
        if (ack.ok !== eventAllowed) problems.push(`${name}: ${event} acked ${JSON.stringify(ack)}`);
        // Drafts are for organizers: the public screen namespace never joins one.
        const draft = await watch(s, w.draftSlug);
        const draftAllowed = ns === NAMESPACES.admin && eventAllowed;
        if (draft.ok !== draftAllowed) problems.push(`${name}: ${event} on a draft acked ${JSON.stringify(draft)}`);
      }
      s.disconnect();
    }
    expect(problems, ns).toEqual([]);
  });

  it("a judge's socket hears its own contest only", async () => {
    const mine = socketAs(NAMESPACES.judge, w.actors.judge);
    const theirs = socketAs(NAMESPACES.judge, w.actors['judge-other']);
    const heard = { mine: [] as string[], theirs: [] as string[] };
    mine.on('stage:updated', (v: { slug: string }) => heard.mine.push(v.slug));
    theirs.on('stage:updated', (v: { slug: string }) => heard.theirs.push(v.slug));
    expect(await outcome(mine)).toBe(true);
    expect(await outcome(theirs)).toBe(true);
    await expect.poll(() => heard.mine.length + heard.theirs.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    await w.t.services.stage.act(w.live.slug, { kind: 'organizer', id: 1 }, { kind: 'close-scoring' });
    await expect
      .poll(() => heard.mine.filter((s) => s === w.live.slug).length, { timeout: 5000 })
      .toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.theirs.every((s) => s === w.other.slug)).toBe(true);
  });
});
