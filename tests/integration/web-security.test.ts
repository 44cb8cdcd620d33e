/**
 * Web security of the whole app, route by route from the authorization matrix's inventory:
 * CSRF on every state-changing route (no token / a wrong token → 403, nothing written), the
 * multipart exception of server/http/middleware/csrf.ts, cross-site `Sec-Fetch-Site` refused, no
 * state change on any GET, Socket.IO handshakes from a foreign Origin refused on every namespace,
 * a new session id at login and at the judge link exchange, ≥128-bit tokens stored only as
 * hashes, rate limits (login, link exchange, registration, appeals, votes, score posts) reached
 * and not bypassed by a forged X-Forwarded-For, the small Socket.IO frame limit, and the
 * security headers (CSP without inline script, nosniff, frame-ancestors 'none', no X-Powered-By).
 */
import supertest from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/app.js';
import { NAMESPACES } from '../../server/realtime/contract.js';
import { buildTestApp, csrfFrom, csrfOf } from '../support/app.js';
import { submissionId } from '../support/fixtures.js';
import { describeResponse, quietTrustProxyWarning, send, splitKey, tick } from '../support/authz/http.js';
import { HTTP_MATRIX, buildRequest, type Entry } from '../support/authz/inventory.js';
import { listRoutes } from '../support/authz/routes.js';
import { changes, fingerprint } from '../support/authz/state.js';
import { buildWorld, Jar, type Actor, type ActorName, type World } from '../support/authz/world.js';

let w: World;
let served: string[] = [];
const restoreConsole = quietTrustProxyWarning();

beforeAll(async () => {
  w = await buildWorld();
  served = listRoutes(w.t.app).map((r) => r.key);
}, 60_000);
afterAll(async () => {
  await w?.destroy();
  restoreConsole();
});

/** The actor a route is meant for: the one whose token the CSRF check must insist on. */
function ownerOf(entry: Entry): ActorName {
  switch (entry.access) {
    case 'public':
      return 'anonymous';
    case 'judge':
    case 'judge-sheet':
    case 'head-judge':
      return 'judge';
    default:
      return 'owner';
  }
}

const routes = (pred: (method: string) => boolean) =>
  Object.keys(HTTP_MATRIX).filter((key) => pred(splitKey(key).method));
const writes = routes((m) => m !== 'GET' && m !== 'HEAD');
const reads = routes((m) => m === 'GET');

const db = () => w.t.opened.sqlite;

/** Sends `key` as the actor it is meant for, with `options`; returns the response and what changed. */
async function attempt(key: string, options: Parameters<typeof send>[4], as?: ActorName) {
  const entry = HTTP_MATRIX[key]!;
  const { method, path } = splitKey(key);
  const actor = w.actors[as ?? ownerOf(entry)];
  const req = buildRequest(path, entry, w, actor);
  await tick();
  const before = fingerprint(db());
  const res = await send(w.t.app, method, req, actor, options);
  await tick();
  return { res, written: changes(before, fingerprint(db())) };
}

