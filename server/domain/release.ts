/**
 * What the audience may see: the release policy of a round applied to its board, the score
 * reveal of one project, what the big screen shows in 'auto' mode, and the ceremony steps built
 * from the locked awards. Every audience payload (big screen, phones, the public leaderboard
 * API) is built here, field by field from whitelisted inputs, so nothing a policy hides (scores
 * while hidden, anything after the freeze point, judge names, criterion marks, contacts) can
 * reach it by accident.
 *
 *   hidden    no scores and no ranks: the lineup in running order ("scoring in progress")
 *   live      the current board
 *   frozen    the board as it was at the freeze (a stored source), marked frozen
 *   revealed  the current board again, after the freeze has been lifted for the reveal
 *
 * Score reveal: only under live / revealed. Judge totals appear one per step; dropped marks are
 * struck and the final score shown only at the last step (step > number of totals). With the
 * contest setting showJudgeMarksOnScreen the judges are named; without it they are "评委 A, B, …"
 * in an order that does not follow the panel list (a hash of project and judge), so a total
 * cannot be traced back to a judge. Criterion marks never reach an audience payload.
 *
 * Pure: no I/O, no clock, no framework; times and revisions come in as arguments.
 */

export const RELEASE_POLICIES = ['hidden', 'live', 'frozen', 'revealed'] as const;
export type ReleasePolicy = (typeof RELEASE_POLICIES)[number];

export interface Localized {
  readonly zh: string;
  readonly en: string;
}

/** The tier a project is currently placed in (from the awards dry run); level 1 = top tier. */
export interface PrizeZone {
  readonly key: string;
  readonly name: Localized;
  readonly level: number;
  /** Which board the zone belongs on: a track tier marks track boards, an overall tier the overall board. */
  readonly scope?: 'overall' | 'track';
}

/** One project as the board knows it: everything an audience could ever be shown about it. */
export interface BoardEntry {
  readonly ref: string;
  readonly title: string;
  readonly institution: string;
  readonly trackKey: string;
  readonly outOfCompetition: boolean;
  /** Position in the round's running order (0-based): the only order a hidden board uses. */
  readonly order: number;
  readonly display: string | null;
  /** Overall rank with 打星 entries placed (sorting) and among competing entries (shown). */
  readonly rank: number | null;
  readonly competitionRank: number | null;
  readonly trackRank: number | null;
  readonly trackCompetitionRank: number | null;
  readonly prizeZone: PrizeZone | null;
}

/** A round's board at one revision: the live source, or the one stored at a freeze. */
export interface BoardSource {
  readonly revision: number;
  readonly tracks: readonly { readonly key: string; readonly name: Localized }[];
  readonly entries: readonly BoardEntry[];
}

/** What round.frozen_snapshot holds. */
export interface FrozenBoard {
  readonly at: string;
  readonly source: BoardSource;
}

export interface AudienceRow {
  /** Competition rank (打星 entries have none); null when unscored or hidden. */
  readonly rank: number | null;
  readonly ref: string;
  readonly title: string;
  readonly institution: string;
  readonly display: string | null;
  readonly outOfCompetition: boolean;
  readonly prizeZone?: PrizeZone;
  /** Places gained (+) or lost (−) at the last change of the ranking. */
  readonly delta?: number;
}

export interface AudienceTrack {
  /** A track key, or 'overall'. */
  readonly key: string;
  readonly name: Localized;
  readonly rows: readonly AudienceRow[];
}

export interface AudienceBoard {
  readonly policy: ReleasePolicy;
  readonly frozen: boolean;
  readonly frozenAt: string | null;
  /** False while hidden: rows carry no scores, no ranks and are in running order. */
  readonly scoresShown: boolean;
  readonly tracks: readonly AudienceTrack[];
  readonly overall: AudienceTrack;
}

export const OVERALL_NAME: Localized = { zh: '总榜', en: 'Overall' };

/** Rank moves by ref: overall and within the track. */
export interface RankMoves {
  readonly overall: Readonly<Record<string, number>>;
  readonly track: Readonly<Record<string, number>>;
}

const byRank = (rank: (e: BoardEntry) => number | null) => (a: BoardEntry, b: BoardEntry) => {
  const ra = rank(a);
  const rb = rank(b);
  if (ra === null && rb === null) return a.order - b.order;
  if (ra === null) return 1;
  if (rb === null) return -1;
  return ra - rb || a.order - b.order;
};

