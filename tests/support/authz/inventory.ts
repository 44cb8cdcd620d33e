/**
 * The authorization matrix: for every HTTP route (`METHOD path`, exactly as the router stack
 * lists it) and every Socket.IO namespace / client event, who may use it. Written by hand from
 * the roles (server/domain/roles.ts: a viewer reads, a host also runs the stage, an admin also
 * edits, an owner also manages users) and the judge rules — never derived from the code it checks.
 *
 * A route the app serves without an entry here fails tests/integration/authz-matrix.test.ts.
 * An entry may also say how to build a harmless, valid-looking request: allowed actors really
 * run it, so writes point at spare entities (judge j5, the scratch organizer, the draft contest)
 * or carry a stale revision / invalid body, and the actors' own sessions survive.
 */
import type { Permission } from '../../../server/domain/roles.js';
import { submissionId } from '../fixtures.js';
import type { Actor, ActorName, World } from './world.js';

/**
 * - `public`: anyone (only a revoked API bearer token is refused, everywhere, with 401).
 * - a permission: organizers whose role grants it (server/domain/roles.ts).
 * - `judge`: a judge session backed by an active link, of any contest.
 * - `judge-sheet`: a judge who may write this sheet: same contest, on the panel, not recused.
 * - `head-judge`: the head judge of this contest.
 */
export type Access = 'public' | Permission | 'judge' | 'judge-sheet' | 'head-judge';

export type Verdict = 'allow' | 'refuse' | 'either';

export interface Req {
  path: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  /** How a body is sent: forms urlencoded (the default outside /api/), JSON under /api/. */
  kind?: 'form' | 'json';
}

export interface Entry {
  access: Access;
  /** Overrides of the default path parameters (see defaultParam). */
  params?: (w: World) => Record<string, string>;
  query?: (w: World) => Record<string, string>;
  body?: (w: World, actor: Actor) => Record<string, unknown>;
  /** Per-actor exceptions to what `access` says, each with its reason in `note`. */
  verdicts?: Partial<Record<ActorName, Verdict>>;
  /** Ends the session it runs in: runs after every other route, with fresh actors. */
  endsSession?: boolean;
  note?: string;
}

const MISSING = 'authz-missing';
const staleRevision = { revision: '1' };

/** The default value of a path parameter, by name and (for `:key`) by the part it names. */
export function defaultParam(name: string, routePath: string, w: World): string {
  const last = (segment: string) => routePath.includes(`/${segment}/:key`);
  switch (name) {
    case 'slug':
      return w.live.slug;
    case 'round':
    case 'roundKey':
      return 'final';
    case 'ref':
      return w.refs[0]!;
    case 'judgeId':
      return String(w.live.judgeIds[4]);
    case 'id':
      return routePath.startsWith('/admin/users') ? String(w.scratchUserId) : '999999';
    case 'awardId':
      return '999999';
    case 'reference':
      return 'AP-MISSING-0001';
    case 'code':
      return 'NOPE2345';
    case 'action':
      return 'close';
    case 'token':
      return routePath.startsWith('/r/') ? w.regToken : 'authz-no-such-link-token-0000000000000000';
    case 'key':
      if (routePath.endsWith('/delete')) return MISSING;
      if (last('tracks')) return 'ai';
      if (last('rounds')) return 'final';
      if (last('criteria')) return 'innovation';
      if (last('judges')) return 'j5';
      if (last('projects')) return w.refs[2]!;
      if (last('conflicts')) return `j2/${w.refs[0]}`;
      return MISSING;
    default:
      throw new Error(`no default for :${name} in ${routePath}: add params to its matrix entry`);
  }
}

/** The request for `route` as `actor`. */
export function buildRequest(routePath: string, entry: Entry, w: World, actor: Actor): Req {
  const overrides = entry.params?.(w) ?? {};
  const path = routePath.replace(/:(\w+)/g, (_m, name: string) =>
    encodeURIComponent(overrides[name] ?? defaultParam(name, routePath, w)),
  );
  return {
    path,
    query: entry.query?.(w),
    body: entry.body?.(w, actor),
    kind: path.startsWith('/api/') ? 'json' : 'form',
  };
}

const scoreBody = (w: World) => ({
  submissionId: submissionId(),
  roundId: w.live.roundId,
  projectId: w.live.projectIds[0],
  marks: { innovation: 12.5, team: 10 },
  comment: 'authz matrix',
});

