/**
 * The audience vote (人气奖). Organizers open, close, release and hide the vote of a round (one
 * round open at a time); each change lands in the ledger with a revision bump and a
 * 'contest.changed' event, so screens resync. A device casts one vote per round: the caller
 * passes only HMACs of the device id and client address (see `deviceIdentity`), the insert is
 * `ON CONFLICT(round_id, device_hash) DO NOTHING`, and the burst rules of domain/vote-bursts.ts
 * decide in the same transaction whether the vote is held (flagged: not counted until an
 * organizer accepts it). Single votes do not bump the revision: nothing public changes.
 *
 * The public state never carries counts before the organizer releases them; released counts
 * exclude held votes, exactly as the audience award tier does (results.repo audienceVoteCounts).
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as contests from '../data/contest.repo.js';
import { roundLineup } from '../data/stage.repo.js';
import * as repo from '../data/vote.repo.js';
import {
  burstReasons,
  DEFAULT_BURST_RULES,
  explainBursts,
  groupBursts,
  lookbackMs,
  type BurstReason,
  type BurstRules,
} from '../domain/vote-bursts.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod } from '../field-errors.js';
import { isoNow, type Clock } from './clock.js';
import type { EventBus } from './events.js';
import type { LedgerActor, LedgerService } from './ledger.service.js';
import { sha256Hex } from './secrets.js';

// ---------------------------------------------------------------------------------------------
// Device identity: a signed random id in a long-lived cookie; only HMACs are stored.

export const DEVICE_COOKIE = 'roadshow.device';
/** Browsers cap cookie lifetimes at 400 days. */
export const DEVICE_COOKIE_MAX_AGE_MS = 400 * 24 * 60 * 60 * 1000;
const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/;

export interface DeviceIdentity {
  /** A new device: its id and the signed cookie value. */
  issue(): { id: string; cookie: string };
  /** The device id of a cookie value whose signature checks out, else null. */
  verify(cookie: string | undefined): string | null;
  /** What is stored per vote: HMAC of the device id (never the id or the cookie). */
  deviceHash(deviceId: string): string;
  /** HMAC of the client address, for burst detection only. */
  ipHash(ip: string): string;
}

/**
 * Keys derived from the session secret with HKDF (one per purpose), so the cookie signature,
 * the stored device hash and the address hash cannot be confused or correlated across servers.
 */
export function deviceIdentity(sessionSecret: string): DeviceIdentity {
  const key = (purpose: string) =>
    Buffer.from(crypto.hkdfSync('sha256', sessionSecret, 'roadshow.audience-vote', purpose, 32));
  const cookieKey = key('device-cookie/v1');
  const deviceKey = key('device-hash/v1');
  const ipKey = key('ip-hash/v1');
  const mac = (k: Buffer, value: string) => crypto.createHmac('sha256', k).update(value, 'utf8').digest();
  return {
    issue() {
      const id = crypto.randomBytes(16).toString('base64url');
      return { id, cookie: `${id}.${mac(cookieKey, id).toString('base64url')}` };
    },
    verify(cookie) {
      if (!cookie) return null;
      const [id, sig, ...rest] = cookie.split('.');
      if (!id || !sig || rest.length || !DEVICE_ID.test(id)) return null;
      const expected = mac(cookieKey, id);
      const given = Buffer.from(sig, 'base64url');
      return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? id : null;
    },
    deviceHash: (deviceId) => mac(deviceKey, deviceId).toString('hex'),
    ipHash: (ip) => mac(ipKey, ip).toString('hex'),
  };
}

// ---------------------------------------------------------------------------------------------
// Shapes

export const VoteInput = z.object({ projectId: z.coerce.number().int().positive() });
export const VoteAction = z.enum(['open', 'close', 'release', 'hide']);
export type VoteAction = z.infer<typeof VoteAction>;
export const ReviewInput = z.object({
  group: z.string().trim().min(1).max(200),
  action: z.enum(['accept', 'hold']),
});

export type VoteStatus = 'none' | 'open' | 'closed';
type Name = { zh: string; en: string };

export interface BallotEntry {
  projectId: number;
  ref: string;
  title: string;
  institution: string;
  track: { key: string; name: Name };
}

