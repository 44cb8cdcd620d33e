/**
 * The endpoints the fuzzer drives: every entry of the JSON API's route table (API_ROUTES) and the
 * registration API (with their Zod body and query schemas, turned into JSON Schema), plus the
 * routes outside the table that take JSON: judge score posts and unlocks, the organizers' stage,
 * unlock and judge-link API. Each has a valid example body built from the seeded contest, which
 * the mutations start from.
 */
import { z } from 'zod';
import { API_ROUTES } from '../../server/http/api/api.router.js';
import { registrationRoutes } from '../../server/http/api/registration.api.js';
import { ScoreSubmission, UnlockRequest } from '../../server/services/score.service.js';
import { HostAction } from '../../server/services/stage.service.js';
import { newSubmissionId } from '../crash/tablet.js';
import type { FuzzContext } from './context.js';
import type { JsonSchema } from './json-schema-arb.js';

export interface FuzzTarget {
  /** "POST /api/v1/judge/scores" */
  id: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  body: JsonSchema | null;
  query: JsonSchema | null;
  /** A valid body (n varies ids and names). */
  example(ctx: FuzzContext, n: number): unknown;
}

function jsonSchema(schema: z.ZodType | undefined): JsonSchema | null {
  if (!schema) return null;
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return null;
  }
}

const pick = <T>(items: readonly T[], n: number): T => items[Math.abs(n) % items.length]!;

function marksFor(ctx: FuzzContext, n: number): Record<string, number> {
  return Object.fromEntries(
    ctx.seeded.criteria.map((c, i) => {
      const steps = Math.floor((c.maxCenti - c.minCenti) / c.stepCenti);
      return [c.key, (c.minCenti + ((n + i * 7) % (steps + 1)) * c.stepCenti) / 100];
    }),
  );
}

/** Valid bodies by route ("METHOD path"). */
const EXAMPLES: Record<string, (ctx: FuzzContext, n: number) => unknown> = {
  'POST /api/v1/contests': (ctx, n) => ({ ...ctx.contestDocument, slug: `fuzz-import-${n}` }),
  'POST /api/v1/contests/:slug/registrations': (_ctx, n) => ({
    title: `模糊测试项目 ${n}`,
    trackKey: 'ai',
    institution: `测试医院 ${n}`,
    leader: { name: '张三', phone: `139${String(n % 1e8).padStart(8, '0')}`, email: `lead${n}@example.com` },
    members: [{ name: '李四', role: '工程师' }],
    stage: 'prototype',
    summary: '一个用于模糊测试的项目简介。',
    consent: true,
  }),
  'POST /api/v1/contests/:slug/votes': (ctx, n) => ({ projectId: pick(ctx.seeded.projectIds, n) }),
  'POST /api/v1/contests/:slug/publication': () => ({ appealDeadline: '2031-06-30T18:00' }),
  'POST /api/v1/contests/:slug/appeals/:reference/answer': (_ctx, n) => ({
    decision: n % 2 ? 'upheld' : 'rejected',
    answer: '经复核，维持原结果。',
  }),
  'POST /api/v1/contests/:slug/results/decisions': (ctx, n) => ({
    roundKey: ctx.seeded.roundKey,
    kind: 'tie-break',
    refs: [pick(ctx.projectRefs, n), pick(ctx.projectRefs, n + 1)],
    reason: '现场评委长裁定',
  }),
  'POST /api/v1/contests/:slug/results/advancement': (ctx) => ({ roundKey: ctx.seeded.roundKey }),
  'POST /api/v1/contests/:slug/awards/lock': (ctx) => ({ roundKey: ctx.seeded.roundKey }),
  'POST /api/v1/contests/:slug/awards/overrides': (ctx, n) => ({
    roundKey: ctx.seeded.roundKey,
    action: n % 2 ? 'add' : 'remove',
    tierKey: 'first',
    projectRef: pick(ctx.projectRefs, n),
    reason: '复核调整',
  }),
  'POST /api/v1/judge/scores': (ctx, n) => ({
    submissionId: newSubmissionId(),
    roundId: ctx.seeded.roundId,
    projectId: pick(ctx.seeded.projectIds, n),
    marks: marksFor(ctx, n),
    comment: pick(['', '很好', 'needs data'], n),
    interest: pick([[], ['investment'], ['cooperation', 'clinical-pilot']], n),
  }),
  'POST /api/v1/judge/unlocks': (ctx, n) => ({
    roundId: ctx.seeded.roundId,
    projectId: pick(ctx.seeded.projectIds, n),
    judgeId: pick(ctx.seeded.judgeIds, n),
    reason: '录入错误',
  }),
  'POST /api/v1/contests/:slug/stage': (ctx, n) =>
    pick(
      [
        { kind: 'call', roundId: ctx.seeded.roundId, projectId: pick(ctx.seeded.projectIds, n) },
        { kind: 'next' },
        { kind: 'start-pitch' },
        { kind: 'start-qa' },
        { kind: 'pause' },
        { kind: 'resume' },
        { kind: 'extend', seconds: 30 },
        { kind: 'open-scoring' },
        { kind: 'close-scoring' },
        { kind: 'reset' },
      ],
      n,
    ),
  // The fuzzing judge's sheets exist once its score posts got through: those can be unlocked.
  'POST /api/v1/contests/:slug/unlocks': (ctx, n) => ({
    roundId: ctx.seeded.roundId,
    projectId: pick(ctx.seeded.projectIds, n),
    judgeId: n % 4 ? ctx.judgeId : pick(ctx.seeded.judgeIds, n),
    reason: '评委申请修改',
  }),
  'POST /api/v1/contests/:slug/judge-links': (ctx, n) => ({
    judgeIds: [
      pick(
        ctx.seeded.judgeIds.filter((id) => id !== ctx.judgeId),
        n,
      ),
    ],
  }),
};

const noBody = () => undefined;

export function fuzzTargets(): FuzzTarget[] {
  const table = [...API_ROUTES, ...registrationRoutes].map<FuzzTarget>((r) => {
    const id = `${r.method.toUpperCase()} ${r.path}`;
    return {
      id,
      method: r.method,
      path: r.path,
      body: r.method === 'get' ? null : jsonSchema(r.body),
      query: jsonSchema(r.query),
      example: EXAMPLES[id] ?? noBody,
    };
  });
  const extra: [FuzzTarget['method'], string, z.ZodType | undefined][] = [
    ['get', '/api/v1/judge/state', undefined],
    ['post', '/api/v1/judge/scores', ScoreSubmission],
    ['post', '/api/v1/judge/unlocks', UnlockRequest],
    ['get', '/api/v1/contests/:slug/stage', undefined],
    ['post', '/api/v1/contests/:slug/stage', HostAction],
    ['get', '/api/v1/contests/:slug/progress', undefined],
    ['post', '/api/v1/contests/:slug/unlocks', UnlockRequest],
    [
      'post',
      '/api/v1/contests/:slug/judge-links',
      z.object({ judgeIds: z.array(z.number().int().positive()).min(1).max(500) }),
    ],
    ['delete', '/api/v1/contests/:slug/judge-links/:judgeId', undefined],
    ['get', '/api/v1/contests/:slug/ledger/head', undefined],
  ];
  return [
    ...table,
    ...extra.map<FuzzTarget>(([method, path, body]) => {
      const id = `${method.toUpperCase()} ${path}`;
      return { id, method, path, body: jsonSchema(body), query: null, example: EXAMPLES[id] ?? noBody };
    }),
  ];
}
