/**
 * The audience leaderboard of a contest: the current round's results (computed by
 * results.service.ts) turned into a board source, the round's release policy applied by the pure
 * rules of domain/release.ts, cached by contest revision, so a burst of scores costs one
 * computation per revision however many screens and phones ask. Organizers set the policy per
 * round (hidden / live / frozen / revealed); freezing stores the board of that moment in the
 * round, so nothing after the freeze point is shown until it is lifted. Each change is one
 * transaction with a ledger entry and a revision bump, then 'contest.changed'.
 *
 * The "current round" is the stage's round, else the latest round with scores, else the award
 * round. Rank moves (delta) are kept in memory: places gained or lost at the last change of the
 * ranking (a restart forgets them).
 */
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as audience from '../data/audience.repo.js';
import * as contestsRepo from '../data/contest.repo.js';
import { roundsWithScores } from '../data/results.repo.js';
import { getStageRow } from '../data/stage.repo.js';
import type { ContestDocument } from '../domain/contest-document.js';
import {
  RELEASE_POLICIES,
  projectBoard,
  rankMoves,
  sameRanking,
  type AudienceBoard,
  type BoardEntry,
  type BoardSource,
  type FrozenBoard,
  type Localized,
  type PrizeZone,
  type RankMoves,
  type ReleasePolicy,
  type RevealSource,
} from '../domain/release.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod } from '../field-errors.js';
import { isoNow, type Clock } from './clock.js';
import { createContestService, type LoadedContest } from './contest.service.js';
import type { EventBus } from './events.js';
import type { LedgerActor, LedgerService } from './ledger.service.js';
import { awardRoundKey, type ComputedRound, type ResultsService } from './results.service.js';
import type { RoundResults } from './results.types.js';

/** What GET /api/v1/contests/:slug/leaderboard returns and 'leaderboard:updated' pushes. */
export interface LeaderboardSnapshot extends AudienceBoard {
  readonly revision: number;
  readonly contest: { readonly slug: string; readonly name: Localized };
  readonly round: { readonly key: string; readonly name: Localized; readonly decimals: number } | null;
}

/** One round's computed state at one revision (internal to the audience services). */
export interface BoardState {
  readonly revision: number;
  readonly contestId: number;
  readonly slug: string;
  readonly doc: ContestDocument;
  readonly roundId: number | null;
  readonly roundKey: string | null;
  readonly policy: ReleasePolicy;
  readonly results: RoundResults | null;
  readonly source: BoardSource;
  readonly snapshot: LeaderboardSnapshot;
}

export const ReleaseInput = z.object({
  roundKey: z.string().trim().min(1).max(40).optional(),
  policy: z.enum(RELEASE_POLICIES),
});

export interface RoundReleaseView {
  roundId: number;
  roundKey: string;
  name: Localized;
  policy: ReleasePolicy;
  frozenAt: string | null;
  current: boolean;
}

const EMPTY_SOURCE = (doc: ContestDocument, revision: number): BoardSource => ({
  revision,
  tracks: doc.tracks.map((t) => ({ key: t.key, name: { zh: t.name.zh, en: t.name.en } })),
  entries: [],
});

function parseFrozen(text: string | null): FrozenBoard | null {
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as FrozenBoard;
    return parsed && typeof parsed.at === 'string' && Array.isArray(parsed.source?.entries) ? parsed : null;
  } catch {
    return null;
  }
}

/** The board source of a computed round: ranks, scores, prize zones (non-audience tiers) and running order. */
export function boardSourceOf(computed: ComputedRound): BoardSource {
  const { inputs, results, dryRun } = computed;
  const doc = inputs.loaded.doc;
  const audienceTiers = new Set(doc.prizeTiers.filter((t) => t.audience).map((t) => t.key));
  const levels = new Map(
    doc.prizeTiers
      .filter((t) => !t.audience)
      .sort((a, b) => a.precedence - b.precedence)
      .map((t, i) => [t.key, i + 1]),
  );
  const zones = new Map<string, PrizeZone>();
  for (const a of dryRun.allocations) {
    if (audienceTiers.has(a.tierKey)) continue;
    const level = levels.get(a.tierKey) ?? 99;
    const existing = zones.get(a.projectRef);
    if (!existing || level < existing.level)
      zones.set(a.projectRef, {
        key: a.tierKey,
        name: { zh: a.tierName.zh, en: a.tierName.en },
        level,
        scope: a.scope,
      });
  }
  const order = new Map(inputs.lineup.map((l, i) => [l.project.ref, i]));
  const entries: BoardEntry[] = results.projects.map((p) => ({
    ref: p.ref,
    title: p.title,
    institution: p.institution,
    trackKey: p.track.key,
    outOfCompetition: p.outOfCompetition,
    order: order.get(p.ref) ?? 10_000,
    display: p.display,
    rank: p.rank,
    competitionRank: p.competitionRank,
    trackRank: p.trackRank,
    trackCompetitionRank: p.trackCompetitionRank,
    prizeZone: zones.get(p.ref) ?? null,
  }));
  const used = new Set(entries.map((e) => e.trackKey));
  return {
    revision: results.revision,
    tracks: doc.tracks
      .filter((t) => used.has(t.key))
      .map((t) => ({ key: t.key, name: { zh: t.name.zh, en: t.name.en } })),
    entries,
  };
}