/** Every HTTP route. Keys are `METHOD path` as listed by tests/support/authz/routes.ts. */
export const HTTP_MATRIX: Record<string, Entry> = {
  // ---- public pages and the language switch
  'GET /': { access: 'public' },
  'POST /lang': { access: 'public', body: () => ({ locale: 'zh-CN', back: '/' }) },
  'GET /healthz': { access: 'public' },
  'GET /api/openapi.json': { access: 'public' },
  'GET /api/v1/schema/contest.json': { access: 'public' },
  'GET /contests/:slug/schedule': { access: 'public' },
  'GET /contests/:slug/schedule.json': { access: 'public' },
  'GET /contests/:slug/results': { access: 'public', note: 'not published yet: 404' },
  'POST /contests/:slug/appeals': {
    access: 'public',
    body: () => ({ name: 'x', contact: 'x', body: 'x' }),
    note: 'results not published: 404, nothing stored',
  },
  'GET /appeals/status': { access: 'public', query: () => ({ t: 'authz-no-such-status-token' }) },
  'GET /verify/:code': { access: 'public' },
  'GET /screen/:slug': { access: 'public' },
  'GET /live/:slug': { access: 'public' },
  'POST /live/:slug/vote': {
    access: 'public',
    body: (w) => ({ projectId: w.live.projectIds[1] }),
    note: 'no vote open: 409 vote-closed',
  },

  // ---- registration (public, private status links)
  'GET /contests/:slug/register': { access: 'public', params: (w) => ({ slug: w.regSlug }) },
  'POST /contests/:slug/register': {
    access: 'public',
    params: (w) => ({ slug: w.regSlug }),
    note: 'empty form: 422',
  },
  'GET /r/:token': { access: 'public', note: 'the token is the credential' },
  'GET /r/:token/edit': { access: 'public' },
  'POST /r/:token/edit': { access: 'public', note: 'empty form: 422' },
  'POST /api/v1/contests/:slug/registrations': {
    access: 'public',
    params: (w) => ({ slug: w.regSlug }),
    note: 'empty body: 422',
  },

  // ---- public JSON API
  'GET /api/v1/contests': { access: 'public', note: 'optional sign-in: organizers also see drafts' },
  'GET /api/v1/contests/:slug': { access: 'public' },
  'GET /api/v1/contests/:slug/published-results': { access: 'public', note: '404 until published' },
  'GET /api/v1/contests/:slug/votes': { access: 'public' },
  'POST /api/v1/contests/:slug/votes': {
    access: 'public',
    body: (w) => ({ projectId: w.live.projectIds[1] }),
    note: 'no vote open: 409 vote-closed',
  },
  'GET /api/v1/contests/:slug/leaderboard': { access: 'public', note: 'release policy applies' },
  'GET /api/v1/contests/:slug/screen': { access: 'public' },

  // ---- organizer JSON API
  'GET /api/v1/contests/:slug/export': { access: 'read' },
  'POST /api/v1/contests': { access: 'edit', note: 'empty body: 422' },
  'GET /api/v1/contests/:slug/results': { access: 'read' },
  'GET /api/v1/contests/:slug/results/comparison': { access: 'read' },
  'POST /api/v1/contests/:slug/results/decisions': { access: 'edit', note: 'empty body: 422' },
  'POST /api/v1/contests/:slug/results/advancement': {
    access: 'edit',
    body: () => ({ roundKey: 'final', expectedRevision: 1 }),
    note: 'stale revision: 409, nothing applied',
  },
  'GET /api/v1/contests/:slug/awards/dry-run': { access: 'read' },
  'GET /api/v1/contests/:slug/awards': { access: 'read' },
  'POST /api/v1/contests/:slug/awards/lock': {
    access: 'edit',
    body: () => ({ roundKey: 'final', expectedRevision: 1 }),
    note: 'stale revision: 409, nothing locked',
  },
  'POST /api/v1/contests/:slug/awards/overrides': { access: 'edit', note: 'empty body: 422' },
  'GET /api/v1/contests/:slug/results-package': { access: 'read' },
  'POST /api/v1/contests/:slug/publication': { access: 'edit', note: 'nothing locked: 409 or 422' },
  'GET /api/v1/contests/:slug/appeals': { access: 'read', note: 'contacts of appellants' },
  'POST /api/v1/contests/:slug/appeals/:reference/answer': { access: 'edit', note: 'unknown appeal: 404' },
  'GET /api/v1/contests/:slug/votes/tally': { access: 'read' },
  'GET /api/v1/contests/:slug/stage': { access: 'read' },
  'POST /api/v1/contests/:slug/stage': { access: 'run-stage', note: 'empty action: 422' },
  'GET /api/v1/contests/:slug/progress': { access: 'read' },
  'POST /api/v1/contests/:slug/unlocks': { access: 'edit', note: 'empty body: 422' },
  'POST /api/v1/contests/:slug/judge-links': {
    access: 'edit',
    body: (w) => ({ judgeIds: [w.live.judgeIds[4]] }),
    note: 'issues a link for the spare judge j5',
  },
  'DELETE /api/v1/contests/:slug/judge-links/:judgeId': { access: 'edit', note: 'revokes spare judge j5' },
  'GET /api/v1/contests/:slug/ledger/head': { access: 'read' },

  // ---- judges
  'GET /j/:token': {
    access: 'public',
    note: 'an unknown link: the friendly 404 page (a real one would replace the session of the actor)',
  },
  'GET /judge': { access: 'judge', note: 'others get the 401 "scan your QR code" page' },
  'GET /api/v1/judge/state': { access: 'judge' },
  'POST /api/v1/judge/scores': {
    access: 'judge-sheet',
    body: (w) => scoreBody(w),
    note: 'a sheet for project 1 of authz-live, whose window is open',
  },
  'POST /api/v1/judge/unlocks': {
    access: 'head-judge',
    body: (w) => ({
      roundId: w.live.roundId,
      projectId: w.live.projectIds[0],
      judgeId: w.live.judgeIds[0],
      reason: 'authz matrix',
    }),
  },
  'POST /judge/logout': {
    access: 'judge',
    endsSession: true,
    verdicts: { 'judge-revoked': 'either' },
    note: 'a revoked judge may still clear its own dead session',
  },

  // ---- organizer sign-in
  'GET /admin/login': { access: 'public', note: 'signed-in organizers are redirected onwards' },
  'POST /admin/login': { access: 'public', body: () => ({ email: '', password: '' }), note: 'empty form: 422' },
  'POST /admin/logout': { access: 'public', endsSession: true },
  'GET /admin/password': { access: 'read' },
  'POST /admin/password': { access: 'read', body: () => ({ password: 'short', confirm: 'other' }) },

  // ---- organizer console: contests
  'GET /admin/': { access: 'read' },
  'GET /admin/contests': { access: 'read' },
  'GET /admin/contests/new': { access: 'read', note: 'the form; saving needs edit' },
  'POST /admin/contests': { access: 'edit', note: 'empty form: 422' },
  'GET /admin/contests/:slug': { access: 'read' },
  'POST /admin/contests/:slug': { access: 'edit', note: 'empty form: 422' },
  'POST /admin/contests/:slug/delete': {
    access: 'edit',
    params: (w) => ({ slug: w.scratchSlug }),
    note: 'deletes the scratch draft (later allowed actors: 404)',
  },

  // ---- contest parts (generic part router)
  ...parts('tracks'),
  ...parts('rounds'),
  ...parts('rounds/:roundKey/criteria'),
  ...parts('prize-tiers', { editKey: MISSING }),
  ...parts('judges'),
  ...parts('projects'),
  'GET /admin/contests/:slug/conflicts/new': { access: 'read' },
  'POST /admin/contests/:slug/conflicts': { access: 'edit', note: 'empty form: 422' },
  'GET /admin/contests/:slug/conflicts/:key/edit': { access: 'read' },
  'POST /admin/contests/:slug/conflicts/:key/edit': { access: 'edit', note: 'empty form: 422' },
  'POST /admin/contests/:slug/conflicts/:key/delete': { access: 'edit', note: 'unknown key: 404' },
  'GET /admin/contests/:slug/rounds/:roundKey': { access: 'read' },

  // ---- conflicts of interest
  'GET /admin/contests/:slug/conflicts': { access: 'read' },
  'POST /admin/contests/:slug/conflicts/detect': { access: 'edit' },
  'POST /admin/contests/:slug/conflicts/manual': { access: 'edit', note: 'empty form: 422' },
  'POST /admin/contests/:slug/conflicts/waive': { access: 'edit', note: 'empty form: 422' },

  // ---- schedule
  'GET /admin/contests/:slug/schedule': { access: 'read' },
  'GET /admin/contests/:slug/schedule/:roundKey': { access: 'read' },
  'POST /admin/contests/:slug/schedule/:roundKey/settings': { access: 'edit', note: 'empty form: 422' },
  'POST /admin/contests/:slug/schedule/:roundKey/draw': { access: 'edit', note: 'no seed: 422' },
  'POST /admin/contests/:slug/schedule/:roundKey/reorder': { access: 'edit', note: 'empty form: 422' },
  'GET /admin/contests/:slug/schedule/:roundKey/print': { access: 'read' },

  // ---- review of registrations, import
  'GET /admin/contests/:slug/review': { access: 'read' },
  'GET /admin/contests/:slug/review/export.xlsx': { access: 'read', note: 'contacts of teams' },
  'GET /admin/contests/:slug/review/export.csv': { access: 'read', note: 'contacts of teams' },
  'POST /admin/contests/:slug/review/bulk': { access: 'edit', note: 'empty form: 422' },
  'GET /admin/contests/:slug/review/:ref': { access: 'read' },
  'POST /admin/contests/:slug/review/:ref/decide': { access: 'edit', note: 'empty form: 422' },
  'GET /admin/contests/:slug/import': { access: 'read' },
  'GET /admin/contests/:slug/import/template.csv': { access: 'read' },
  'POST /admin/contests/:slug/import': { access: 'edit', note: 'no file: 422' },
  'GET /admin/contests/:slug/import/:id': { access: 'read', note: 'unknown batch: 404' },
  'POST /admin/contests/:slug/import/:id/confirm': { access: 'edit', note: 'unknown batch: 404' },

  // ---- contest day: stage, progress, judge links, ledger
  'GET /admin/contests/:slug/stage': { access: 'read' },
  'GET /admin/contests/:slug/progress': { access: 'read' },
  'GET /admin/contests/:slug/judges/links': { access: 'read' },
  'POST /admin/contests/:slug/judges/links/:judgeId/issue': {
    access: 'edit',
    note: 'spare judge j5; without the page’s `seen` digest it only redirects (stale)',
  },
  'POST /admin/contests/:slug/judges/links/:judgeId/revoke': { access: 'edit', note: 'spare judge j5' },
  'GET /admin/contests/:slug/judges/cards': { access: 'read' },
  'POST /admin/contests/:slug/judges/cards': { access: 'edit', note: 'without `seen`: stale redirect' },
  'GET /admin/contests/:slug/ledger': { access: 'read' },

  // ---- big screen, release, ceremony, audience vote
  'GET /admin/contests/:slug/screen': { access: 'read' },
  'POST /admin/contests/:slug/screen': { access: 'run-stage', note: 'empty action: 422' },
  'POST /admin/contests/:slug/release': { access: 'run-stage', note: 'empty policy: 422' },
  'GET /admin/contests/:slug/ceremony': { access: 'read' },
  'POST /admin/contests/:slug/ceremony': { access: 'run-stage', note: 'empty action: 422' },
  'GET /admin/contests/:slug/votes': { access: 'read' },
  'POST /admin/contests/:slug/votes/:roundKey/review': { access: 'run-stage', note: 'empty form: 422' },
  'POST /admin/contests/:slug/votes/:roundKey/:action': {
    access: 'run-stage',
    note: '`close` while no vote is open: 409',
  },

  // ---- results and awards
  'GET /admin/contests/:slug/results': { access: 'read' },
  'GET /admin/contests/:slug/results/:round': { access: 'read' },
  'GET /admin/contests/:slug/results/:round/projects/:ref': { access: 'read' },
  'GET /admin/contests/:slug/results/:round/compare': { access: 'read' },
  'GET /admin/contests/:slug/results/:round/advancement': { access: 'read' },
  'POST /admin/contests/:slug/results/:round/advancement': {
    access: 'edit',
    body: () => staleRevision,
    note: 'stale revision: 409',
  },
  'GET /admin/contests/:slug/results/:round/decisions': { access: 'read' },
  'POST /admin/contests/:slug/results/:round/decisions': { access: 'edit', note: 'empty form: 422' },
  'GET /admin/contests/:slug/results/:round/awards': { access: 'read' },
  'POST /admin/contests/:slug/results/:round/awards/lock': {
    access: 'edit',
    body: () => staleRevision,
    note: 'stale revision: 409',
  },
  'POST /admin/contests/:slug/results/:round/awards/overrides': { access: 'edit', note: 'empty form: 422' },

  // ---- publication (公示), appeals, certificates
  'GET /admin/contests/:slug/publication': { access: 'read' },
  'POST /admin/contests/:slug/publication/publish': { access: 'edit', note: 'nothing locked: 409/422' },
  'POST /admin/contests/:slug/publication/deadline': { access: 'edit', note: 'not published: 409/422' },
  'POST /admin/contests/:slug/publication/unpublish': { access: 'edit', note: 'not published: 409/422' },
  'GET /admin/contests/:slug/publication/certificates.pdf': { access: 'read', note: 'no awards: 409' },
  'GET /admin/contests/:slug/publication/certificates/:awardId': { access: 'read', note: 'unknown award: 404' },
  'GET /admin/contests/:slug/publication/results.xlsx': { access: 'read' },
  'GET /admin/contests/:slug/publication/ranking.csv': { access: 'read' },
  'GET /admin/contests/:slug/publication/results-package.json': { access: 'read' },
  'GET /admin/contests/:slug/appeals': { access: 'read' },
  'POST /admin/contests/:slug/appeals/:reference/answer': { access: 'edit', note: 'unknown appeal: 404' },

  // ---- users (owners only)
  'GET /admin/users/': { access: 'manage-users' },
  'POST /admin/users/': { access: 'manage-users', note: 'empty form: 422' },
  'POST /admin/users/:id/role': { access: 'manage-users', note: 'scratch user, no role: 422' },
  'POST /admin/users/:id/disable': { access: 'manage-users', note: 'scratch user' },
  'POST /admin/users/:id/enable': { access: 'manage-users', note: 'scratch user' },
  'POST /admin/users/:id/reset': { access: 'manage-users', note: 'scratch user' },
};