function rowOf(e: BoardEntry, shown: boolean, scope: 'overall' | 'track', moves: RankMoves | null): AudienceRow {
  if (!shown)
    return {
      rank: null,
      ref: e.ref,
      title: e.title,
      institution: e.institution,
      display: null,
      outOfCompetition: e.outOfCompetition,
    };
  const rank = scope === 'overall' ? e.competitionRank : e.trackCompetitionRank;
  const delta = moves ? (scope === 'overall' ? moves.overall[e.ref] : moves.track[e.ref]) : undefined;
  return {
    rank: e.display === null ? null : rank,
    ref: e.ref,
    title: e.title,
    institution: e.institution,
    display: e.display,
    outOfCompetition: e.outOfCompetition,
    ...(e.prizeZone && e.display !== null && (e.prizeZone.scope ?? scope) === scope
      ? {
          prizeZone: {
            key: e.prizeZone.key,
            name: { zh: e.prizeZone.name.zh, en: e.prizeZone.name.en },
            level: e.prizeZone.level,
          },
        }
      : {}),
    ...(delta ? { delta } : {}),
  };
}

function boardOf(source: BoardSource, shown: boolean, moves: RankMoves | null) {
  const sortedBy = (rank: (e: BoardEntry) => number | null) =>
    [...source.entries].sort(shown ? byRank(rank) : (a, b) => a.order - b.order);
  const tracks = source.tracks.map((t) => ({
    key: t.key,
    name: { zh: t.name.zh, en: t.name.en },
    rows: sortedBy((e) => e.trackRank)
      .filter((e) => e.trackKey === t.key)
      .map((e) => rowOf(e, shown, 'track', moves)),
  }));
  const overall = {
    key: 'overall',
    name: OVERALL_NAME,
    rows: sortedBy((e) => e.rank).map((e) => rowOf(e, shown, 'overall', moves)),
  };
  return { tracks, overall };
}

/**
 * The audience board under a release policy. A frozen policy without a stored board shows
 * nothing (as hidden) rather than the live board.
 * @example projectBoard({ live, policy: 'hidden', frozen: null }).overall.rows[0].display === null
 */
export function projectBoard(input: {
  live: BoardSource;
  policy: ReleasePolicy;
  frozen: FrozenBoard | null;
  moves?: RankMoves | null;
}): AudienceBoard {
  const { live, policy, frozen } = input;
  if (policy === 'frozen') {
    if (!frozen) return { policy, frozen: true, frozenAt: null, scoresShown: false, ...boardOf(live, false, null) };
    return { policy, frozen: true, frozenAt: frozen.at, scoresShown: true, ...boardOf(frozen.source, true, null) };
  }
  if (policy === 'hidden')
    return { policy, frozen: false, frozenAt: null, scoresShown: false, ...boardOf(live, false, null) };
  return { policy, frozen: false, frozenAt: null, scoresShown: true, ...boardOf(live, true, input.moves ?? null) };
}

/**
 * Places gained (+) or lost (−) by each project between two boards (only projects ranked in both).
 * @example rankMoves(before, after).overall['RS-1'] === 2  // was 3rd, now 1st
 */
export function rankMoves(before: BoardSource, after: BoardSource): RankMoves {
  const prior = new Map(before.entries.map((e) => [e.ref, e]));
  const overall: Record<string, number> = {};
  const track: Record<string, number> = {};
  for (const e of after.entries) {
    const p = prior.get(e.ref);
    if (!p) continue;
    if (p.rank !== null && e.rank !== null && p.rank !== e.rank) overall[e.ref] = p.rank - e.rank;
    if (p.trackRank !== null && e.trackRank !== null && p.trackRank !== e.trackRank && p.trackKey === e.trackKey)
      track[e.ref] = p.trackRank - e.trackRank;
  }
  return { overall, track };
}

/** Whether two boards rank the same projects the same way (scores may differ). */
export function sameRanking(a: BoardSource, b: BoardSource): boolean {
  if (a.entries.length !== b.entries.length) return false;
  const other = new Map(b.entries.map((e) => [e.ref, e]));
  return a.entries.every((e) => {
    const o = other.get(e.ref);
    return !!o && o.rank === e.rank && o.trackRank === e.trackRank;
  });
}

// ---------------------------------------------------------------------------------------------
// Score reveal