/** The reveal source of one project of a computed round, or null when it is not in the round. */
export function revealSourceOf(results: RoundResults | null, projectId: number | null): RevealSource | null {
  if (!results || projectId === null) return null;
  const p = results.projects.find((x) => x.projectId === projectId);
  if (!p) return null;
  return {
    ref: p.ref,
    title: p.title,
    institution: p.institution,
    trackKey: p.track.key,
    outOfCompetition: p.outOfCompetition,
    display: p.display,
    decimals: results.round.decimals,
    trimApplied: p.trimApplied,
    judges: p.judges.map((j) => ({
      judgeKey: j.judgeKey,
      name: j.name,
      total: j.total,
      dropped: j.dropped,
      status: j.status,
    })),
  };
}

export function createLeaderboardService(
  db: Db,
  clock: Clock,
  ledger: LedgerService,
  events: EventBus,
  results: ResultsService,
) {
  const contests = createContestService(db, clock);
  const cache = new Map<string, BoardState>();
  const inflight = new Map<string, Promise<BoardState>>();
  const rankings = new Map<string, { source: BoardSource; moves: RankMoves | null }>();

  async function contestRow(slug: string) {
    const row = await contestsRepo.findContestBySlug(db, slug);
    if (!row) throw new AppError('contest-not-found', { slug });
    return row;
  }

  /** The round the audience follows now: the stage's, else the latest with scores, else the award round. */
  async function currentRoundKey(loaded: LoadedContest): Promise<string | null> {
    const { doc } = loaded;
    if (!doc.rounds.length) return null;
    const keyById = new Map([...loaded.ids.rounds].map(([key, id]) => [id, key]));
    const stage = await getStageRow(db, loaded.id);
    const onStage = stage?.round_id ? keyById.get(stage.round_id) : undefined;
    if (onStage) return onStage;
    const scored = new Set(await roundsWithScores(db, loaded.id));
    const latest = [...doc.rounds].reverse().find((r) => scored.has(loaded.ids.rounds.get(r.key)!));
    return latest?.key ?? awardRoundKey(doc);
  }

  /** Rank moves since the last change of the round's ranking. */
  function movesFor(key: string, source: BoardSource): RankMoves | null {
    const previous = rankings.get(key);
    if (!previous) {
      rankings.set(key, { source, moves: null });
      return null;
    }
    if (previous.source.revision > source.revision) return previous.moves;
    if (sameRanking(previous.source, source)) {
      rankings.set(key, { source, moves: previous.moves });
      return previous.moves;
    }
    const moves = rankMoves(previous.source, source);
    rankings.set(key, { source, moves });
    return moves;
  }

  async function compute(slug: string, wantedRound: string | undefined): Promise<BoardState> {
    const loaded = await contests.load(slug);
    const { doc } = loaded;
    const roundKey = wantedRound ?? (await currentRoundKey(loaded));
    if (wantedRound && !doc.rounds.some((r) => r.key === wantedRound))
      throw new AppError('round-not-found', { round: wantedRound });
    const round = doc.rounds.find((r) => r.key === roundKey) ?? null;
    const roundId = round ? loaded.ids.rounds.get(round.key)! : null;
    const release = roundId === null ? undefined : await audience.roundRelease(db, roundId);
    const policy: ReleasePolicy = release?.policy ?? 'live';
    let source = EMPTY_SOURCE(doc, loaded.revision);
    let roundResults: RoundResults | null = null;
    if (round) {
      const computed = await results.computeLoaded(loaded, round.key);
      source = boardSourceOf(computed);
      roundResults = computed.results;
    }
    const moves = round ? movesFor(`${loaded.id}:${round.key}`, source) : null;
    const board = projectBoard({ live: source, policy, frozen: parseFrozen(release?.frozenSnapshot ?? null), moves });
    const snapshot: LeaderboardSnapshot = {
      revision: loaded.revision,
      contest: { slug: doc.slug, name: { zh: doc.name.zh, en: doc.name.en } },
      round: round
        ? { key: round.key, name: { zh: round.name.zh, en: round.name.en }, decimals: round.scoring.decimals }
        : null,
      ...board,
    };
    return {
      revision: loaded.revision,
      contestId: loaded.id,
      slug: doc.slug,
      doc,
      roundId,
      roundKey: round?.key ?? null,
      policy,
      results: roundResults,
      source,
      snapshot,
    };
  }

  /** The cached state of a round at the current revision (computed once per revision). */
  async function state(slug: string, roundKey?: string): Promise<BoardState> {
    const row = await contestRow(slug);
    const key = `${row.id}:${roundKey ?? ''}`;
    const cached = cache.get(key);
    if (cached && cached.revision === row.revision) return cached;
    const flightKey = `${key}:${row.revision}`;
    let pending = inflight.get(flightKey);
    if (!pending) {
      pending = compute(slug, roundKey).finally(() => inflight.delete(flightKey));
      inflight.set(flightKey, pending);
    }
    const computed = await pending;
    const current = cache.get(key);
    if (!current || current.revision <= computed.revision) cache.set(key, computed);
    return computed;
  }

  function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
    const parsed = schema.safeParse(input, { reportInput: true });
    if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
    return parsed.data;
  }

  async function setPolicyOnce(
    slug: string,
    actor: LedgerActor,
    body: z.output<typeof ReleaseInput>,
  ): Promise<{ revision: number; changed: boolean }> {
    const loaded = await contests.load(slug);
    const roundKey = body.roundKey ?? (await currentRoundKey(loaded));
    const round = loaded.doc.rounds.find((r) => r.key === roundKey);
    if (!round) throw new AppError('round-not-found', { round: body.roundKey ?? '' });
    const roundId = loaded.ids.rounds.get(round.key)!;
    const before = await audience.roundRelease(db, roundId);
    const from = before?.policy ?? 'live';
    if (from === body.policy && body.policy !== 'frozen') return { revision: loaded.revision, changed: false };
    const now = isoNow(clock);
    let frozen: FrozenBoard | null = null;
    if (body.policy === 'frozen')
      frozen = { at: now, source: boardSourceOf(await results.computeLoaded(loaded, round.key)) };
    const revision = await db.transaction().execute(async (tx) => {
      const current = await contestsRepo.findContestBySlug(tx, slug);
      // The stored board must be the board of the freeze point: a change in between means again.
      if (!current || current.revision !== loaded.revision) throw new AppError('results-changed');
      await audience.setRoundRelease(tx, roundId, {
        policy: body.policy,
        frozenSnapshot: frozen ? JSON.stringify(frozen) : null,
        frozenAt: frozen ? now : null,
      });
      await ledger.append(tx, loaded.id, actor, 'release.changed', {
        roundId,
        roundKey: round.key,
        from,
        to: body.policy,
        ...(frozen ? { frozenAt: now, frozenRevision: frozen.source.revision } : {}),
      });
      return contestsRepo.bumpRevision(tx, loaded.id, now);
    });
    events.emit('contest.changed', { contestId: loaded.id, slug, revision, reason: 'release.changed' });
    return { revision, changed: true };
  }

  return {
    state,
    currentRoundKey,

    /** The audience board of a round (default: the current round) at the current revision. */
    async snapshot(slug: string, roundKey?: string): Promise<LeaderboardSnapshot> {
      return (await state(slug, roundKey)).snapshot;
    },

    /** Revision and status only (cheap): for ETag checks and the draft rule. */
    async head(slug: string): Promise<{ contestId: number; revision: number; status: string }> {
      const row = await contestRow(slug);
      return { contestId: row.id, revision: row.revision, status: row.status };
    },

    /** Each round's policy and freeze time, for the screen control page. */
    async releases(slug: string): Promise<RoundReleaseView[]> {
      const loaded = await contests.load(slug);
      const current = await currentRoundKey(loaded);
      const rows = await audience.roundReleases(db, loaded.id);
      return rows.map((r) => {
        const round = loaded.doc.rounds.find((x) => x.key === r.roundKey);
        return {
          roundId: r.roundId,
          roundKey: r.roundKey,
          name: { zh: round?.name.zh ?? r.roundKey, en: round?.name.en ?? '' },
          policy: r.policy,
          frozenAt: r.frozenAt,
          current: r.roundKey === current,
        };
      });
    },

    /**
     * Sets a round's release policy. 'frozen' stores the board of this moment (freezing again
     * replaces it); leaving 'frozen' drops it. Setting the policy a round already has is a no-op.
     */
    async setPolicy(
      slug: string,
      actor: LedgerActor,
      input: unknown,
    ): Promise<{ revision: number; changed: boolean; snapshot: LeaderboardSnapshot }> {
      const body = parse(ReleaseInput, input);
      for (let attempt = 1; ; attempt++) {
        try {
          const out = await setPolicyOnce(slug, actor, body);
          return { ...out, snapshot: (await state(slug, body.roundKey)).snapshot };
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'results-changed' && attempt < 5)) throw err;
        }
      }
    },
  };
}

export type LeaderboardService = ReturnType<typeof createLeaderboardService>;
