/**
 * The results package: one JSON file that lets anyone re-derive a contest's results without
 * the server. It holds the inputs (the contest document without contact details, and per round
 * the lineup, the panel, the current score sheets with their marks, recusals, head-judge
 * decisions and audience votes), the rules, the computed results and awards dry run of every
 * round as the results service produced them, the current locks with their certificate
 * numbers, the software version and the ledger head hash, plus a SHA-256 over the canonical
 * JSON of everything else.
 *
 * `verifyResultsPackage` is pure (no database): it checks the hash, then recomputes every round
 * from the package's inputs with the domain engine (aggregateRound → rankContest →
 * allocateAwards) and compares scores, ranks, dropped marks and awards with the stored results,
 * naming each mismatch. `npm run roadshow -- results:verify <file>` runs it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ContestDocument, type Round } from '../domain/contest-document.js';
import {
  type AggregationRules,
  type CriterionWeight,
  type Rational,
  type TieBreakStep,
  aggregateRound,
  allocateAwards,
  awardTierFromDocument,
  rankContest,
  toFixed,
  toText,
} from '../domain/scoring/index.js';
import { MILLI, toUnits } from '../domain/units.js';
import type { AwardsService } from './awards.service.js';
import type { ContestService } from './contest.service.js';
import type { LedgerService } from './ledger.service.js';
import type { ResultsService } from './results.service.js';
import type { AwardsDryRun, RoundResults } from './results.types.js';
import { isoNow, type Clock } from './clock.js';

export const RESULTS_PACKAGE_FORMAT = 'roadshow.results-package/v1';

/** The criterion placeholder the results service uses for a round without a rubric. */
const NO_CRITERIA: CriterionWeight[] = [{ key: '__none__', weightMilli: 0 }];

const Sheet = z.object({
  judgeKey: z.string(),
  projectRef: z.string(),
  marks: z.record(z.string(), z.number().int().nullable()),
});

const RoundInput = z.object({
  key: z.string(),
  /** Project refs of the round's field, in running order. */
  lineup: z.array(z.string()),
  /** Judge keys of the round's panel. */
  panel: z.array(z.string()),
  sheets: z.array(Sheet),
  recusals: z.array(z.object({ judgeKey: z.string(), projectRef: z.string() })),
  /** Head-judge decisions (newest first), as refs best first with the reason. */
  decisions: z.array(z.object({ refs: z.array(z.string()), reason: z.string() })),
  votes: z.array(z.object({ ref: z.string(), votes: z.number().int().nonnegative() })),
});
export type PackageRoundInput = z.infer<typeof RoundInput>;

const RoundRules = z.object({
  key: z.string(),
  scoring: z.unknown(),
  combine: z.unknown(),
  criteria: z.array(z.object({ key: z.string(), weightMilli: z.number().int() })),
});

const Rules = z.object({
  rounds: z.array(RoundRules),
  prizeTiers: z.array(z.unknown()),
  awardsTieAtCutoff: z.enum(['widen', 'tie-break', 'head-judge']),
});

/** Stored results are checked field by field; the rest of their shape is kept as produced. */
const StoredProject = z.looseObject({
  ref: z.string(),
  exact: z.string().nullable(),
  display: z.string().nullable(),
  rank: z.number().nullable(),
  competitionRank: z.number().nullable(),
  trackRank: z.number().nullable(),
  trackCompetitionRank: z.number().nullable(),
  judges: z.array(
    z.looseObject({
      judgeKey: z.string(),
      totalExact: z.string().nullable(),
      dropped: z.enum(['low', 'high']).nullable(),
    }),
  ),
});
const StoredRound = z.object({
  key: z.string(),
  results: z.looseObject({
    projects: z.array(StoredProject),
    rankings: z.looseObject({ overall: z.array(z.looseObject({ ref: z.string() })) }),
  }),
  dryRun: z.looseObject({
    allocations: z.array(
      z.looseObject({
        tierKey: z.string(),
        scope: z.string(),
        trackKey: z.string().nullable(),
        projectRef: z.string(),
      }),
    ),
  }),
});