describe('CSRF on every state-changing route', () => {
  it('covers every write route the app serves', () => {
    const servedWrites = served.filter((key) => !key.startsWith('GET '));
    expect(servedWrites.filter((key) => !writes.includes(key))).toEqual([]);
    expect(writes.length).toBeGreaterThan(60);
  });

  it.each(writes)('%s: no token → 403, a wrong token → 403, nothing written', async (key) => {
    if (!served.includes(key)) return;
    const problems: string[] = [];
    for (const [label, csrf] of [
      ['no token', null],
      ['a wrong token', 'A'.repeat(43)],
    ] as const) {
      const { res, written } = await attempt(key, { csrf });
      if (res.status !== 403) problems.push(`${label}: ${describeResponse(res)}`);
      else if (res.type === 'application/json' && res.body.error?.code !== 'csrf-invalid')
        problems.push(`${label}: ${describeResponse(res)}`);
      if (written.length) problems.push(`${label}: wrote ${written.join('; ')}`);
    }
    expect(problems).toEqual([]);
  });

  it.each(writes)('%s: Sec-Fetch-Site: cross-site → 403 even with the right token', async (key) => {
    if (!served.includes(key)) return;
    const { res, written } = await attempt(key, { headers: { 'Sec-Fetch-Site': 'cross-site' } });
    expect(res.status, describeResponse(res)).toBe(403);
    expect(res.text).toContain('cross-site');
    expect(written).toEqual([]);
  });

  it('multipart forms: the deferred check still refuses a missing or wrong _csrf, and only listed paths defer', async () => {
    const anonymous = w.actors.anonymous;
    const multipart = (url: string, actor: Actor, fields: Record<string, string>) => {
      const req = supertest(w.t.app).post(url).set(actor.headers());
      for (const [k, v] of Object.entries(fields)) req.field(k, v);
      if (url.endsWith('/import'))
        return req.attach('file', Buffer.from('项目名称,赛道\n多部分,ai\n'), {
          filename: 'p.csv',
          contentType: 'text/csv',
        });
      return req.attach('deck', Buffer.from('%PDF-1.4\n%%EOF\n'), {
        filename: 'd.pdf',
        contentType: 'application/pdf',
      });
    };
    const form = { title: '多部分', trackKey: 'ai', consent: 'on' };
    for (const [url, actor] of [
      [`/contests/${w.regSlug}/register`, anonymous],
      [`/r/${w.regToken}/edit`, anonymous],
      [`/admin/contests/${w.live.slug}/import`, w.actors.owner],
      // Not a listed upload form: the global check refuses it before anything parses the body.
      [`/admin/contests/${w.live.slug}/tracks`, w.actors.owner],
    ] as const) {
      for (const token of [undefined, 'A'.repeat(43)]) {
        const before = fingerprint(db());
        const res = await multipart(url, actor, token ? { _csrf: token, ...form } : form);
        expect(res.status, `${url} ${token ? 'wrong' : 'no'} token`).toBe(403);
        expect(changes(before, fingerprint(db()))).toEqual([]);
      }
    }
    // The right token in the multipart body is accepted by the deferred check (the form then validates).
    const ok = await multipart(`/contests/${w.regSlug}/register`, anonymous, { _csrf: anonymous.csrf!, ...form });
    expect(ok.status).toBe(422);
  });

  it('bearer-token API calls carry no cookies and need no CSRF token; cookie-carrying API calls do', async () => {
    const { email } = await w.t.organizer('viewer');
    const { token } = await w.t.services.users.createToken(email, 'csrf');
    const bearer = await supertest(w.t.app)
      .get(`/api/v1/contests/${w.live.slug}/stage`)
      .set('Authorization', `Bearer ${token}`);
    expect(bearer.status).toBe(200);
    const refused = await supertest(w.t.app)
      .post(`/api/v1/contests/${w.live.slug}/stage`)
      .set('Authorization', `Bearer ${token}`)
      .send({ kind: 'pause' });
    expect(refused.status).toBe(403); // a viewer's token: authorization, not CSRF, refuses it
    expect(refused.body.error.code).toBe('forbidden');
  });
});

