/**
 * Burst rules for the audience vote (人气奖): decides whether a new vote looks like part of a
 * burst and should be held for the organizer (flagged, not counted until accepted).
 *
 * Two rules, both "excess only" — the votes up to a limit count, the ones beyond it are flagged —
 * so flagging is decided once per vote at insert time and never rewrites earlier votes (an
 * organizer's "accept" is never undone by a later vote):
 * - ip-burst: more than `ipLimit` votes from one address (its HMAC) within `ipWindowMs`. A hall
 *   behind one NAT address trips this too; that is why it flags rather than refuses.
 * - project-spike: more than `projectLimit` votes for one project within `projectWindowMs` while
 *   that project takes at least `projectShare` of all votes in the window (a script pushing one
 *   project from many devices; a hall voting after the pitches spreads its votes).
 *
 * Pure: no I/O, no clock (times are epoch milliseconds passed in), no framework imports.
 */

export interface BurstRules {
  readonly ipLimit: number;
  readonly ipWindowMs: number;
  readonly projectLimit: number;
  readonly projectWindowMs: number;
  /** 0–1: the spike project's share of all votes in its window. */
  readonly projectShare: number;
}

export const DEFAULT_BURST_RULES: BurstRules = {
  ipLimit: 10,
  ipWindowMs: 5 * 60_000,
  projectLimit: 30,
  projectWindowMs: 10_000,
  projectShare: 0.8,
};

export interface VoteFact {
  readonly ipHash: string;
  readonly projectId: number;
  /** Epoch milliseconds. */
  readonly at: number;
}

export type BurstReason = 'ip-burst' | 'project-spike';

/** How far back `burstReasons` needs earlier votes. */
export function lookbackMs(rules: BurstRules): number {
  return Math.max(rules.ipWindowMs, rules.projectWindowMs);
}

/**
 * Why a new vote belongs to a burst (empty: it does not). `earlier` are the round's votes cast
 * before it (any order; older ones than the lookback are ignored).
 * @example
 * burstReasons({ ipHash: 'a', projectId: 1, at: 1000 }, tenVotesFromA, DEFAULT_BURST_RULES) // ['ip-burst']
 */
export function burstReasons(vote: VoteFact, earlier: readonly VoteFact[], rules: BurstRules): BurstReason[] {
  const reasons: BurstReason[] = [];
  const within = (v: VoteFact, windowMs: number) => v.at <= vote.at && vote.at - v.at < windowMs;

  const sameIp = earlier.filter((v) => v.ipHash === vote.ipHash && within(v, rules.ipWindowMs)).length;
  if (sameIp + 1 > rules.ipLimit) reasons.push('ip-burst');

  const inWindow = earlier.filter((v) => within(v, rules.projectWindowMs));
  const sameProject = inWindow.filter((v) => v.projectId === vote.projectId).length + 1;
  if (sameProject > rules.projectLimit && sameProject >= rules.projectShare * (inWindow.length + 1))
    reasons.push('project-spike');

  return reasons;
}

export interface ExplainedVote<T extends VoteFact> {
  readonly vote: T;
  readonly reasons: BurstReason[];
}

/**
 * Replays the rules over a round's votes in the order they were cast, giving each vote the
 * reasons it had when it arrived (what the organizer page shows next to flagged votes).
 * @example explainBursts(votesInOrder, DEFAULT_BURST_RULES).filter((e) => e.reasons.length)
 */
export function explainBursts<T extends VoteFact>(votes: readonly T[], rules: BurstRules): ExplainedVote<T>[] {
  const out: ExplainedVote<T>[] = [];
  const lookback = lookbackMs(rules);
  let from = 0;
  for (let i = 0; i < votes.length; i++) {
    const vote = votes[i]!;
    while (from < i && vote.at - votes[from]!.at >= lookback) from++;
    out.push({ vote, reasons: burstReasons(vote, votes.slice(from, i), rules) });
  }
  return out;
}

export interface BurstGroup<T extends VoteFact> {
  /** Stable within a round: `ip:<hash>` or `project:<id>`. */
  readonly key: string;
  readonly reason: BurstReason;
  /** The address HMAC for ip-burst groups; null for project spikes. */
  readonly ipHash: string | null;
  readonly projectId: number | null;
  readonly votes: readonly T[];
  readonly firstAt: number;
  readonly lastAt: number;
}

/** The group a vote with these reasons is reviewed in (null when it is no burst). */
export function burstKey(vote: VoteFact, reasons: readonly BurstReason[]): string | null {
  if (reasons.includes('ip-burst')) return `ip:${vote.ipHash}`;
  if (reasons.includes('project-spike')) return `project:${vote.projectId}`;
  return null;
}

/**
 * Groups explained votes into what an organizer reviews: one group per address for ip-bursts,
 * one per project for spikes (a vote with both reasons is listed under its address). Largest first.
 * @example groupBursts(explainBursts(votes, rules)) // [{ key: 'ip:a', reason: 'ip-burst', votes: [...] }]
 */
export function groupBursts<T extends VoteFact>(explained: readonly ExplainedVote<T>[]): BurstGroup<T>[] {
  const groups = new Map<string, { reason: BurstReason; vote: T; votes: T[] }>();
  for (const { vote, reasons } of explained) {
    const key = burstKey(vote, reasons);
    if (key === null) continue;
    const group = groups.get(key) ?? { reason: key.startsWith('ip:') ? 'ip-burst' : 'project-spike', vote, votes: [] };
    group.votes.push(vote);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .map(([key, g]) => ({
      key,
      reason: g.reason,
      ipHash: g.reason === 'ip-burst' ? g.vote.ipHash : null,
      projectId: g.reason === 'project-spike' ? g.vote.projectId : null,
      votes: g.votes,
      firstAt: g.votes.reduce((m, v) => Math.min(m, v.at), Infinity),
      lastAt: g.votes.reduce((m, v) => Math.max(m, v.at), -Infinity),
    }))
    .sort((a, b) => b.votes.length - a.votes.length || a.firstAt - b.firstAt);
}
