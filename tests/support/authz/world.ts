/**
 * The world the authorization matrix and the web-security tests run in: one app (listening on
 * 127.0.0.1 so sockets can connect), three contests and one signed-in client per actor.
 *
 * Contests: `authz-live` (live; a roadshow round whose scoring window is open on project 1; judge
 * j1 is head judge, j2 is recused from project 1, j5 is spare for link issue/revoke), `authz-other`
 * (another live contest: its judges are "judges of another contest") and `authz-reg`
 * (registration open, one registration whose private status link the matrix uses), plus two
 * drafts: `authz-draft` (hidden from the public) and `authz-scratch` (the delete route deletes it).
 *
 * Actors sign in the way people do: organizers through the login form (with its CSRF token), judges
 * by opening their private link (GET /j/:token). Each actor keeps its own cookie jar and its own
 * client address (X-Forwarded-For, with TRUST_PROXY on) so per-address rate limits do not
 * spill from one actor to the next.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import type { Role } from '../../../server/domain/roles.js';
import { buildTestApp, csrfFrom, type TestApp } from '../app.js';
import { seedLiveContest, type LiveFixture } from '../fixtures.js';

export const ACTORS = [
  'anonymous',
  'judge',
  'judge-other',
  'judge-recused',
  'judge-revoked',
  'viewer',
  'host',
  'admin',
  'owner',
  'token-revoked',
] as const;
export type ActorName = (typeof ACTORS)[number];

export const ORGANIZER_ACTORS = ['viewer', 'host', 'admin', 'owner'] as const satisfies readonly Role[];
export const JUDGE_ACTORS = ['judge', 'judge-other', 'judge-recused', 'judge-revoked'] as const;

export const ACTOR_HELP: Record<ActorName, string> = {
  anonymous: 'a visitor with a session cookie and its CSRF token, signed in as nobody',
  judge: 'head judge j1 of authz-live, through a fresh private link',
  'judge-other': 'head judge j1 of authz-other (a judge of another contest)',
  'judge-recused': 'judge j2 of authz-live, recused from project 1',
  'judge-revoked': 'judge j4 of authz-live whose link was revoked after the exchange',
  viewer: 'organizer with role viewer (reads)',
  host: 'organizer with role host (also runs the stage)',
  admin: 'organizer with role admin (also edits)',
  owner: 'organizer with role owner (also manages users)',
  'token-revoked': 'a revoked API bearer token (no cookies)',
};

/** A cookie jar that keeps what responses set (name → value). */
export class Jar {
  readonly cookies = new Map<string, string>();

