/**
 * Results of a round: loads the inputs (rubric with weights, the panel with groups, the round's
 * lineup with tracks and 打星, current sheets, recusals, head-judge decisions, the prior round's
 * scores for weighted carry-over, audience votes) and hands them to the pure scoring engine
 * (aggregateRound → rankContest → advance → allocateAwards); maps the outcome to the JSON-safe
 * shapes of results.types.ts. Also records head-judge decisions and applies advancement (the
 * next round's running order), each in one transaction with a ledger entry and a revision bump.
 *
 * No arithmetic on scores here: every number comes from domain/scoring. Locking awards lives in
 * awards.service.ts.
 */
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as contestsRepo from '../data/contest.repo.js';
import * as repo from '../data/results.repo.js';
import * as scoresRepo from '../data/score.repo.js';
import { roundLineup } from '../data/stage.repo.js';
import type { ContestDocument, Judge, Project, Round } from '../domain/contest-document.js';
import {
  type AggregationRules,
  type AudienceVote,
  type ContestRanking,
  type CriterionWeight,
  type HeadJudgeDecision,
  type JudgeSheet,
  type Marks,
  type ProjectResult,
  type Rankable,
  type Rational,
  type RoundAggregate,
  type TieBreakStep,
  advance,
  aggregateRound,
  allocateAwards,
  awardTierFromDocument,
  rankContest,
  toFixed,
  toText,
} from '../domain/scoring/index.js';
import { CENTI, MILLI, formatUnits, toUnits } from '../domain/units.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod } from '../field-errors.js';
import { isoNow, type Clock } from './clock.js';
import { createContestService, type LoadedContest } from './contest.service.js';
import type { EventBus } from './events.js';
import type { LedgerActor, LedgerService } from './ledger.service.js';
import type {
  AdvancementPreview,
  AwardsDryRun,
  ComparisonMethod,
  HeadJudgeDecisionView,
  RankingComparison,
  RankingRow,
  ResultsJudgeLine,
  ResultsProject,
  ResultsTie,
  RoundResults,
} from './results.types.js';

/** Who acts on results: an organizer (console / API) or the head judge (judge API). */
export type ResultsActor = { kind: 'organizer'; id: number } | { kind: 'judge'; id: number };

interface LineupEntry {
  readonly id: number;
  readonly project: Project;
}

interface PanelEntry {
  readonly id: number;
  readonly judge: Judge;
}

/** Everything loaded for one round, before any computation. */
export interface RoundInputs {
  readonly loaded: LoadedContest;
  readonly round: Round;
  readonly roundId: number;
  readonly index: number;
  readonly isAwardRound: boolean;
  readonly lineup: readonly LineupEntry[];
  readonly panel: readonly PanelEntry[];
  readonly criteria: readonly CriterionWeight[];
  readonly sheets: readonly JudgeSheet[];
  readonly marks: ReadonlyMap<string, Marks>;
  readonly recusals: readonly { judgeKey: string; projectRef: string }[];
  readonly decisionRows: readonly repo.HeadJudgeDecisionRow[];
  readonly decisions: readonly HeadJudgeDecision[];
  readonly priorRoundKey: string | null;
  readonly priorScores: Readonly<Record<string, Rational | null>> | undefined;
  readonly votes: readonly AudienceVote[];
  readonly ledgerHead: { seq: number; hash: string } | null;
}

/** One computed round: the JSON-safe results, the dry run, advancement, and the engine output. */
export interface ComputedRound {
  readonly inputs: RoundInputs;
  readonly aggregate: RoundAggregate;
  readonly ranking: ContestRanking;
  readonly results: RoundResults;
  readonly dryRun: AwardsDryRun;
  readonly advancement: AdvancementPreview;
}

const pairKey = (judgeKey: string, ref: string) => `${judgeKey}\u0000${ref}`;

/** A placeholder rubric for a round without criteria: every project is simply "not scored". */
const NO_CRITERIA: CriterionWeight[] = [{ key: '__none__', weightMilli: 0 }];

/** The round awards are given for by default: the last roadshow round, else the last round. */
export function awardRoundKey(doc: ContestDocument): string | null {
  return (doc.rounds.filter((r) => r.kind === 'roadshow').at(-1) ?? doc.rounds.at(-1))?.key ?? null;
}