export interface RevealJudgeLine {
  readonly judgeKey: string;
  readonly name: string;
  readonly total: string | null;
  readonly dropped: 'low' | 'high' | null;
  readonly status: string;
}

/** One project's result with its judges' totals (from the round's results). */
export interface RevealSource {
  readonly ref: string;
  readonly title: string;
  readonly institution: string;
  readonly trackKey: string;
  readonly outOfCompetition: boolean;
  readonly display: string | null;
  readonly decimals: number;
  readonly trimApplied: boolean;
  readonly judges: readonly RevealJudgeLine[];
}

export interface AudienceRevealJudge {
  /** "A", "B", … in reveal order. */
  readonly label: string;
  /** Only with showJudgeMarksOnScreen. */
  readonly name?: string;
  readonly total: string;
  /** Only at the final step. */
  readonly dropped?: 'low' | 'high';
}

export interface AudienceReveal {
  readonly ref: string;
  readonly title: string;
  readonly institution: string;
  readonly trackKey: string;
  readonly outOfCompetition: boolean;
  /** Steps taken by the host (0 = nothing shown yet). */
  readonly step: number;
  /** How many judge totals the reveal has. */
  readonly count: number;
  readonly named: boolean;
  readonly judges: readonly AudienceRevealJudge[];
  /** The final score, only once every total is shown and the host revealed it. */
  readonly final: { readonly display: string; readonly trimmed: boolean } | null;
  readonly decimals: number;
}