  absorb(res: supertest.Response): supertest.Response {
    const raw = res.headers['set-cookie'] as unknown as string[] | string | undefined;
    for (const line of ([] as string[]).concat(raw ?? [])) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

export interface Actor {
  name: ActorName;
  jar: Jar;
  /** The session's CSRF token (absent for the bearer-token actor). */
  csrf?: string;
  bearer?: string;
  /** The client address this actor's requests come from (X-Forwarded-For). */
  ip: string;
  /** Headers for a request as this actor (cookies, bearer token, client address). */
  headers(): Record<string, string>;
}

export interface World {
  t: TestApp;
  url: string;
  dataDir: string;
  live: LiveFixture;
  other: LiveFixture;
  regSlug: string;
  draftSlug: string;
  /** A second draft, the one the contest-delete route may delete. */
  scratchSlug: string;
  /** The private status link token of the registration in authz-reg. */
  regToken: string;
  /** An organizer no actor is, for the users routes to act on. */
  scratchUserId: number;
  /** Project ids / refs in authz-live by index (project 1 is index 0). */
  refs: string[];
  actors: Record<ActorName, Actor>;
  /** Builds a fresh actor of that kind (for routes that end the session they run in). */
  freshActor(name: ActorName): Promise<Actor>;
  destroy(): Promise<void>;
}

const organizerSystem = { kind: 'organizer' as const, id: 1 };

let ipCounter = 0;
const nextIp = () => `192.0.2.${(++ipCounter % 250) + 1}`;

function makeActor(name: ActorName, jar: Jar, ip: string, csrf?: string, bearer?: string): Actor {
  return {
    name,
    jar,
    csrf,
    bearer,
    ip,
    headers() {
      const h: Record<string, string> = { 'X-Forwarded-For': ip };
      const cookie = jar.header();
      if (cookie) h.Cookie = cookie;
      if (bearer) h.Authorization = `Bearer ${bearer}`;
      return h;
    },
  };
}

async function seedRegistrationContest(t: TestApp, slug: string): Promise<string> {
  const c = t.services.contests;
  await c.createContest({ slug, name: { zh: '报名测试赛' }, status: 'registration-open', startsOn: '2030-06-01' });
  await c.editPart(slug, 'tracks', { kind: 'add', input: { key: 'ai', name: { zh: 'AI+医疗健康' } } });
  const done = await t.services.registration.register(slug, {
    title: '基于AI的眼底筛查系统',
    trackKey: 'ai',
    institution: '首都医科大学附属北京友谊医院',
    leader: { name: '李华', phone: '138 0013 8001', email: 'team1@example.cn' },
    members: [{ name: '王敏', role: '临床负责人' }],
    stage: 'prototype',
    summary: '一套用于基层医院的眼底照片AI筛查系统。',
    consent: true,
  });
  return done.token;
}

/** Builds the app, the contests and every actor. */
export async function buildWorld(): Promise<World> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roadshow-authz-'));
  const t = await buildTestApp({ config: { dataDir, trustProxy: true } });
  await new Promise<void>((resolve) => t.httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(t.httpServer.address() as AddressInfo).port}`;

  const live = await seedLiveContest(t.services, { slug: 'authz-live', judges: 5, projects: 3 });
  const other = await seedLiveContest(t.services, { slug: 'authz-other', judges: 3, projects: 2 });
  const regSlug = 'authz-reg';
  const regToken = await seedRegistrationContest(t, regSlug);
  const draftSlug = 'authz-draft';
  await t.services.contests.createContest({ slug: draftSlug, name: { zh: '草稿赛' }, status: 'draft' });
  const scratchSlug = 'authz-scratch';
  await t.services.contests.createContest({ slug: scratchSlug, name: { zh: '可删除的草稿' }, status: 'draft' });
  const refs = (await t.services.contests.load(live.slug)).doc.projects.map((p) => p.ref);

  // Project 1 is on stage with its scoring window open, so a judge's sheet write can succeed.
  await t.services.stage.act(live.slug, organizerSystem, {
    kind: 'call',
    roundId: live.roundId,
    projectId: live.projectIds[0],
  });
  await t.services.stage.act(live.slug, organizerSystem, { kind: 'open-scoring' });

  const scratchUserId = (await t.organizer('viewer', 'scratch@example.test')).id;
  const request = () => supertest(t.app);

  /** A visitor: a session cookie and its CSRF token from the front page, and the device cookie. */
  async function visitor(name: ActorName, jar = new Jar(), ip = nextIp()): Promise<Actor> {
    const home = jar.absorb(await request().get('/').set({ 'X-Forwarded-For': ip, Cookie: jar.header() }));
    const live1 = jar.absorb(
      await request().get(`/live/${live.slug}`).set({ 'X-Forwarded-For': ip, Cookie: jar.header() }),
    );
    if (live1.status !== 200) throw new Error(`GET /live/${live.slug} → ${live1.status}`);
    return makeActor(name, jar, ip, csrfFrom(home.text));
  }

  async function organizer(role: Role): Promise<Actor> {
    const { email, password } = await t.organizer(role);
    const jar = new Jar();
    const ip = nextIp();
    const form = jar.absorb(await request().get('/admin/login').set({ 'X-Forwarded-For': ip }));
    const res = jar.absorb(
      await request()
        .post('/admin/login')
        .set({ 'X-Forwarded-For': ip, Cookie: jar.header() })
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email, password }),
    );
    if (res.status !== 303) throw new Error(`login as ${role} failed: ${res.status}`);
    return visitor(role, jar, ip);
  }

  async function judge(name: ActorName, contest: LiveFixture, index: number): Promise<Actor> {
    const [issued] = await t.services.judgeLinks.issue(contest.contestId, [contest.judgeIds[index]!], 1);
    const jar = new Jar();
    const ip = nextIp();
    const res = jar.absorb(await request().get(new URL(issued!.url).pathname).set({ 'X-Forwarded-For': ip }));
    if (res.status !== 303) throw new Error(`link exchange for ${name} failed: ${res.status}`);
    return visitor(name, jar, ip);
  }

  async function build(name: ActorName): Promise<Actor> {
    switch (name) {
      case 'anonymous':
        return visitor(name);
      case 'judge':
        return judge(name, live, 0);
      case 'judge-other':
        return judge(name, other, 0);
      case 'judge-recused':
        return judge(name, live, 1);
      case 'judge-revoked': {
        const actor = await judge(name, live, 3);
        await t.services.judgeLinks.revoke(live.contestId, live.judgeIds[3]!, 1);
        return actor;
      }
      case 'token-revoked': {
        const { email } = await t.organizer('owner');
        const { id, token } = await t.services.users.createToken(email, 'revoked');
        await t.services.users.revokeToken(id);
        return makeActor(name, new Jar(), nextIp(), undefined, token);
      }
      default:
        return organizer(name);
    }
  }

  const actors = {} as Record<ActorName, Actor>;
  for (const name of ACTORS) actors[name] = await build(name);

  return {
    t,
    url,
    dataDir,
    live,
    other,
    regSlug,
    draftSlug,
    scratchSlug,
    regToken,
    scratchUserId,
    refs,
    actors,
    freshActor: build,
    async destroy() {
      t.httpServer.closeAllConnections();
      await t.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