function tieBreakSteps(round: Round): TieBreakStep[] {
  return round.scoring.tieBreaks.map((t) =>
    t.criterionKey ? { kind: t.kind, criterionKey: t.criterionKey } : { kind: t.kind },
  );
}

function rulesOf(round: Round): AggregationRules {
  const s = round.scoring;
  return {
    method: s.method,
    trim: s.trim,
    minJudgesForTrim: s.minJudgesForTrim,
    decimals: s.decimals,
    missingScore: s.missingScore,
    normalization: s.normalization,
    groupWeights: s.groupWeights,
  };
}

const fixed = (r: Rational | null | undefined, decimals: number) => (r ? toFixed(r, decimals) : null);

export const DecisionInput = z.object({
  roundKey: z.string().trim().min(1).max(40).optional(),
  kind: z.enum(['tie-break', 'cutoff']).default('tie-break'),
  scopeKey: z.string().trim().max(40).default(''),
  /** Project refs, best first. */
  refs: z.array(z.string().trim().min(1).max(40)).min(2).max(500),
  reason: z.string().trim().min(1).max(1000),
});

export const AdvancementInput = z.object({
  roundKey: z.string().trim().min(1).max(40).optional(),
  /** Also place 打星 entries whose score reaches the lowest advancing score. */
  includeOutOfCompetition: z.boolean().default(false),
  expectedRevision: z.number().int().nonnegative().optional(),
});

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
  return parsed.data;
}