/** What anyone may see. `results` exists only after an organizer released the counts. */
export interface PublicVoteState {
  slug: string;
  revision: number;
  status: VoteStatus;
  round: { key: string; name: Name } | null;
  ballot: BallotEntry[];
  /** This device's vote in the round, when it voted. */
  voted: { projectId: number } | null;
  released: boolean;
  results?: { projectId: number; ref: string; votes: number }[];
}

export interface VoteRoundSummary {
  id: number;
  key: string;
  name: Name;
  kind: 'review' | 'roadshow';
  status: VoteStatus;
  openedAt: string | null;
  closedAt: string | null;
  releasedAt: string | null;
}

export interface BurstGroupView {
  key: string;
  reason: BurstReason;
  /** First 8 hex digits of the address HMAC (not reversible without the server key). */
  addressTag: string | null;
  project: { id: number; ref: string; title: string } | null;
  votes: number;
  held: number;
  firstAt: string;
  lastAt: string;
}

export interface OrganizerVoteView {
  contestId: number;
  slug: string;
  revision: number;
  rounds: VoteRoundSummary[];
  round: VoteRoundSummary | null;
  tally: (BallotEntry & { counted: number; held: number })[];
  totals: { counted: number; held: number; all: number };
  groups: BurstGroupView[];
  rules: BurstRules;
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
  return parsed.data;
}

const statusOf = (r: repo.VoteRoundRow): VoteStatus =>
  r.vote_opened_at === null ? 'none' : r.vote_closed_at === null ? 'open' : 'closed';

function summary(r: repo.VoteRoundRow): VoteRoundSummary {
  return {
    id: r.id,
    key: r.key,
    name: { zh: r.name_zh, en: r.name_en },
    kind: r.kind,
    status: statusOf(r),
    openedAt: r.vote_opened_at,
    closedAt: r.vote_closed_at,
    releasedAt: r.votes_released_at,
  };
}

/** The round the public sees: the open one, else the one opened last. */
function publicRound(rounds: readonly repo.VoteRoundRow[]): repo.VoteRoundRow | null {
  const open = rounds.find((r) => statusOf(r) === 'open');
  if (open) return open;
  const opened = rounds.filter((r) => r.vote_opened_at !== null);
  return opened.sort((a, b) => (a.vote_opened_at! < b.vote_opened_at! ? 1 : -1))[0] ?? null;
}