/** The six routes of one contest part (list, new form, create, edit form, save, delete). */
function parts(segment: string, opts: { editKey?: string } = {}): Record<string, Entry> {
  const base = `/admin/contests/:slug/${segment}`;
  const params = opts.editKey ? () => ({ key: opts.editKey! }) : undefined;
  return {
    [`GET ${base}`]: { access: 'read' },
    [`GET ${base}/new`]: { access: 'read' },
    [`POST ${base}`]: { access: 'edit', note: 'empty form: 422' },
    [`GET ${base}/:key/edit`]: { access: 'read', params, note: params ? 'none seeded: 404' : undefined },
    [`POST ${base}/:key/edit`]: { access: 'edit', params, note: 'empty form: 422' },
    [`POST ${base}/:key/delete`]: { access: 'edit', note: 'unknown key: 404 (nothing deleted)' },
  };
}

/** Socket.IO: each namespace's handshake and each client event, by `namespace` or `namespace event`. */
export const SOCKET_MATRIX: Record<string, { access: Access | 'socket-public'; note?: string }> = {
  '/screen': { access: 'socket-public', note: 'public; the bearer header is not read by sockets' },
  '/screen contest:watch': { access: 'socket-public', note: 'published (non-draft) contests only' },
  '/admin': { access: 'read' },
  '/admin contest:watch': { access: 'read' },
  '/judge': { access: 'judge', note: 'a judge session whose link is still active' },
};

const RANK: Record<string, number> = { viewer: 0, host: 1, admin: 2, owner: 3 };
const NEEDS: Record<Permission, number> = { read: 0, 'run-stage': 1, edit: 2, 'manage-users': 3 };

/** What `access` means for one actor (before an entry's own exceptions). */
export function verdictOf(access: Access | 'socket-public', actor: ActorName): Verdict {
  if (access === 'socket-public') return 'allow';
  if (actor === 'token-revoked') return 'refuse';
  switch (access) {
    case 'public':
      return 'allow';
    case 'judge':
      return actor === 'judge' || actor === 'judge-other' || actor === 'judge-recused' ? 'allow' : 'refuse';
    case 'judge-sheet':
    case 'head-judge':
      return actor === 'judge' ? 'allow' : 'refuse';
    default:
      return actor in RANK && RANK[actor]! >= NEEDS[access] ? 'allow' : 'refuse';
  }
}

export function expected(entry: Entry, actor: ActorName): Verdict {
  return entry.verdicts?.[actor] ?? verdictOf(entry.access, actor);
}