export function createResultsService(db: Db, clock: Clock, ledger: LedgerService, events: EventBus) {
  const contests = createContestService(db, clock);

  function roundOf(loaded: LoadedContest, roundKey: string | undefined) {
    const key = roundKey ?? awardRoundKey(loaded.doc);
    const index = loaded.doc.rounds.findIndex((r) => r.key === key);
    const round = loaded.doc.rounds[index];
    if (!round || key === null || key === undefined) throw new AppError('round-not-found', { round: roundKey ?? '' });
    return { round, index, roundId: loaded.ids.rounds.get(round.key)! };
  }

  async function loadInputs(loaded: LoadedContest, roundKey: string | undefined): Promise<RoundInputs> {
    const { doc } = loaded;
    const { round, index, roundId } = roundOf(loaded, roundKey);
    const projectByRef = new Map(doc.projects.map((p) => [p.ref, p]));
    const refById = new Map([...loaded.ids.projects].map(([ref, id]) => [id, ref]));
    const judgeKeyById = new Map([...loaded.ids.judges].map(([key, id]) => [id, key]));
    const judgeByKey = new Map(doc.judges.map((j) => [j.key, j]));

    const [lineupIds, panelIds, sheetRows, conflicts, decisionRows, votes, ledgerHead] = await Promise.all([
      roundLineup(db, loaded.id, roundId),
      scoresRepo.panelJudgeIds(db, loaded.id, roundId),
      scoresRepo.currentMarks(db, roundId),
      repo.activeConflicts(db, loaded.id),
      repo.listDecisions(db, roundId),
      repo.audienceVoteCounts(db, roundId),
      ledger.head(loaded.id),
    ]);
    const lineup: LineupEntry[] = [];
    for (const id of lineupIds) {
      const ref = refById.get(id);
      const project = ref === undefined ? undefined : projectByRef.get(ref);
      if (project) lineup.push({ id, project });
    }
    const panel: PanelEntry[] = [];
    for (const id of panelIds) {
      const key = judgeKeyById.get(id);
      const judge = key === undefined ? undefined : judgeByKey.get(key);
      if (judge) panel.push({ id, judge });
    }
    const inLineup = new Set(lineup.map((l) => l.id));
    const onPanel = new Set(panel.map((p) => p.id));
    const criteria: CriterionWeight[] = round.criteria.length
      ? round.criteria.map((c) => ({ key: c.key, weightMilli: toUnits(c.weight, MILLI) ?? 0 }))
      : NO_CRITERIA;
    const sheets: JudgeSheet[] = [];
    const marks = new Map<string, Marks>();
    if (round.criteria.length) {
      for (const row of sheetRows) {
        if (!inLineup.has(row.project_id) || !onPanel.has(row.judge_id)) continue;
        const judgeKey = judgeKeyById.get(row.judge_id)!;
        const projectRef = refById.get(row.project_id)!;
        const m = JSON.parse(row.marks) as Record<string, number>;
        sheets.push({ judgeKey, projectRef, marks: m });
        marks.set(pairKey(judgeKey, projectRef), m);
      }
    }
    const recusals = conflicts
      .filter((c) => inLineup.has(c.project_id) && onPanel.has(c.judge_id))
      .map((c) => ({ judgeKey: judgeKeyById.get(c.judge_id)!, projectRef: refById.get(c.project_id)! }));
    const decisions: HeadJudgeDecision[] = decisionRows.map((d) => ({
      refs: (JSON.parse(d.project_order) as number[]).map((id) => refById.get(id) ?? `#${id}`),
      reason: d.reason,
    }));

    let priorRoundKey: string | null = null;
    let priorScores: Record<string, Rational | null> | undefined;
    if (round.combine.mode === 'weighted' && index > 0) {
      const prior = doc.rounds[index - 1]!;
      priorRoundKey = prior.key;
      const priorInputs = await loadInputs(loaded, prior.key);
      const priorAggregate = aggregateOf(priorInputs);
      priorScores = Object.fromEntries(priorAggregate.projects.map((p) => [p.ref, p.score]));
    }

    return {
      loaded,
      round,
      roundId,
      index,
      isAwardRound: round.key === awardRoundKey(doc),
      lineup,
      panel,
      criteria,
      sheets,
      marks,
      recusals,
      decisionRows,
      decisions,
      priorRoundKey,
      priorScores,
      votes: lineup.filter((l) => votes.has(l.id)).map((l) => ({ ref: l.project.ref, votes: votes.get(l.id)! })),
      ledgerHead,
    };
  }

  function aggregateOf(inputs: RoundInputs, rules: AggregationRules = rulesOf(inputs.round)): RoundAggregate {
    return aggregateRound({
      rules,
      criteria: inputs.criteria,
      judges: inputs.panel.map((p) => ({ key: p.judge.key, group: p.judge.group })),
      projects: inputs.lineup.map((l) => ({
        ref: l.project.ref,
        trackKey: l.project.trackKey,
        outOfCompetition: l.project.outOfCompetition,
      })),
      sheets: inputs.sheets,
      recusals: inputs.recusals,
      combine: inputs.round.combine,
      priorScores: inputs.priorScores,
    });
  }

  function rankingOf(inputs: RoundInputs, entries: readonly Rankable[]): ContestRanking {
    return rankContest(entries, {
      tieBreaks: tieBreakSteps(inputs.round),
      decimals: inputs.round.scoring.decimals,
      headJudgeDecisions: inputs.decisions,
    });
  }

  function awardsOf(inputs: RoundInputs, entries: readonly Rankable[]) {
    const { doc } = inputs.loaded;
    return allocateAwards({
      tiers: doc.prizeTiers.map(awardTierFromDocument),
      entries,
      tieBreaks: tieBreakSteps(inputs.round),
      decimals: inputs.round.scoring.decimals,
      tieAtCutoff: doc.settings.awardsTieAtCutoff,
      headJudgeDecisions: inputs.decisions,
      audienceVotes: inputs.votes,
    });
  }

  function advancementOf(inputs: RoundInputs, entries: readonly Rankable[]) {
    return advance({
      entries,
      rule: inputs.round.advancement,
      tieBreaks: tieBreakSteps(inputs.round),
      decimals: inputs.round.scoring.decimals,
      headJudgeDecisions: inputs.decisions,
    });
  }

  function mapResults(
    inputs: RoundInputs,
    aggregate: RoundAggregate,
    ranking: ContestRanking,
    at: string,
  ): RoundResults {
    const { loaded, round } = inputs;
    const { doc } = loaded;
    const decimals = round.scoring.decimals;
    const meanDecimals = Math.max(2, decimals);
    const trackByKey = new Map(doc.tracks.map((t) => [t.key, t]));
    const judgeByKey = new Map(inputs.panel.map((p) => [p.judge.key, p.judge]));
    const lineupByRef = new Map(inputs.lineup.map((l) => [l.project.ref, l]));
    const resultByRef = new Map(aggregate.projects.map((p) => [p.ref, p]));
    const overallByRef = new Map(ranking.overall.entries.map((e) => [e.ref, e]));
    const trackEntryByRef = new Map(Object.values(ranking.tracks).flatMap((r) => r.entries.map((e) => [e.ref, e])));
    const leftRaw = new Set(aggregate.normalization.filter((n) => n.status === 'raw').map((n) => n.judgeKey));

    const projectOf = (p: ProjectResult): ResultsProject => {
      const { project, id } = lineupByRef.get(p.ref)!;
      const ex = p.explanation;
      const overall = overallByRef.get(p.ref);
      const inTrack = trackEntryByRef.get(p.ref);
      const track = trackByKey.get(project.trackKey);
      const judges: ResultsJudgeLine[] = ex.judges.map((line) => {
        const judge = judgeByKey.get(line.judgeKey);
        const m = inputs.marks.get(pairKey(line.judgeKey, p.ref));
        return {
          judgeKey: line.judgeKey,
          name: judge?.name ?? line.judgeKey,
          group: line.group,
          isHeadJudge: judge?.isHeadJudge ?? false,
          total: line.rawDisplay,
          totalExact: line.raw ? toText(line.raw) : null,
          value: line.valueDisplay,
          dropped: line.dropped,
          status: line.status,
          counted: line.counted,
          replaced: line.replaced,
          normalized: line.normalized,
          marks:
            line.status === 'scored' && m
              ? Object.fromEntries(
                  Object.entries(m)
                    .filter((e): e is [string, number] => typeof e[1] === 'number')
                    .map(([k, v]) => [k, formatUnits(v, CENTI, 2)]),
                )
              : {},
        };
      });
      const notes: string[] = [];
      if (judges.some((j) => j.replaced)) notes.push('substituted');
      if (judges.some((j) => j.normalized)) notes.push('normalized');
      if (ex.normalization === 'z-score' && judges.some((j) => j.counted && leftRaw.has(j.judgeKey)))
        notes.push('judge-left-raw');
      if (ex.trimSkipped) notes.push('trim-skipped');
      if (ex.combineStatus === 'missing-prior') notes.push('missing-prior');
      if (judges.some((j) => j.status === 'recused')) notes.push('recused');
      return {
        projectId: id,
        ref: p.ref,
        title: project.title,
        institution: project.institution,
        track: { key: project.trackKey, name: { zh: track?.name.zh ?? project.trackKey, en: track?.name.en ?? '' } },
        outOfCompetition: project.outOfCompetition,
        members: project.members.map((m) => ({ name: m.name, role: m.role })),
        leaderName: project.leader.name,
        exact: p.score ? toText(p.score) : null,
        display: p.display,
        roundDisplay: fixed(p.roundScore, decimals),
        priorDisplay: fixed(p.priorScore, decimals),
        rank: overall?.rank ?? null,
        competitionRank: overall?.competitionRank ?? null,
        trackRank: inTrack?.rank ?? null,
        trackCompetitionRank: inTrack?.competitionRank ?? null,
        tiedWith: overall?.tiedWith ?? [],
        separatedBy: overall?.separatedBy ?? null,
        decisionReason: overall?.decisionReason ?? null,
        needsDecision: (overall?.needsDecision ?? false) || (inTrack?.needsDecision ?? false),
        judgesScored: judges.filter((j) => j.status === 'scored').length,
        judgesEligible: judges.filter((j) => j.status !== 'recused' && j.status !== 'not-assigned').length,
        judges,
        criterionMeans: Object.fromEntries(
          Object.entries(p.criterionMeans)
            .filter(([k]) => k !== NO_CRITERIA[0]!.key)
            .map(([k, v]) => [k, fixed(v, meanDecimals)]),
        ),
        formula: ex.formula,
        trimApplied: ex.trimApplied,
        trimSkipped: ex.trimSkipped,
        combineStatus: ex.combineStatus,
        notes,
      };
    };

    const rowOf = (e: ContestRanking['overall']['entries'][number]): RankingRow => ({
      ref: e.ref,
      rank: e.rank,
      competitionRank: e.competitionRank,
      display: e.display,
      outOfCompetition: e.outOfCompetition,
      tiedWith: e.tiedWith,
      separatedBy: e.separatedBy,
      decisionReason: e.decisionReason,
      needsDecision: e.needsDecision,
    });
    const ties: ResultsTie[] = [
      ...ranking.overall.ties.map((t) => ({ scope: 'overall', ...t })),
      ...Object.entries(ranking.tracks).flatMap(([scope, r]) => r.ties.map((t) => ({ scope, ...t }))),
    ];
    const judgeNameById = new Map(doc.judges.map((j) => [loaded.ids.judges.get(j.key), j.name]));
    const refById = new Map([...loaded.ids.projects].map(([ref, pid]) => [pid, ref]));
    const decisions: HeadJudgeDecisionView[] = inputs.decisionRows.map((d) => ({
      id: d.id,
      kind: d.kind,
      scopeKey: d.scope_key,
      refs: (JSON.parse(d.project_order) as number[]).map((pid) => refById.get(pid) ?? `#${pid}`),
      reason: d.reason,
      actorKind: d.actor_kind,
      actorName: d.actor_kind === 'judge' ? (judgeNameById.get(d.actor_id) ?? '') : '',
      createdAt: d.created_at,
    }));
    return {
      contest: { id: loaded.id, slug: doc.slug, name: { zh: doc.name.zh, en: doc.name.en } },
      round: {
        id: inputs.roundId,
        key: round.key,
        name: { zh: round.name.zh, en: round.name.en },
        decimals,
        method: round.scoring.method,
        trim: round.scoring.method === 'trimmed-mean' ? round.scoring.trim : 0,
        minJudgesForTrim: round.scoring.minJudgesForTrim,
        missingScore: round.scoring.missingScore,
        normalization: round.scoring.normalization,
        combine: { mode: round.combine.mode, priorWeightPercent: round.combine.priorWeightPercent },
        priorRoundKey: inputs.priorRoundKey,
        tieBreaks: round.scoring.tieBreaks.map((t) =>
          t.kind === 'criterion' ? `criterion:${t.criterionKey}` : t.kind,
        ),
        position: inputs.index,
        isAwardRound: inputs.isAwardRound,
      },
      criteria: round.criteria.map((c) => ({
        key: c.key,
        name: { zh: c.name.zh, en: c.name.en },
        max: formatUnits(toUnits(c.max, CENTI) ?? 0, CENTI, 2),
        weight: String(c.weight),
      })),
      computedAt: at,
      revision: loaded.revision,
      ledgerHead: inputs.ledgerHead,
      projects: ranking.overall.entries.map((e) => projectOf(resultByRef.get(e.ref)!)),
      rankings: {
        overall: ranking.overall.entries.map(rowOf),
        tracks: doc.tracks
          .filter((t) => ranking.tracks[t.key])
          .map((t) => ({
            trackKey: t.key,
            trackName: { zh: t.name.zh, en: t.name.en },
            rows: ranking.tracks[t.key]!.entries.map(rowOf),
          })),
      },
      ties,
      decisions,
      warnings: aggregate.warnings.map((w) => ({ ...w })),
      judgeCount: inputs.panel.length,
    };
  }

  function mapDryRun(inputs: RoundInputs, awards: ReturnType<typeof allocateAwards>, at: string): AwardsDryRun {
    const { doc } = inputs.loaded;
    const tierByKey = new Map(doc.prizeTiers.map((t) => [t.key, t]));
    const lineupByRef = new Map(inputs.lineup.map((l) => [l.project.ref, l]));
    const nameOf = (key: string) => {
      const t = tierByKey.get(key);
      return { zh: t?.name.zh ?? key, en: t?.name.en ?? '' };
    };
    return {
      contest: { slug: doc.slug, name: { zh: doc.name.zh, en: doc.name.en } },
      round: {
        id: inputs.roundId,
        key: inputs.round.key,
        name: { zh: inputs.round.name.zh, en: inputs.round.name.en },
      },
      computedAt: at,
      revision: inputs.loaded.revision,
      allocations: awards.allocations.map((a) => {
        const l = lineupByRef.get(a.ref);
        const overall = a.scope === 'overall';
        return {
          tierKey: a.tierKey,
          tierName: nameOf(a.tierKey),
          scope: overall ? 'overall' : 'track',
          trackKey: overall ? null : a.scope,
          projectRef: a.ref,
          projectId: l?.id ?? 0,
          title: l?.project.title ?? '',
          institution: l?.project.institution ?? '',
          rank: a.rank,
          display: a.display,
          votes: a.votes,
          tiedAtCutoff: a.tiedAtCutoff,
          decisionReason: a.decisionReason,
        };
      }),
      tiers: awards.tiers.map((t) => ({
        tierKey: t.tierKey,
        tierName: nameOf(t.tierKey),
        scope: t.scope,
        places: t.places,
        filled: t.selected.length,
        provisional: t.provisional,
      })),
      decisionsNeeded: awards.decisionsNeeded.map((d) => ({ ...d, refs: [...d.refs] })),
      warnings: awards.warnings.map((w) => ({ ...w, ...(w.refs ? { refs: [...w.refs] } : {}) })),
      outOfCompetition: awards.outOfCompetition.map((o) => ({
        ref: o.ref,
        display: o.display,
        wouldRankOverall: o.wouldRankOverall,
        wouldRankInTrack: o.wouldRankInTrack,
        wouldQualifyFor: o.wouldQualifyFor,
      })),
      lockable: awards.decisionsNeeded.length === 0,
    };
  }

  /** The next round's field in ranking order per track (tracks in configured order). */
  function advancementOrder(inputs: RoundInputs, ranking: ContestRanking, refs: ReadonlySet<string>) {
    const rows: { ref: string; trackKey: string }[] = [];
    for (const t of inputs.loaded.doc.tracks)
      for (const e of ranking.tracks[t.key]?.entries ?? [])
        if (refs.has(e.ref)) rows.push({ ref: e.ref, trackKey: t.key });
    return rows;
  }

  async function mapAdvancement(
    inputs: RoundInputs,
    ranking: ContestRanking,
    result: ReturnType<typeof advance>,
  ): Promise<AdvancementPreview> {
    const { doc } = inputs.loaded;
    const next = doc.rounds[inputs.index + 1];
    const nextId = next ? inputs.loaded.ids.rounds.get(next.key)! : null;
    const ordered = advancementOrder(inputs, ranking, new Set(result.advanced)).map((r) => r.ref);
    let applied = false;
    if (nextId !== null && result.mode !== 'none') {
      const refById = new Map([...inputs.loaded.ids.projects].map(([ref, id]) => [id, ref]));
      const current = await repo.runningOrder(db, nextId);
      const trackPos = new Map(doc.tracks.map((t, i) => [t.key, i]));
      const currentRefs = [...current]
        .sort((a, b) => (trackPos.get(a.group_key) ?? 0) - (trackPos.get(b.group_key) ?? 0) || a.position - b.position)
        .map((r) => refById.get(r.project_id));
      const competing = currentRefs.filter((ref) => !doc.projects.find((p) => p.ref === ref)?.outOfCompetition);
      applied = ordered.length > 0 && competing.join('\n') === ordered.join('\n');
    }
    return {
      mode: result.mode,
      count: inputs.round.advancement.count,
      tieAtCutoff: inputs.round.advancement.tieAtCutoff,
      nextRound:
        next && nextId !== null ? { id: nextId, key: next.key, name: { zh: next.name.zh, en: next.name.en } } : null,
      groups: result.groups.map((g) => ({
        scope: g.scope,
        places: g.places,
        selected: [...g.selected],
        pending: [...g.pending],
        widened: g.widened,
        outOfCompetitionWouldAdvance: [...g.outOfCompetitionWouldAdvance],
      })),
      advanced: ordered,
      decisionsNeeded: result.decisionsNeeded.map((d) => ({ scope: d.scope, refs: [...d.refs], places: d.places })),
      applied,
    };
  }

  async function compute(slug: string, roundKey?: string): Promise<ComputedRound> {
    const loaded = await contests.load(slug);
    return computeLoaded(loaded, roundKey);
  }

  async function computeLoaded(loaded: LoadedContest, roundKey?: string): Promise<ComputedRound> {
    const inputs = await loadInputs(loaded, roundKey);
    const at = isoNow(clock);
    const aggregate = aggregateOf(inputs);
    const ranking = rankingOf(inputs, aggregate.projects);
    const results = mapResults(inputs, aggregate, ranking, at);
    const dryRun = mapDryRun(inputs, awardsOf(inputs, aggregate.projects), at);
    const advancement = await mapAdvancement(inputs, ranking, advancementOf(inputs, aggregate.projects));
    return { inputs, aggregate, ranking, results, dryRun, advancement };
  }

  /** Raw mean vs trimmed mean vs normalized: rankings side by side and whether any outcome changes. */
  function compareMethods(computed: ComputedRound): RankingComparison {
    const { inputs } = computed;
    const rules = rulesOf(inputs.round);
    const trimmedRule =
      rules.method === 'trimmed-mean'
        ? { trim: rules.trim, minJudgesForTrim: rules.minJudgesForTrim }
        : { trim: 1, minJudgesForTrim: 5 };
    const variants: Record<ComparisonMethod, AggregationRules> = {
      mean: { ...rules, method: 'mean', normalization: 'none' },
      trimmed: { ...rules, method: 'trimmed-mean', ...trimmedRule, normalization: 'none' },
      normalized: { ...rules, normalization: 'z-score' },
    };
    const official: ComparisonMethod =
      rules.normalization === 'z-score' ? 'normalized' : rules.method === 'mean' ? 'mean' : 'trimmed';
    const outcome: RankingComparison['outcome'] = inputs.isAwardRound
      ? 'awards'
      : inputs.round.advancement.mode !== 'none'
        ? 'advancement'
        : 'none';
    const variantOf = (m: ComparisonMethod) => {
      const aggregate = aggregateOf(inputs, variants[m]);
      const ranking = rankingOf(inputs, aggregate.projects).overall;
      const outcomes = new Map<string, string>();
      if (outcome === 'awards')
        for (const a of awardsOf(inputs, aggregate.projects).allocations) outcomes.set(a.ref, a.tierKey);
      if (outcome === 'advancement')
        for (const ref of advancementOf(inputs, aggregate.projects).advanced) outcomes.set(ref, 'advance');
      return { aggregate, ranking: new Map(ranking.entries.map((e) => [e.ref, e])), outcomes };
    };
    const computedVariants = {
      mean: variantOf('mean'),
      trimmed: variantOf('trimmed'),
      normalized: variantOf('normalized'),
    };
    const cell = (m: ComparisonMethod, ref: string) => {
      const e = computedVariants[m].ranking.get(ref);
      return { display: e?.display ?? null, rank: e?.rank ?? null };
    };
    const rows = computed.results.projects.map((p) => ({
      ref: p.ref,
      trackKey: p.track.key,
      outOfCompetition: p.outOfCompetition,
      mean: cell('mean', p.ref),
      trimmed: cell('trimmed', p.ref),
      normalized: cell('normalized', p.ref),
      tierMean: computedVariants.mean.outcomes.get(p.ref) ?? null,
      tierTrimmed: computedVariants.trimmed.outcomes.get(p.ref) ?? null,
      tierNormalized: computedVariants.normalized.outcomes.get(p.ref) ?? null,
    }));
    const changedRefs = rows
      .filter((r) => r.tierMean !== r.tierTrimmed || r.tierTrimmed !== r.tierNormalized)
      .map((r) => r.ref);
    const describe = (r: AggregationRules) =>
      r.method === 'trimmed-mean' ? `trimmed-mean:${r.trim}:${r.minJudgesForTrim}` : 'mean';
    return {
      official,
      outcome,
      methods: {
        mean: describe(variants.mean),
        trimmed: describe(variants.trimmed),
        normalized: `${describe(variants.normalized)}+z-score`,
      },
      rows,
      prizeChanges: changedRefs.length > 0,
      changedRefs,
      judgesLeftRaw: computedVariants.normalized.aggregate.normalization
        .filter((n) => n.status === 'raw')
        .map((n) => ({ judgeKey: n.judgeKey, reason: n.reason ?? '' })),
    };
  }

  /** Commits a change: ledger entry, revision bump, then the event after commit. */
  async function commit(
    loaded: LoadedContest,
    actor: ResultsActor,
    action: string,
    write: (tx: Db, now: string) => Promise<unknown>,
  ): Promise<number> {
    const now = isoNow(clock);
    const revision = await db.transaction().execute(async (tx) => {
      const payload = await write(tx, now);
      await ledger.append(tx, loaded.id, actorOf(actor), action, payload);
      return contestsRepo.bumpRevision(tx, loaded.id, now);
    });
    events.emit('contest.changed', { contestId: loaded.id, slug: loaded.doc.slug, revision, reason: action });
    return revision;
  }

  return {
    compute,
    computeLoaded,
    compareMethods,
    awardRoundKey,

    /** The round a results page shows by default: the latest round with scores, else the award round. */
    async defaultRoundKey(slug: string): Promise<string | null> {
      const loaded = await contests.load(slug);
      const scored = new Set(await repo.roundsWithScores(db, loaded.id));
      const latest = [...loaded.doc.rounds].reverse().find((r) => scored.has(loaded.ids.rounds.get(r.key)!));
      return latest?.key ?? awardRoundKey(loaded.doc);
    },

    async roundResults(slug: string, roundKey?: string): Promise<RoundResults> {
      return (await compute(slug, roundKey)).results;
    },

    async dryRun(slug: string, roundKey?: string): Promise<AwardsDryRun> {
      return (await compute(slug, roundKey)).dryRun;
    },

    async comparison(slug: string, roundKey?: string): Promise<RankingComparison> {
      return compareMethods(await compute(slug, roundKey));
    },

    /** Records a head-judge decision ordering tied projects, with the reason. */
    async decide(slug: string, actor: ResultsActor, input: unknown): Promise<{ id: number; revision: number }> {
      const body = parse(DecisionInput, input);
      const loaded = await contests.load(slug);
      const { roundId, round } = roundOf(loaded, body.roundKey);
      if (actor.kind === 'judge') {
        const head = loaded.doc.judges.find((j) => j.isHeadJudge);
        if (!head || loaded.ids.judges.get(head.key) !== actor.id) throw new AppError('forbidden');
      }
      const lineup = new Set(await roundLineup(db, loaded.id, roundId));
      const ids = body.refs.map((ref) => loaded.ids.projects.get(ref));
      const fields = ids.flatMap((id, i) =>
        id === undefined || !lineup.has(id) ? [{ path: `refs[${i}]`, code: 'unknown-reference' }] : [],
      );
      if (new Set(body.refs).size !== body.refs.length) fields.push({ path: 'refs', code: 'duplicate-key' });
      if (fields.length) throw new AppError('validation-failed', {}, fields);
      let id = 0;
      const revision = await commit(loaded, actor, 'results.decided', async (tx, now) => {
        id = await repo.insertDecision(tx, {
          contest_id: loaded.id,
          round_id: roundId,
          kind: body.kind,
          scope_key: body.scopeKey,
          project_order: JSON.stringify(ids),
          reason: body.reason,
          actor_kind: actor.kind,
          actor_id: actor.id,
          created_at: now,
        });
        return {
          decisionId: id,
          roundId,
          roundKey: round.key,
          kind: body.kind,
          scopeKey: body.scopeKey,
          refs: body.refs,
          reason: body.reason,
        };
      });
      return { id, revision };
    },

    /** Writes the next round's running order from this round's advancement (ranking order per track). */
    async applyAdvancement(
      slug: string,
      actor: ResultsActor,
      input: unknown,
    ): Promise<{ nextRoundKey: string; refs: string[]; revision: number }> {
      const body = parse(AdvancementInput, input);
      const loaded = await contests.load(slug);
      if (body.expectedRevision !== undefined && body.expectedRevision !== loaded.revision)
        throw new AppError('results-changed');
      const computed = await computeLoaded(loaded, body.roundKey);
      const { advancement, inputs } = computed;
      const next = advancement.nextRound;
      if (!next || advancement.mode === 'none') throw new AppError('no-next-round');
      if (advancement.decisionsNeeded.length) throw new AppError('decision-needed');
      if (await repo.roundHasScores(db, next.id)) throw new AppError('round-has-scores', { round: next.key });
      const refs = new Set(advancement.advanced);
      if (body.includeOutOfCompetition)
        for (const g of advancement.groups) for (const ref of g.outOfCompetitionWouldAdvance) refs.add(ref);
      const ordered = advancementOrder(inputs, computed.ranking, refs);
      const positions = new Map<string, number>();
      const rows = ordered.map((r) => {
        const position = (positions.get(r.trackKey) ?? 0) + 1;
        positions.set(r.trackKey, position);
        return { projectId: loaded.ids.projects.get(r.ref)!, groupKey: r.trackKey, position };
      });
      const revision = await commit(loaded, actor, 'results.advanced', async (tx) => {
        await repo.replaceRunningOrder(tx, next.id, rows);
        return {
          fromRoundId: inputs.roundId,
          fromRoundKey: inputs.round.key,
          toRoundId: next.id,
          toRoundKey: next.key,
          refs: ordered.map((r) => r.ref),
          includeOutOfCompetition: body.includeOutOfCompetition,
          revision: loaded.revision,
        };
      });
      return { nextRoundKey: next.key, refs: ordered.map((r) => r.ref), revision };
    },
  };
}

function actorOf(actor: ResultsActor): LedgerActor {
  return { kind: actor.kind, id: actor.id };
}

export type ResultsService = ReturnType<typeof createResultsService>;