export function createVoteService(
  db: Db,
  clock: Clock,
  ledger: LedgerService,
  events: EventBus,
  rules: BurstRules = DEFAULT_BURST_RULES,
) {
  /** Ballots by contest revision (any change to projects or running orders bumps it). */
  const ballots = new Map<string, BallotEntry[]>();

  async function contestOf(slug: string, publicOnly: boolean) {
    const row = await contests.findContestBySlug(db, slug);
    if (!row || (publicOnly && row.status === 'draft')) throw new AppError('contest-not-found', { slug });
    return row;
  }

  /** The round's lineup minus 打星 entries (they cannot win the audience award). */
  async function ballotOf(contestId: number, revision: number, roundId: number): Promise<BallotEntry[]> {
    const key = `${contestId}:${revision}:${roundId}`;
    const cached = ballots.get(key);
    if (cached) return cached;
    const lineup = await roundLineup(db, contestId, roundId);
    const facts = new Map((await repo.ballotProjects(db, lineup)).map((p) => [p.id, p]));
    const ballot = lineup.flatMap((id) => {
      const p = facts.get(id);
      return p && p.out_of_competition === 0
        ? [
            {
              projectId: p.id,
              ref: p.ref,
              title: p.title,
              institution: p.institution,
              track: { key: p.track_key, name: { zh: p.track_name_zh, en: p.track_name_en } },
            },
          ]
        : [];
    });
    if (ballots.size > 200) ballots.clear();
    ballots.set(key, ballot);
    return ballot;
  }

  async function roundByKey(contestId: number, roundKey: string): Promise<repo.VoteRoundRow> {
    const round = (await repo.voteRounds(db, contestId)).find((r) => r.key === roundKey);
    if (!round) throw new AppError('round-not-found', { round: roundKey });
    return round;
  }

  async function tallyOf(roundId: number) {
    const rows = await repo.voteCounts(db, roundId);
    return new Map(rows.map((r) => [r.project_id, r]));
  }

  function changed(contestId: number, slug: string, revision: number, reason: string): void {
    events.emit('contest.changed', { contestId, slug, revision, reason });
  }

  /** The votes of a round replayed through the burst rules, grouped for review. */
  function groupsOf(votes: readonly (repo.VoteFactRow & { device_hash?: string })[]) {
    const facts = votes.map((v) => ({
      id: v.id,
      flagged: v.flagged,
      ipHash: v.ip_hash,
      projectId: v.project_id,
      at: Date.parse(v.created_at),
    }));
    return groupBursts(explainBursts(facts, rules));
  }

  /** Counts per project and a digest of every vote row, sealed into the ledger at close/release. */
  async function closingRecord(tx: Db, roundId: number) {
    const votes = await repo.allVotes(tx, roundId);
    const counted: Record<string, number> = {};
    const refs = new Map(
      (await repo.ballotProjects(tx, [...new Set(votes.map((v) => v.project_id))])).map((p) => [p.id, p.ref]),
    );
    for (const v of votes) {
      if (v.flagged) continue;
      const ref = refs.get(v.project_id) ?? `#${v.project_id}`;
      counted[ref] = (counted[ref] ?? 0) + 1;
    }
    const lines = votes.map((v) => [v.id, v.project_id, v.device_hash, v.ip_hash, v.flagged, v.created_at].join(','));
    return {
      counted,
      held: votes.filter((v) => v.flagged).length,
      total: votes.length,
      votesSha256: sha256Hex(lines.join('\n')),
    };
  }

  return {
    rules,

    /** The public vote state for a device (`deviceHash` null when it has no valid cookie). */
    async publicState(slug: string, deviceHash: string | null): Promise<PublicVoteState> {
      const contest = await contestOf(slug, true);
      const round = publicRound(await repo.voteRounds(db, contest.id));
      const base = { slug: contest.slug, revision: contest.revision };
      if (!round) return { ...base, status: 'none', round: null, ballot: [], voted: null, released: false };
      const ballot = await ballotOf(contest.id, contest.revision, round.id);
      const votedFor = deviceHash ? await repo.deviceVote(db, round.id, deviceHash) : null;
      const state: PublicVoteState = {
        ...base,
        status: statusOf(round),
        round: { key: round.key, name: { zh: round.name_zh, en: round.name_en } },
        ballot,
        voted: votedFor === null ? null : { projectId: votedFor },
        released: round.votes_released_at !== null,
      };
      if (state.released) {
        const tally = await tallyOf(round.id);
        state.results = ballot
          .map((b) => ({ projectId: b.projectId, ref: b.ref, votes: tally.get(b.projectId)?.counted ?? 0 }))
          .sort((a, b) => b.votes - a.votes || (a.ref < b.ref ? -1 : 1));
      }
      return state;
    },

    /**
     * Casts a device's vote in the open round. Throws 'vote-closed' (409) when no vote is open,
     * 'already-voted' (409) when the device voted in this round (nothing is counted twice),
     * 'not-on-ballot' (422) for a project outside the round's ballot.
     */
    async cast(
      slug: string,
      voter: { deviceHash: string; ipHash: string },
      input: unknown,
    ): Promise<{ roundKey: string; projectId: number }> {
      const { projectId } = parse(VoteInput, input);
      const contest = await contestOf(slug, true);
      const round = (await repo.voteRounds(db, contest.id)).find((r) => statusOf(r) === 'open');
      if (!round) throw new AppError('vote-closed');
      const ballot = await ballotOf(contest.id, contest.revision, round.id);
      if (!ballot.some((b) => b.projectId === projectId)) throw new AppError('not-on-ballot');
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        const current = await repo.voteRound(tx, contest.id, round.id);
        if (!current || statusOf(current) !== 'open') throw new AppError('vote-closed');
        if ((await repo.deviceVote(tx, round.id, voter.deviceHash)) !== null) throw new AppError('already-voted');
        const since = new Date(now.getTime() - lookbackMs(rules)).toISOString();
        const earlier = (await repo.votesSince(tx, round.id, since)).map((v) => ({
          ipHash: v.ip_hash,
          projectId: v.project_id,
          at: Date.parse(v.created_at),
        }));
        const reasons = burstReasons({ ipHash: voter.ipHash, projectId, at: now.getTime() }, earlier, rules);
        const inserted = await repo.insertVote(tx, {
          roundId: round.id,
          projectId,
          deviceHash: voter.deviceHash,
          ipHash: voter.ipHash,
          flagged: reasons.length > 0,
          at: now.toISOString(),
        });
        if (!inserted) throw new AppError('already-voted');
      });
      return { roundKey: round.key, projectId };
    },

    /** Opens, closes, releases or hides the counts of a round's vote (ledger + revision). */
    async act(slug: string, roundKey: string, actor: LedgerActor, input: unknown): Promise<VoteRoundSummary> {
      const action = parse(VoteAction, input);
      const contest = await contestOf(slug, false);
      const now = isoNow(clock);
      let revision = 0;
      let noop = false;
      await db.transaction().execute(async (tx) => {
        const rounds = await repo.voteRounds(tx, contest.id);
        const round = rounds.find((r) => r.key === roundKey);
        if (!round) throw new AppError('round-not-found', { round: roundKey });
        const status = statusOf(round);
        let payload: Record<string, unknown> = { roundKey };
        switch (action) {
          case 'open': {
            if (status === 'open') {
              noop = true;
              return;
            }
            const other = rounds.find((r) => r.id !== round.id && statusOf(r) === 'open');
            if (other) throw new AppError('vote-open-elsewhere', { round: other.name_zh });
            await repo.setVoteWindow(tx, round.id, {
              vote_opened_at: round.vote_opened_at ?? now,
              vote_closed_at: null,
              votes_released_at: null,
            });
            payload = { ...payload, reopened: status === 'closed' };
            break;
          }
          case 'close': {
            if (status !== 'open') throw new AppError('vote-closed');
            await repo.setVoteWindow(tx, round.id, { vote_closed_at: now });
            payload = { ...payload, ...(await closingRecord(tx, round.id)) };
            break;
          }
          case 'release': {
            if (status === 'open') throw new AppError('vote-open');
            if (status === 'none') throw new AppError('vote-not-opened');
            if (round.votes_released_at) {
              noop = true;
              return;
            }
            await repo.setVoteWindow(tx, round.id, { votes_released_at: now });
            payload = { ...payload, ...(await closingRecord(tx, round.id)) };
            break;
          }
          case 'hide': {
            if (!round.votes_released_at) {
              noop = true;
              return;
            }
            await repo.setVoteWindow(tx, round.id, { votes_released_at: null });
            break;
          }
        }
        await ledger.append(
          tx,
          contest.id,
          actor,
          `vote.${action === 'open' ? 'opened' : action === 'close' ? 'closed' : action === 'release' ? 'released' : 'hidden'}`,
          payload,
        );
        revision = await contests.bumpRevision(tx, contest.id, now);
      });
      if (!noop) changed(contest.id, contest.slug, revision, `vote.${action}`);
      return summary((await repo.voteRounds(db, contest.id)).find((r) => r.key === roundKey)!);
    },

    /** Accepts (counts) or holds again the votes of one burst group of a round. */
    async review(slug: string, roundKey: string, actor: LedgerActor, input: unknown): Promise<{ changed: number }> {
      const body = parse(ReviewInput, input);
      const contest = await contestOf(slug, false);
      const round = await roundByKey(contest.id, roundKey);
      const now = isoNow(clock);
      let count = 0;
      let revision = 0;
      await db.transaction().execute(async (tx) => {
        const group = groupsOf(await repo.allVotes(tx, round.id)).find((g) => g.key === body.group);
        if (!group) throw new AppError('not-found');
        count = await repo.setFlagged(
          tx,
          round.id,
          group.votes.map((v) => v.id),
          body.action === 'hold',
        );
        if (count === 0) return;
        await ledger.append(tx, contest.id, actor, `vote.${body.action === 'hold' ? 'held' : 'accepted'}`, {
          roundKey,
          group: body.group,
          votes: count,
        });
        revision = await contests.bumpRevision(tx, contest.id, now);
      });
      if (count) changed(contest.id, contest.slug, revision, `vote.${body.action}`);
      return { changed: count };
    },

    /** Everything the organizer page shows: rounds, live counts, held votes and burst groups. */
    async organizerView(slug: string, roundKey?: string): Promise<OrganizerVoteView> {
      const contest = await contestOf(slug, false);
      const rows = await repo.voteRounds(db, contest.id);
      const chosen =
        (roundKey ? rows.find((r) => r.key === roundKey) : undefined) ??
        publicRound(rows) ??
        rows.filter((r) => r.kind === 'roadshow').at(-1) ??
        rows.at(-1) ??
        null;
      if (roundKey && chosen?.key !== roundKey) throw new AppError('round-not-found', { round: roundKey });
      const base = {
        contestId: contest.id,
        slug: contest.slug,
        revision: contest.revision,
        rounds: rows.map(summary),
        rules,
      };
      if (!chosen) return { ...base, round: null, tally: [], totals: { counted: 0, held: 0, all: 0 }, groups: [] };
      const [ballot, counts, votes] = await Promise.all([
        ballotOf(contest.id, contest.revision, chosen.id),
        tallyOf(chosen.id),
        repo.allVotes(db, chosen.id),
      ]);
      const onBallot = new Set(ballot.map((b) => b.projectId));
      // Votes for a project that left the ballot (withdrawn after voting) are still shown.
      const strays = [...counts.keys()].filter((id) => !onBallot.has(id));
      const strayFacts = await repo.ballotProjects(db, strays);
      const entries: BallotEntry[] = [
        ...ballot,
        ...strayFacts.map((p) => ({
          projectId: p.id,
          ref: p.ref,
          title: p.title,
          institution: p.institution,
          track: { key: p.track_key, name: { zh: p.track_name_zh, en: p.track_name_en } },
        })),
      ];
      const byId = new Map(entries.map((e) => [e.projectId, e]));
      const tally = entries
        .map((e) => ({
          ...e,
          counted: counts.get(e.projectId)?.counted ?? 0,
          held: counts.get(e.projectId)?.held ?? 0,
        }))
        .sort((a, b) => b.counted - a.counted || b.held - a.held || (a.ref < b.ref ? -1 : 1));
      const totals = tally.reduce(
        (t, r) => ({ counted: t.counted + r.counted, held: t.held + r.held, all: t.all + r.counted + r.held }),
        { counted: 0, held: 0, all: 0 },
      );
      const groups: BurstGroupView[] = groupsOf(votes).map((g) => {
        const project = g.projectId === null ? undefined : byId.get(g.projectId);
        return {
          key: g.key,
          reason: g.reason,
          addressTag: g.ipHash ? g.ipHash.slice(0, 8) : null,
          project: project ? { id: project.projectId, ref: project.ref, title: project.title } : null,
          votes: g.votes.length,
          held: g.votes.filter((v) => v.flagged === 1).length,
          firstAt: new Date(g.firstAt).toISOString(),
          lastAt: new Date(g.lastAt).toISOString(),
        };
      });
      return { ...base, round: summary(chosen), tally, totals, groups };
    },

    /**
     * Counted votes (held ones excluded) per project ref of a round (default: the round whose
     * vote the public sees), most first: the input of the audience award tier.
     * @example await votes.audienceVotes('demo', 'final') // [{ ref: 'RS-2024-0003', votes: 41 }, …]
     */
    async audienceVotes(slug: string, roundKey?: string): Promise<{ ref: string; votes: number }[]> {
      const contest = await contestOf(slug, false);
      const rows = await repo.voteRounds(db, contest.id);
      const round = roundKey ? rows.find((r) => r.key === roundKey) : publicRound(rows);
      if (!round) {
        if (roundKey) throw new AppError('round-not-found', { round: roundKey });
        return [];
      }
      const counts = [...(await tallyOf(round.id)).values()].filter((c) => c.counted > 0);
      const refs = new Map(
        (
          await repo.ballotProjects(
            db,
            counts.map((c) => c.project_id),
          )
        ).map((p) => [p.id, p.ref]),
      );
      return counts
        .map((c) => ({ ref: refs.get(c.project_id) ?? `#${c.project_id}`, votes: c.counted }))
        .sort((a, b) => b.votes - a.votes || (a.ref < b.ref ? -1 : 1));
    },
  };
}

export type VoteService = ReturnType<typeof createVoteService>;