describe('no state change on GET', () => {
  it.each(reads)('%s', async (key) => {
    if (!served.includes(key)) return;
    const entry = HTTP_MATRIX[key]!;
    const actors: ActorName[] = [ownerOf(entry), 'anonymous', 'viewer'];
    const problems: string[] = [];
    for (const name of new Set(actors)) {
      const { res, written } = await attempt(key, {}, name);
      if (written.length) problems.push(`${name} (${res.status}): ${written.join('; ')}`);
      if (res.status >= 500) problems.push(`${name}: ${describeResponse(res)}`);
    }
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

const sockets: Socket[] = [];
function socket(namespace: string, headers: Record<string, string>, transports = ['websocket']): Socket {
  const s = connect(`${w.url}${namespace}`, { extraHeaders: headers, transports, forceNew: true, reconnection: false });
  sockets.push(s);
  return s;
}
const outcome = (s: Socket) =>
  new Promise<boolean>((resolve) => {
    s.once('connect', () => resolve(true));
    s.once('connect_error', () => resolve(false));
  });
const cookieOf = (name: ActorName) => w.actors[name].jar.header();

describe('Socket.IO', () => {
  afterAll(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });

  const credentials = (ns: string) => ({
    cookie: cookieOf(ns === NAMESPACES.judge ? 'judge' : 'owner'),
  });

  it.each(Object.values(NAMESPACES))(
    '%s refuses a foreign Origin (websocket and polling), accepts its own',
    async (ns) => {
      for (const origin of ['http://evil.example', 'https://127.0.0.1.evil.example', 'null', 'not a url']) {
        for (const transports of [['websocket'], ['polling']]) {
          expect(
            await outcome(socket(ns, { ...credentials(ns), origin }, transports)),
            `${origin} ${transports[0]}`,
          ).toBe(false);
        }
      }
      expect(await outcome(socket(ns, { ...credentials(ns), origin: w.url }))).toBe(true);
    },
  );

  it('the frame limit is small and a larger frame drops only that socket (every namespace)', async () => {
    const limit = (w.t.io.engine as unknown as { opts: { maxHttpBufferSize: number } }).opts.maxHttpBufferSize;
    expect(limit).toBeLessThanOrEqual(100_000);
    for (const ns of Object.values(NAMESPACES)) {
      const big = socket(ns, credentials(ns));
      const other = socket(ns, credentials(ns));
      expect(await outcome(big)).toBe(true);
      expect(await outcome(other)).toBe(true);
      const dropped = new Promise<string>((resolve) => big.once('disconnect', (reason) => resolve(reason)));
      big.emit('contest:watch', 'y'.repeat(limit + 1024));
      expect(await dropped).toBe('transport close');
      await new Promise((r) => setTimeout(r, 50));
      expect(other.connected, ns).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------

function sessionId(res: supertest.Response): string | undefined {
  const raw = ([] as string[]).concat((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []);
  return raw.find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.split(';')[0];
}

describe('sessions', () => {
  it('a new session id at login; the old id and its CSRF token are dead', async () => {
    const { email, password } = await w.t.organizer('viewer');
    const page = await supertest(w.t.app).get('/admin/login');
    const before = sessionId(page)!;
    const oldToken = csrfFrom(page.text);
    const res = await supertest(w.t.app)
      .post('/admin/login')
      .set('Cookie', before)
      .type('form')
      .send({ _csrf: oldToken, email, password });
    expect(res.status).toBe(303);
    const after = sessionId(res)!;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    // The pre-login id is no longer signed in (it was destroyed, not upgraded).
    const stale = await supertest(w.t.app).get('/admin/password').set('Cookie', before);
    expect(stale.status).toBe(303);
    expect(stale.headers.location).toContain('/admin/login');
    // The pre-login CSRF token does not work with the new session.
    const lang = await supertest(w.t.app)
      .post('/lang')
      .set('Cookie', after)
      .type('form')
      .send({ _csrf: oldToken, locale: 'en' });
    expect(lang.status).toBe(403);
    expect((await supertest(w.t.app).get('/admin/password').set('Cookie', after)).status).toBe(200);
  });

  it('a new session id at the judge link exchange; the old id is not a judge', async () => {
    const [issued] = await w.t.services.judgeLinks.issue(w.live.contestId, [w.live.judgeIds[2]!], 1);
    const home = await supertest(w.t.app).get('/');
    const before = sessionId(home)!;
    const res = await supertest(w.t.app).get(new URL(issued!.url).pathname).set('Cookie', before);
    expect(res.status).toBe(303);
    const after = sessionId(res)!;
    expect(after).not.toBe(before);
    expect((await supertest(w.t.app).get('/api/v1/judge/state').set('Cookie', before)).status).toBe(401);
    expect((await supertest(w.t.app).get('/api/v1/judge/state').set('Cookie', after)).status).toBe(200);
  });

  it('session cookies are HttpOnly and SameSite=Lax', async () => {
    const res = await supertest(w.t.app).get('/');
    const cookie = ([] as string[])
      .concat((res.headers['set-cookie'] as unknown as string[]) ?? [])
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });
});

describe('secrets', () => {
  const URL_SAFE = /^[A-Za-z0-9_-]+$/;
  const bits = (token: string) => token.length * Math.log2(64);

  it('judge link, API and registration-status tokens carry ≥128 bits and are stored only hashed', async () => {
    const links = await w.t.services.judgeLinks.issue(w.live.contestId, [w.live.judgeIds[4]!], 1);
    const linkToken = new URL(links[0]!.url).pathname.slice('/j/'.length);
    const { email } = await w.t.organizer('viewer');
    const api = (await w.t.services.users.createToken(email, 'bits')).token;
    const apiBody = api.replace(/^rs_/, '');
    for (const [what, token] of [
      ['judge link', linkToken],
      ['API token', apiBody],
      ['registration status', w.regToken],
    ] as const) {
      expect(token, what).toMatch(URL_SAFE);
      expect(bits(token), what).toBeGreaterThanOrEqual(128);
    }
    // No table holds a token in the clear.
    const dump = JSON.stringify(
      (db().prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) =>
        db().prepare(`SELECT * FROM "${t.name}"`).all(),
      ),
    );
    for (const token of [linkToken, api, w.regToken]) expect(dump).not.toContain(token);
  });

  it('tokens do not repeat and use the whole alphabet (200 judge links)', async () => {
    const judgeId = w.live.judgeIds[4]!;
    const tokens: string[] = [];
    for (let i = 0; i < 200; i++) {
      const [l] = await w.t.services.judgeLinks.issue(w.live.contestId, [judgeId], 1);
      tokens.push(new URL(l!.url).pathname.slice(3));
    }
    expect(new Set(tokens).size).toBe(200);
    const chars = new Set(tokens.join(''));
    expect(chars.size).toBeGreaterThanOrEqual(60);
  });
});

// ---------------------------------------------------------------------------------------------

describe('rate limits', () => {
  /** Sends until a 429 (at most `max` + 1 tries); returns how many got through first. */
  async function hitUntil429(max: number, sendOne: (i: number) => Promise<supertest.Response>) {
    for (let i = 0; i <= max; i++) {
      const res = await sendOne(i);
      if (res.status === 429) return i;
      expect(res.status, describeResponse(res)).toBeLessThan(500);
    }
    throw new Error(`no 429 after ${max + 1} requests`);
  }

  /** A fresh visitor at its own address (the world app trusts X-Forwarded-For). */
  async function visitorAt(ip: string, slug = w.live.slug) {
    const jar = new Jar();
    const home = jar.absorb(await supertest(w.t.app).get('/').set('X-Forwarded-For', ip));
    jar.absorb(await supertest(w.t.app).get(`/live/${slug}`).set({ 'X-Forwarded-For': ip, Cookie: jar.header() }));
    return { jar, csrf: csrfFrom(home.text), headers: () => ({ 'X-Forwarded-For': ip, Cookie: jar.header() }) };
  }

  it('login: 20 tries per 15 minutes per address', async () => {
    const v = await visitorAt('198.51.100.1');
    const n = await hitUntil429(20, () =>
      supertest(w.t.app)
        .post('/admin/login')
        .set(v.headers())
        .type('form')
        .send({ _csrf: v.csrf, email: 'nobody@example.test', password: 'wrong password' }),
    );
    expect(n).toBe(20);
  });

  it('judge link exchange: 30 per minute per address', async () => {
    const n = await hitUntil429(30, () =>
      supertest(w.t.app).get('/j/guessing-a-link-token-000000000000').set('X-Forwarded-For', '198.51.100.2'),
    );
    expect(n).toBe(30);
  });

  it('registration (form and API together): 10 per 10 minutes per address', async () => {
    const v = await visitorAt('198.51.100.3');
    const n = await hitUntil429(10, (i) =>
      i % 2
        ? supertest(w.t.app)
            .post(`/api/v1/contests/${w.regSlug}/registrations`)
            .set(v.headers())
            .set('x-csrf-token', v.csrf)
            .send({})
        : supertest(w.t.app)
            .post(`/contests/${w.regSlug}/register`)
            .set(v.headers())
            .type('form')
            .send({ _csrf: v.csrf }),
    );
    expect(n).toBe(10);
  });

  it('appeals: 5 per 10 minutes per address', async () => {
    const v = await visitorAt('198.51.100.4');
    const n = await hitUntil429(5, () =>
      supertest(w.t.app)
        .post(`/contests/${w.live.slug}/appeals`)
        .set(v.headers())
        .type('form')
        .send({ _csrf: v.csrf, name: 'x', contact: 'x', body: 'x' }),
    );
    expect(n).toBe(5);
  });

  it('audience votes (JSON and form together): 20 per minute per address', async () => {
    const v = await visitorAt('198.51.100.5');
    const n = await hitUntil429(20, (i) =>
      i % 2
        ? supertest(w.t.app)
            .post(`/api/v1/contests/${w.live.slug}/votes`)
            .set(v.headers())
            .set('x-csrf-token', v.csrf)
            .send({ projectId: w.live.projectIds[1] })
        : supertest(w.t.app)
            .post(`/live/${w.live.slug}/vote`)
            .set(v.headers())
            .type('form')
            .send({ _csrf: v.csrf, projectId: String(w.live.projectIds[1]) }),
    );
    expect(n).toBe(20);
  });

  it('score posts: 120 per minute per address', async () => {
    const judge = w.actors['judge-recused'];
    const n = await hitUntil429(120, () =>
      supertest(w.t.app)
        .post('/api/v1/judge/scores')
        .set({ ...judge.headers(), 'X-Forwarded-For': '198.51.100.6' })
        .set('x-csrf-token', judge.csrf!)
        .send({ submissionId: submissionId(), roundId: w.live.roundId, projectId: w.live.projectIds[1], marks: {} }),
    );
    expect(n).toBe(120);
  });

  it('without TRUST_PROXY a forged X-Forwarded-For does not reset the login limit', async () => {
    const t = await buildTestApp();
    try {
      const agent = supertest.agent(t.app);
      const csrf = await csrfOf(agent, '/admin/login');
      const attempt = (i: number) =>
        agent
          .post('/admin/login')
          .set('X-Forwarded-For', `203.0.113.${i}`)
          .type('form')
          .send({ _csrf: csrf, email: 'nobody@example.test', password: 'wrong password' });
      for (let i = 0; i < 20; i++) expect((await attempt(i)).status).toBe(401);
      expect((await attempt(99)).status).toBe(429);
    } finally {
      await t.destroy();
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('security headers', () => {
  const pages = () => [
    '/',
    '/admin/login',
    `/screen/${w.live.slug}`,
    `/live/${w.live.slug}`,
    '/judge',
    `/contests/${w.regSlug}/register`,
    '/api/v1/contests',
    '/no-such-page',
  ];

  it('every kind of response: CSP without inline script, nosniff, frame-ancestors none, no X-Powered-By', async () => {
    for (const page of pages()) {
      const res = await supertest(w.t.app).get(page);
      const csp = String(res.headers['content-security-policy'] ?? '');
      const directive = (name: string) =>
        csp
          .split(';')
          .map((d) => d.trim())
          .find((d) => d.startsWith(`${name} `)) ?? '';
      expect(csp, page).not.toBe('');
      expect(directive('script-src'), page).toBe("script-src 'self'");
      expect(csp, page).not.toContain('unsafe-inline');
      expect(csp, page).not.toContain('unsafe-eval');
      expect(directive('frame-ancestors'), page).toBe("frame-ancestors 'none'");
      expect(directive('object-src'), page).toBe("object-src 'none'");
      expect(res.headers['x-content-type-options'], page).toBe('nosniff');
      expect(res.headers['x-powered-by'], page).toBeUndefined();
      expect(res.headers['x-frame-options'], page).toBeDefined();
      expect(res.headers['referrer-policy'], page).toBeDefined();
    }
  });

  it('an organizer page and a judge page carry the same policy', async () => {
    for (const [name, page] of [
      ['owner', `/admin/contests/${w.live.slug}/stage`],
      ['judge', '/judge'],
    ] as const) {
      const res = await supertest(w.t.app).get(page).set(w.actors[name].headers());
      expect(res.status).toBe(200);
      expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });
});
