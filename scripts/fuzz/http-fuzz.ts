/**
 * Property-based fuzzing of the JSON endpoints over real HTTP, one request at a time so each can
 * be checked on its own: the server answers (and /healthz stays 200), never with a 5xx, and a
 * request that fails (or any GET) leaves the row counts of every table unchanged (the session
 * store aside). A finding makes the property fail so fast-check shrinks it; the shrunk input is
 * recorded and the run goes on with that finding's signature known, until the time is up.
 */
import fc from 'fast-check';
import type { HttpResponse } from '../crash/http-client.js';
import { ACTOR_NAMES, diffCounts, rowCounts, type ActorName, type FuzzContext } from './context.js';
import { excerpt, Findings } from './findings.js';
import { arbitraryFromSchema } from './json-schema-arb.js';
import { encode, encodingArb, mutate, opArb, safeEncode, type Encoding, type Op } from './mutations.js';
import { fuzzTargets, type FuzzTarget } from './targets.js';

type Tweak = 'none' | 'no-csrf' | 'bad-csrf' | 'bad-bearer' | 'cross-site' | 'foreign-origin';

interface Case {
  target: FuzzTarget;
  actor: ActorName;
  tweak: Tweak;
  slug: string;
  reference: string;
  judgeId: string;
  query: string;
  base: unknown;
  ops: Op[];
  encoding: Encoding;
}

export interface HttpFuzzStats {
  runs: number;
  requests: number;
  statuses: Record<string, number>;
  errorCodes: Record<string, number>;
  /** Targets that answered 2xx at least once (the fuzzer got past validation there). */
  reached: Set<string>;
  targets: number;
  targetIds: string[];
  connectionsClosed: number;
  restarts: number;
  shrunk: number;
  /** Inputs the fuzzer itself could not build (reported, not findings). */
  harnessErrors: string[];
  durationMs: number;
}

const BAD_PATH_PARTS = [
  '%',
  '%E0%A4%A',
  '..',
  '%2e%2e%2f',
  '%00',
  '%C0%AF',
  'a'.repeat(3000),
  '__proto__',
  'constructor',
];