export const ResultsPackage = z.object({
  format: z.literal(RESULTS_PACKAGE_FORMAT),
  generatedAt: z.string(),
  software: z.object({ name: z.string(), version: z.string() }),
  ledgerHead: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  contest: z.unknown(),
  rules: Rules,
  inputs: z.object({ rounds: z.array(RoundInput) }),
  results: z.object({ rounds: z.array(StoredRound) }),
  locks: z.array(z.unknown()),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ResultsPackage = z.infer<typeof ResultsPackage>;

/** The package as built (stored results typed in full). */
export interface BuiltResultsPackage {
  format: typeof RESULTS_PACKAGE_FORMAT;
  generatedAt: string;
  software: { name: string; version: string };
  ledgerHead: { seq: number; hash: string } | null;
  contest: ContestDocument;
  rules: z.infer<typeof Rules>;
  inputs: { rounds: PackageRoundInput[] };
  results: { rounds: { key: string; results: RoundResults; dryRun: AwardsDryRun }[] };
  locks: {
    roundKey: string;
    lockId: number;
    lockedAt: string;
    ledgerSeq: number;
    snapshotSha256: string;
    awards: { certificateNo: string; tierKey: string; projectRef: string; revokedAt: string | null }[];
  }[];
  sha256: string;
}

/**
 * Canonical JSON: object keys sorted by code point, no whitespace, undefined members dropped,
 * numbers as JavaScript prints them (finite only). The package hash covers this text.
 * @example canonicalJson({ b: 1.5, a: [true] }) === '{"a":[true],"b":1.5}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value.normalize('NFC'));
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot encode ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`cannot encode ${typeof value}`);
  }
}

/** SHA-256 of the canonical JSON of a package without its `sha256` member. */
export function packageHash(pkg: Record<string, unknown>): string {
  const { sha256: _omit, ...content } = pkg;
  return crypto.createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}

let softwareCache: { name: string; version: string } | null = null;
/** Name and version from package.json. */
export function softwareVersion(): { name: string; version: string } {
  if (!softwareCache) {
    const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json');
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    softwareCache = { name: pkg.name ?? 'roadshow', version: pkg.version ?? '0.0.0' };
  }
  return softwareCache;
}

/** The contest document without contact details (phones, emails): they are not scoring inputs. */
function withoutContacts(doc: ContestDocument): ContestDocument {
  return {
    ...doc,
    judges: doc.judges.map((j) => ({ ...j, email: '', phone: '' })),
    projects: doc.projects.map((p) => ({ ...p, leader: { ...p.leader, phone: '', email: '' } })),
  };
}

function criteriaOf(round: Round): CriterionWeight[] {
  return round.criteria.length
    ? round.criteria.map((c) => ({ key: c.key, weightMilli: toUnits(c.weight, MILLI) ?? 0 }))
    : NO_CRITERIA;
}

// ---------------------------------------------------------------------------------------------
// Verification (pure)

export interface VerifyOutcome {
  ok: boolean;
  /** Human-readable mismatches, the most specific first; empty when ok. */
  mismatches: string[];
  rounds: number;
  projects: number;
  awards: number;
  hash: string;
}

/** Parses the package text; a structural problem is reported as a mismatch, not thrown. */
export function verifyResultsPackage(raw: unknown): VerifyOutcome {
  const outcome: VerifyOutcome = { ok: false, mismatches: [], rounds: 0, projects: 0, awards: 0, hash: '' };
  const parsed = ResultsPackage.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    outcome.mismatches.push(
      `not a results package: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
    return outcome;
  }
  const pkg = parsed.data;
  const docParsed = ContestDocument.safeParse(pkg.contest);
  if (!docParsed.success) {
    const issue = docParsed.error.issues[0];
    outcome.mismatches.push(`contest document invalid at ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
    return outcome;
  }
  const doc = docParsed.data;
  const mismatches: string[] = [];
  const say = (text: string) => mismatches.push(text);

  // Rules must be the contest document's rules.
  const tiers = doc.prizeTiers;
  if (canonicalJson(pkg.rules.prizeTiers) !== canonicalJson(tiers))
    say('rules.prizeTiers differ from the contest document');
  if (pkg.rules.awardsTieAtCutoff !== doc.settings.awardsTieAtCutoff)
    say('rules.awardsTieAtCutoff differs from the contest document');

  const scoresByRound = new Map<string, Record<string, Rational | null>>();
  for (const [index, round] of doc.rounds.entries()) {
    const input = pkg.inputs.rounds.find((r) => r.key === round.key);
    const stored = pkg.results.rounds.find((r) => r.key === round.key);
    if (!input || !stored) continue;
    const label = `round "${round.key}"`;
    const rules = pkg.rules.rounds.find((r) => r.key === round.key);
    if (!rules) say(`${label}: rules missing`);
    else {
      if (canonicalJson(rules.scoring) !== canonicalJson(round.scoring))
        say(`${label}: rules.scoring differ from the contest document`);
      if (canonicalJson(rules.combine) !== canonicalJson(round.combine))
        say(`${label}: rules.combine differ from the contest document`);
      if (canonicalJson(rules.criteria) !== canonicalJson(criteriaOf(round)))
        say(`${label}: rules.criteria differ from the contest document`);
    }
    outcome.rounds++;

    const projectByRef = new Map(doc.projects.map((p) => [p.ref, p]));
    const judgeByKey = new Map(doc.judges.map((j) => [j.key, j]));
    const unknownRef = input.lineup.find((ref) => !projectByRef.has(ref));
    const unknownJudge = input.panel.find((key) => !judgeByKey.has(key));
    if (unknownRef) {
      say(`${label}: lineup names unknown project ${unknownRef}`);
      continue;
    }
    if (unknownJudge) {
      say(`${label}: panel names unknown judge ${unknownJudge}`);
      continue;
    }
    const s = round.scoring;
    const aggregationRules: AggregationRules = {
      method: s.method,
      trim: s.trim,
      minJudgesForTrim: s.minJudgesForTrim,
      decimals: s.decimals,
      missingScore: s.missingScore,
      normalization: s.normalization,
      groupWeights: s.groupWeights,
    };
    const prior = round.combine.mode === 'weighted' && index > 0 ? doc.rounds[index - 1] : undefined;
    const priorScores = prior ? scoresByRound.get(prior.key) : undefined;
    if (prior && !priorScores) say(`${label}: carries over "${prior.key}" but the package lacks that round's inputs`);
    let aggregate;
    try {
      aggregate = aggregateRound({
        rules: aggregationRules,
        criteria: criteriaOf(round),
        judges: input.panel.map((key) => ({ key, group: judgeByKey.get(key)!.group })),
        projects: input.lineup.map((ref) => {
          const p = projectByRef.get(ref)!;
          return { ref, trackKey: p.trackKey, outOfCompetition: p.outOfCompetition };
        }),
        sheets: round.criteria.length ? input.sheets : [],
        recusals: input.recusals,
        combine: round.combine,
        priorScores,
      });
    } catch (err) {
      say(`${label}: the inputs cannot be scored (${(err as Error).message})`);
      continue;
    }
    scoresByRound.set(round.key, Object.fromEntries(aggregate.projects.map((p) => [p.ref, p.score])));
    const tieBreaks: TieBreakStep[] = s.tieBreaks.map((t) =>
      t.criterionKey ? { kind: t.kind, criterionKey: t.criterionKey } : { kind: t.kind },
    );
    const options = { tieBreaks, decimals: s.decimals, headJudgeDecisions: input.decisions };
    const ranking = rankContest(aggregate.projects, options);
    const awards = allocateAwards({
      tiers: tiers.map(awardTierFromDocument),
      entries: aggregate.projects,
      tieBreaks,
      decimals: s.decimals,
      tieAtCutoff: doc.settings.awardsTieAtCutoff,
      headJudgeDecisions: input.decisions,
      audienceVotes: input.votes,
    });

    // Projects: the same set, then each value.
    const storedByRef = new Map(stored.results.projects.map((p) => [p.ref, p]));
    for (const ref of input.lineup)
      if (!storedByRef.has(ref)) say(`${label}: project ${ref} is in the inputs but not in the results`);
    for (const ref of storedByRef.keys())
      if (!input.lineup.includes(ref)) say(`${label}: project ${ref} is in the results but not in the inputs`);
    const overall = new Map(ranking.overall.entries.map((e) => [e.ref, e]));
    const inTrack = new Map(Object.values(ranking.tracks).flatMap((r) => r.entries.map((e) => [e.ref, e] as const)));
    const compare = (ref: string, field: string, have: unknown, want: unknown) => {
      if (have !== want)
        say(
          `${label}, project ${ref}: ${field} is ${JSON.stringify(have)} in the package but recomputes to ${JSON.stringify(want)}`,
        );
    };
    // Values first (a changed mark shows up as the score it changes), then the ranks they imply.
    for (const p of aggregate.projects) {
      const sp = storedByRef.get(p.ref);
      if (!sp) continue;
      outcome.projects++;
      compare(p.ref, 'exact', sp.exact, p.score ? toText(p.score) : null);
      compare(p.ref, 'display', sp.display, p.score ? toFixed(p.score, s.decimals) : null);
      const lines = new Map(sp.judges.map((j) => [j.judgeKey, j]));
      for (const line of p.explanation.judges) {
        const sl = lines.get(line.judgeKey);
        if (!sl) {
          say(`${label}, project ${p.ref}: judge ${line.judgeKey} is missing from the results`);
          continue;
        }
        compare(p.ref, `judge ${line.judgeKey} total`, sl.totalExact, line.raw ? toText(line.raw) : null);
        compare(p.ref, `judge ${line.judgeKey} dropped`, sl.dropped, line.dropped);
      }
    }
    for (const p of aggregate.projects) {
      const sp = storedByRef.get(p.ref);
      if (!sp) continue;
      compare(p.ref, 'rank', sp.rank, overall.get(p.ref)?.rank ?? null);
      compare(p.ref, 'competitionRank', sp.competitionRank, overall.get(p.ref)?.competitionRank ?? null);
      compare(p.ref, 'trackRank', sp.trackRank, inTrack.get(p.ref)?.rank ?? null);
      compare(p.ref, 'trackCompetitionRank', sp.trackCompetitionRank, inTrack.get(p.ref)?.competitionRank ?? null);
    }
    const storedOrder = stored.results.rankings.overall.map((r) => r.ref).join(' ');
    const order = ranking.overall.entries.map((e) => e.ref).join(' ');
    if (storedOrder !== order) say(`${label}: overall ranking order is [${storedOrder}] but recomputes to [${order}]`);

    // Awards (dry run): the same allocations in the same order.
    const key = (a: { tierKey: string; scope: string; ref: string }) => `${a.tierKey}/${a.scope}/${a.ref}`;
    const storedAwards = stored.dryRun.allocations.map((a) =>
      key({ tierKey: a.tierKey, scope: a.scope === 'track' ? (a.trackKey ?? '') : 'overall', ref: a.projectRef }),
    );
    const recomputed = awards.allocations.map(key);
    outcome.awards += recomputed.length;
    const missing = recomputed.filter((k) => !storedAwards.includes(k));
    const extra = storedAwards.filter((k) => !recomputed.includes(k));
    for (const k of missing) say(`${label}: award ${k} recomputes but is not in the package`);
    for (const k of extra) say(`${label}: award ${k} is in the package but does not recompute`);
    if (!missing.length && !extra.length && storedAwards.join(' ') !== recomputed.join(' '))
      say(`${label}: awards are listed in a different order than they recompute`);
  }
  if (outcome.rounds === 0) say('the package holds no round with both inputs and results');

  outcome.hash = packageHash(raw as Record<string, unknown>);
  if (outcome.hash !== pkg.sha256)
    say(`sha256 of the content is ${outcome.hash} but the package says ${pkg.sha256} (the file was changed)`);
  outcome.mismatches = mismatches;
  outcome.ok = mismatches.length === 0;
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// Building (reads through the results services)

export function createResultsPackageService(
  clock: Clock,
  ledger: LedgerService,
  contests: ContestService,
  results: ResultsService,
  awards: AwardsService,
) {
  return {
    /** Builds the package of a contest: every round, computed now, plus the current locks. */
    async build(slug: string): Promise<BuiltResultsPackage> {
      const loaded = await contests.load(slug);
      const { doc } = loaded;
      const inputs: PackageRoundInput[] = [];
      const stored: BuiltResultsPackage['results']['rounds'] = [];
      for (const round of doc.rounds) {
        const computed = await results.computeLoaded(loaded, round.key);
        const i = computed.inputs;
        inputs.push({
          key: round.key,
          lineup: i.lineup.map((l) => l.project.ref),
          panel: i.panel.map((p) => p.judge.key),
          sheets: i.sheets.map((sh) => ({
            judgeKey: sh.judgeKey,
            projectRef: sh.projectRef,
            marks: Object.fromEntries(
              Object.entries(sh.marks).filter((e): e is [string, number | null] => e[1] !== undefined),
            ),
          })),
          recusals: i.recusals.map((r) => ({ judgeKey: r.judgeKey, projectRef: r.projectRef })),
          decisions: i.decisions.map((d) => ({ refs: [...d.refs], reason: d.reason })),
          votes: i.votes.map((v) => ({ ref: v.ref, votes: v.votes })),
        });
        stored.push({ key: round.key, results: computed.results, dryRun: computed.dryRun });
      }
      const locks = await awards.currentLocks(loaded.id);
      const content: Omit<BuiltResultsPackage, 'sha256'> = {
        format: RESULTS_PACKAGE_FORMAT,
        generatedAt: isoNow(clock),
        software: softwareVersion(),
        ledgerHead: await ledger.head(loaded.id),
        contest: withoutContacts(doc),
        rules: {
          rounds: doc.rounds.map((r) => ({
            key: r.key,
            scoring: r.scoring,
            combine: r.combine,
            criteria: criteriaOf(r),
          })),
          prizeTiers: doc.prizeTiers,
          awardsTieAtCutoff: doc.settings.awardsTieAtCutoff,
        },
        inputs: { rounds: inputs },
        results: { rounds: stored },
        locks: locks.map((l) => ({
          roundKey: l.roundKey,
          lockId: l.lockId,
          lockedAt: l.lockedAt,
          ledgerSeq: l.ledgerSeq,
          snapshotSha256: l.snapshotHash,
          awards: l.awards.map((a) => ({
            certificateNo: a.certificateNo,
            tierKey: a.tierKey,
            projectRef: a.projectRef,
            revokedAt: a.revokedAt,
          })),
        })),
      };
      // Round-trip through JSON first so the hash covers exactly what the file will hold.
      const plain = JSON.parse(JSON.stringify(content)) as Record<string, unknown>;
      return { ...(plain as Omit<BuiltResultsPackage, 'sha256'>), sha256: packageHash(plain) };
    },
  };
}

export type ResultsPackageService = ReturnType<typeof createResultsPackageService>;