/** 32-bit FNV-1a: a stable, non-cryptographic shuffle key. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** "A" … "Z", "AA", "AB", … */
export function judgeLabel(index: number): string {
  let n = index;
  let label = '';
  do {
    label = String.fromCharCode(65 + (n % 26)) + label;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return label;
}

/** Policies under which scores may be revealed on screen. */
export const revealAllowed = (policy: ReleasePolicy) => policy === 'live' || policy === 'revealed';

/**
 * The score reveal of one project after `step` host steps, or null when the policy hides scores.
 * @example projectReveal(src, 2, 'live', false).judges.map((j) => j.label) // ['A', 'B']
 */
export function projectReveal(
  source: RevealSource | null,
  step: number,
  policy: ReleasePolicy,
  showJudgeMarks: boolean,
): AudienceReveal | null {
  if (!source || !revealAllowed(policy)) return null;
  const scored = source.judges.filter((j) => j.status === 'scored' && j.total !== null);
  const ordered = showJudgeMarks
    ? scored
    : [...scored].sort((a, b) => fnv1a(`${source.ref}\u0000${a.judgeKey}`) - fnv1a(`${source.ref}\u0000${b.judgeKey}`));
  const count = ordered.length;
  const safeStep = Math.max(0, Math.floor(step));
  const final = safeStep > count && source.display !== null;
  return {
    ref: source.ref,
    title: source.title,
    institution: source.institution,
    trackKey: source.trackKey,
    outOfCompetition: source.outOfCompetition,
    step: Math.min(safeStep, count + 1),
    count,
    named: showJudgeMarks,
    judges: ordered.slice(0, Math.min(safeStep, count)).map((j, i) => ({
      label: judgeLabel(i),
      ...(showJudgeMarks ? { name: j.name } : {}),
      total: j.total!,
      ...(final && j.dropped ? { dropped: j.dropped } : {}),
    })),
    final: final ? { display: source.display!, trimmed: source.trimApplied } : null,
    decimals: source.decimals,
  };
}

// ---------------------------------------------------------------------------------------------
// What the big screen shows

export const SCREEN_MODES = ['auto', 'presenting', 'scoring', 'reveal', 'leaderboard', 'ceremony', 'idle'] as const;
export type ScreenMode = (typeof SCREEN_MODES)[number];
export type ScreenShows = Exclude<ScreenMode, 'auto'>;

/**
 * The state the screen shows. 'auto' follows the stage: a called project (presenting, pitch,
 * Q&A) → presenting; scoring open → scoring; scoring closed → the score reveal when the host
 * started one for that project, else the leaderboard; an idle stage → the leaderboard.
 * @example screenShows('auto', { phase: 'pitch', projectId: 3 }, null) === 'presenting'
 */
export function screenShows(
  mode: ScreenMode,
  stage: { phase: 'idle' | 'presenting' | 'pitch' | 'qa' | 'scoring' | 'closed'; projectId: number | null },
  revealProjectId: number | null,
): ScreenShows {
  if (mode !== 'auto') return mode;
  switch (stage.phase) {
    case 'presenting':
    case 'pitch':
    case 'qa':
      return 'presenting';
    case 'scoring':
      return 'scoring';
    case 'closed':
      return revealProjectId !== null && revealProjectId === stage.projectId ? 'reveal' : 'leaderboard';
    default:
      return 'leaderboard';
  }
}

// ---------------------------------------------------------------------------------------------
// Ceremony

/** A locked award as the ceremony needs it. */
export interface CeremonyAward {
  readonly tierKey: string;
  readonly tierName: Localized;
  readonly precedence: number;
  readonly audience: boolean;
  readonly scope: 'overall' | 'track';
  readonly trackKey: string | null;
  readonly trackName: Localized | null;
  readonly ref: string;
  readonly title: string;
  readonly institution: string;
  readonly leaderName: string;
}

export interface CeremonyWinner {
  readonly ref: string;
  readonly title: string;
  readonly institution: string;
  readonly leaderName: string;
}

export interface CeremonyStep {
  /** 1-based position in the ceremony. */
  readonly index: number;
  readonly tier: { readonly key: string; readonly name: Localized };
  /** 1 = the top tier awarded (一等奖), 2, 3 …; 0 for audience tiers. */
  readonly level: number;
  readonly audience: boolean;
  readonly track: { readonly key: string; readonly name: Localized } | null;
  /** Large groups are split into pages of at most `pageSize` winners. */
  readonly page: number;
  readonly pages: number;
  readonly winners: readonly CeremonyWinner[];
}

/**
 * The ceremony, lowest tier first (三等奖 → 二等奖 → 一等奖): tiers by precedence from the
 * largest number down, audience tiers (人气奖) last; within a tier the overall group first, then
 * tracks in configured order. Winners within a step are listed by reference, never by rank.
 * @example ceremonySteps(awards, ['ai']).map((s) => s.tier.key) // ['third', 'second', 'first']
 */
export function ceremonySteps(
  awards: readonly CeremonyAward[],
  trackOrder: readonly string[],
  pageSize = 8,
): CeremonyStep[] {
  const trackPos = (key: string | null) => (key === null ? -1 : trackOrder.indexOf(key) + 1 || 10_000);
  const groups = new Map<string, CeremonyAward[]>();
  for (const a of awards) {
    const id = `${a.tierKey}\u0000${a.scope === 'overall' ? '' : (a.trackKey ?? '')}`;
    const list = groups.get(id) ?? [];
    list.push(a);
    groups.set(id, list);
  }
  const ordered = [...groups.values()].sort((x, y) => {
    const a = x[0]!;
    const b = y[0]!;
    if (a.audience !== b.audience) return a.audience ? 1 : -1;
    if (a.precedence !== b.precedence) return b.precedence - a.precedence;
    if (a.tierKey !== b.tierKey) return a.tierKey < b.tierKey ? -1 : 1;
    const ta = a.scope === 'overall' ? null : a.trackKey;
    const tb = b.scope === 'overall' ? null : b.trackKey;
    return trackPos(ta) - trackPos(tb);
  });
  const precedences = [...new Set(awards.filter((a) => !a.audience).map((a) => a.precedence))].sort((a, b) => a - b);
  const steps: CeremonyStep[] = [];
  const size = Math.max(1, Math.floor(pageSize));
  for (const group of ordered) {
    const first = group[0]!;
    const winners = [...group]
      .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))
      .map((a) => ({ ref: a.ref, title: a.title, institution: a.institution, leaderName: a.leaderName }));
    const pages = Math.ceil(winners.length / size);
    for (let p = 0; p < pages; p++)
      steps.push({
        index: steps.length + 1,
        tier: { key: first.tierKey, name: { zh: first.tierName.zh, en: first.tierName.en } },
        level: first.audience ? 0 : precedences.indexOf(first.precedence) + 1,
        audience: first.audience,
        track:
          first.scope === 'track' && first.trackKey
            ? {
                key: first.trackKey,
                name: { zh: first.trackName?.zh ?? first.trackKey, en: first.trackName?.en ?? '' },
              }
            : null,
        page: p + 1,
        pages,
        winners: winners.slice(p * size, (p + 1) * size),
      });
  }
  return steps;
}