function caseArb(ctx: FuzzContext, targets: FuzzTarget[]): fc.Arbitrary<Case> {
  const { seeded } = ctx;
  return fc.constantFrom(...targets).chain((target) => {
    const schemaBody = target.body ? arbitraryFromSchema(target.body) : fc.constant(undefined);
    const example = fc.nat().map((n) => target.example(ctx, n));
    const defaultSlug = target.path.includes('/registrations') ? (seeded.registrationSlug ?? seeded.slug) : seeded.slug;
    const pathPart = (valid: fc.Arbitrary<string>) =>
      fc.oneof(
        { weight: 10, arbitrary: valid },
        { weight: 1, arbitrary: fc.constantFrom(...BAD_PATH_PARTS) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map(safeEncode) },
      );
    const query = target.query
      ? fc.oneof(
          arbitraryFromSchema(target.query).map((q) =>
            new URLSearchParams(
              Object.entries((q ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
            ).toString(),
          ),
          fc.constantFrom(
            'round=final',
            'round=nope',
            'round[]=x',
            'round=a&round=b',
            'round=%zz',
            `round=${'r'.repeat(5000)}`,
          ),
        )
      : fc.constantFrom('', '', '', 'x=1', 'roundId=abc', 'roundId=1e400', '__proto__[x]=1');
    return fc.record({
      target: fc.constant(target),
      actor: fc.constantFrom(...ACTOR_NAMES),
      tweak: fc.oneof(
        { weight: 12, arbitrary: fc.constant<Tweak>('none') },
        {
          weight: 1,
          arbitrary: fc.constantFrom<Tweak>('no-csrf', 'bad-csrf', 'bad-bearer', 'cross-site', 'foreign-origin'),
        },
      ),
      slug: pathPart(fc.constantFrom(defaultSlug, defaultSlug, defaultSlug, 'no-such-contest', 'fuzz-import-1')),
      reference: pathPart(fc.constantFrom('AP-2024-0001', 'nope')),
      judgeId: pathPart(fc.constantFrom(...seeded.judgeIds.map(String), '0', '-1', '1e3', 'abc')),
      query,
      base:
        target.body || target.method !== 'get'
          ? fc.oneof({ weight: 3, arbitrary: example }, { weight: 2, arbitrary: schemaBody })
          : fc.constant(undefined),
      ops: fc.oneof(
        { weight: 1, arbitrary: fc.constant<Op[]>([]) },
        { weight: 3, arbitrary: fc.array(opArb, { minLength: 1, maxLength: 3 }) },
      ),
      encoding: encodingArb,
    });
  });
}

function buildRequest(ctx: FuzzContext, c: Case) {
  const actor = ctx.actors[c.actor];
  const path =
    c.target.path.replace(':slug', c.slug).replace(':reference', c.reference).replace(':judgeId', c.judgeId) +
    (c.query ? `?${c.query}` : '');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (actor.bearer) headers.authorization = `Bearer ${actor.bearer}`;
  if (actor.csrf && c.target.method !== 'get') headers['x-csrf-token'] = actor.csrf;
  switch (c.tweak) {
    case 'no-csrf':
      delete headers['x-csrf-token'];
      break;
    case 'bad-csrf':
      headers['x-csrf-token'] = 'A'.repeat(64);
      break;
    case 'bad-bearer':
      headers.authorization = 'Bearer rs_notatoken\u00e9';
      break;
    case 'cross-site':
      headers['sec-fetch-site'] = 'cross-site';
      break;
    case 'foreign-origin':
      headers.origin = 'http://evil.example';
      break;
  }
  let body: Buffer | undefined;
  let value: unknown;
  if (c.target.method !== 'get') {
    value = c.ops.length ? mutate(c.base, c.ops) : c.base;
    const encoded = encode(value, c.encoding);
    body = encoded.body;
    Object.assign(headers, encoded.headers);
    if (headers.authorization && !/^[\t\x20-\x7e\x80-\xff]*$/.test(headers.authorization))
      headers.authorization = 'Bearer x';
  }
  return { actor, method: c.target.method.toUpperCase(), path, headers, body, value };
}

function describeCase(c: Case, path: string, value: unknown): string {
  return `${c.actor}${c.tweak === 'none' ? '' : `/${c.tweak}`} ${c.target.method.toUpperCase()} ${excerpt(path, 120)} ${c.encoding.kind}${
    'contentType' in c.encoding ? `(${c.encoding.contentType})` : ''
  } ${c.target.method === 'get' ? '' : excerpt(value, 400)}`;
}

export async function fuzzHttp(
  ctx: FuzzContext,
  findings: Findings,
  opts: { timeMs: number; seed: number; log?: (line: string) => void },
): Promise<HttpFuzzStats> {
  const targets = fuzzTargets();
  const started = Date.now();
  const deadline = started + opts.timeMs;
  const stats: HttpFuzzStats = {
    runs: 0,
    requests: 0,
    statuses: {},
    errorCodes: {},
    reached: new Set(),
    targets: targets.length,
    targetIds: targets.map((t) => t.id),
    connectionsClosed: 0,
    restarts: 0,
    shrunk: 0,
    harnessErrors: [],
    durationMs: 0,
  };
  const known = new Set<string>();
  let judgeStale = false;

  const restartIfDown = async (): Promise<boolean> => {
    if (await ctx.server.healthy()) return false;
    await ctx.server.kill();
    ctx.server.start();
    await ctx.server.waitReady();
    stats.restarts++;
    return true;
  };

  // fast-check's time limit stops waiting for a run but cannot cancel it: the run in flight is
  // tracked and awaited, so none outlives the fuzzer (and reports into the next phase).
  let inFlight: Promise<boolean> = Promise.resolve(true);
  const tracked = (c: Case): Promise<boolean> => (inFlight = property(c));
  const property = async (c: Case): Promise<boolean> => {
    if (Date.now() > deadline) return true;
    stats.runs++;
    if (judgeStale && c.actor === 'judge') {
      await ctx.refreshJudge().catch(() => undefined);
      judgeStale = false;
    }
    let req: ReturnType<typeof buildRequest>;
    try {
      req = buildRequest(ctx, c);
    } catch (err) {
      // A fuzzer bug (e.g. a value too large to serialize), not a server finding.
      stats.harnessErrors.push(String(err).slice(0, 200));
      return true;
    }
    const before = rowCounts(ctx.db);
    let res: HttpResponse | null = null;
    let failure: unknown = null;
    try {
      stats.requests++;
      res = await ctx.send(req.actor, { method: req.method, path: req.path, headers: req.headers, body: req.body });
    } catch (err) {
      failure = err;
    }
    const where = c.target.id;
    const input = describeCase(c, req.path, req.value);
    let sig: string | null = null;
    if (res) {
      const key = `${Math.floor(res.status / 100)}xx`;
      stats.statuses[key] = (stats.statuses[key] ?? 0) + 1;
      const code = (res.json as { error?: { code?: string } } | undefined)?.error?.code;
      if (code) stats.errorCodes[code] = (stats.errorCodes[code] ?? 0) + 1;
      if (res.status < 300) stats.reached.add(where);
      if (c.actor === 'judge' && code === 'not-judge') judgeStale = true;
      if (res.status >= 500)
        sig = findings.add({
          kind: '5xx',
          where,
          actor: c.actor,
          status: res.status,
          detail: excerpt(res.text, 300),
          input,
        });
    } else if (await restartIfDown()) {
      sig = findings.add({
        kind: 'crash',
        where,
        actor: c.actor,
        status: null,
        detail: `${String(failure)}; ${JSON.stringify(ctx.server.lastExit)} ${ctx.server.tail(8)}`,
        input,
      });
    } else {
      // The server closed the connection (e.g. on a body over the limit) and is still healthy.
      stats.connectionsClosed++;
    }
    if (!res || res.status >= 300 || c.target.method === 'get') {
      const changed = diffCounts(before, rowCounts(ctx.db));
      if (changed.length)
        sig = findings.add({
          kind: c.target.method === 'get' ? 'get-wrote' : 'partial-write',
          where,
          actor: c.actor,
          status: res?.status ?? null,
          detail: `rows changed: ${changed.join(', ')}; answer ${excerpt(res?.text ?? String(failure), 200)}`,
          input,
        });
    }
    if (stats.runs % 25 === 0 && !(await ctx.server.healthy())) {
      await restartIfDown();
      sig = findings.add({ kind: 'unhealthy', where, actor: c.actor, status: null, detail: '/healthz failed', input });
    }
    return sig === null || known.has(sig);
  };

  let seed = opts.seed;
  while (Date.now() < deadline) {
    const result = await fc.check(fc.asyncProperty(caseArb(ctx, targets), tracked), {
      seed,
      numRuns: 1_000_000,
      interruptAfterTimeLimit: Math.max(1, deadline - Date.now()),
      markInterruptAsFailure: false,
      endOnFailure: false,
    });
    await inFlight.catch(() => true);
    if (result.failed && result.counterexample) {
      stats.shrunk++;
      const [c] = result.counterexample;
      opts.log?.(`finding (shrunk after ${result.numShrinks} steps): ${describeCase(c, c.target.path, c.base)}`);
      for (const f of findings.list) known.add(Findings.signature(f));
    } else if (!result.failed) {
      break;
    }
    for (const f of findings.list) known.add(Findings.signature(f));
    seed++;
  }
  stats.durationMs = Date.now() - started;
  return stats;
}
