/**
 * The release rules (domain/release.ts): what each policy lets an audience see, that nothing a
 * policy hides is in the payload at all (scores while hidden, anything after the freeze, judge
 * names and criterion marks, contacts), the score reveal step by step, what 'auto' shows, and the
 * ceremony order. Table-driven cases plus fast-check properties over random boards.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ceremonySteps,
  judgeLabel,
  projectBoard,
  projectReveal,
  rankMoves,
  RELEASE_POLICIES,
  sameRanking,
  screenShows,
  type BoardEntry,
  type BoardSource,
  type CeremonyAward,
  type FrozenBoard,
  type ReleasePolicy,
  type RevealSource,
} from '../../server/domain/release.js';

const TRACKS = [
  { key: 'devices', name: { zh: '高端医疗器械', en: 'Devices' } },
  { key: 'ai', name: { zh: 'AI+医疗健康', en: 'AI' } },
];

function entry(ref: string, over: Partial<BoardEntry> = {}): BoardEntry {
  return {
    ref,
    title: `项目 ${ref}`,
    institution: `单位 ${ref}`,
    trackKey: 'devices',
    outOfCompetition: false,
    order: 0,
    display: null,
    rank: null,
    competitionRank: null,
    trackRank: null,
    trackCompetitionRank: null,
    prizeZone: null,
    ...over,
  };
}

/** Four projects: B leads, A second, D (打星) third overall, C unscored. */
function liveBoard(revision = 10): BoardSource {
  return {
    revision,
    tracks: TRACKS,
    entries: [
      entry('A', {
        order: 0,
        display: '88.25',
        rank: 2,
        competitionRank: 2,
        trackRank: 2,
        trackCompetitionRank: 2,
        prizeZone: { key: 'second', name: { zh: '二等奖', en: 'Second prize' }, level: 2 },
      }),
      entry('B', {
        order: 1,
        display: '91.50',
        rank: 1,
        competitionRank: 1,
        trackRank: 1,
        trackCompetitionRank: 1,
        prizeZone: { key: 'first', name: { zh: '一等奖', en: 'First prize' }, level: 1 },
      }),
      entry('C', { order: 2, trackKey: 'ai' }),
      entry('D', {
        order: 3,
        trackKey: 'ai',
        outOfCompetition: true,
        display: '86.00',
        rank: 3,
        competitionRank: null,
        trackRank: 1,
        trackCompetitionRank: null,
      }),
    ],
  };
}

const frozenAt = '2024-11-23T06:30:00.000Z';
/** The board at the freeze: only A was scored (80.10). */
function frozenBoard(): FrozenBoard {
  return {
    at: frozenAt,
    source: {
      revision: 4,
      tracks: TRACKS,
      entries: [
        entry('A', { order: 0, display: '80.10', rank: 1, competitionRank: 1, trackRank: 1, trackCompetitionRank: 1 }),
        entry('B', { order: 1 }),
        entry('C', { order: 2, trackKey: 'ai' }),
        entry('D', { order: 3, trackKey: 'ai', outOfCompetition: true }),
      ],
    },
  };
}

const LIVE_ONLY = ['88.25', '91.50', '86.00', '二等奖', '一等奖'];
const json = (value: unknown) => JSON.stringify(value);

describe('projectBoard: what each policy shows', () => {
  it('live: current ranks and scores, track boards and overall, prize zones, 打星 without a rank', () => {
    const b = projectBoard({ live: liveBoard(), policy: 'live', frozen: null });
    expect(b).toMatchObject({ policy: 'live', frozen: false, frozenAt: null, scoresShown: true });
    expect(b.overall.key).toBe('overall');
    expect(b.overall.rows.map((r) => [r.ref, r.rank, r.display])).toEqual([
      ['B', 1, '91.50'],
      ['A', 2, '88.25'],
      ['D', null, '86.00'],
      ['C', null, null],
    ]);
    expect(b.overall.rows[0]!.prizeZone).toEqual({ key: 'first', name: { zh: '一等奖', en: 'First prize' }, level: 1 });
    expect(b.overall.rows[2]!.outOfCompetition).toBe(true);
    expect(b.tracks.map((t) => [t.key, t.rows.map((r) => r.ref)])).toEqual([
      ['devices', ['B', 'A']],
      ['ai', ['D', 'C']],
    ]);
  });

  it('revealed: the current board, marked revealed', () => {
    const b = projectBoard({ live: liveBoard(), policy: 'revealed', frozen: frozenBoard() });
    expect(b).toMatchObject({ policy: 'revealed', frozen: false, scoresShown: true });
    expect(b.overall.rows[0]!.display).toBe('91.50');
    expect(json(b)).not.toContain('80.10');
  });

  it('hidden: no score, no rank, no prize zone, no move; rows in running order', () => {
    const moves = rankMoves(liveBoard(9), liveBoard(10));
    const b = projectBoard({ live: liveBoard(), policy: 'hidden', frozen: frozenBoard(), moves });
    expect(b).toMatchObject({ policy: 'hidden', frozen: false, scoresShown: false });
    expect(b.overall.rows.map((r) => r.ref)).toEqual(['A', 'B', 'C', 'D']);
    for (const row of [...b.overall.rows, ...b.tracks.flatMap((t) => t.rows)]) {
      expect(row.rank).toBeNull();
      expect(row.display).toBeNull();
      expect(Object.keys(row).sort()).toEqual(['display', 'institution', 'outOfCompetition', 'rank', 'ref', 'title']);
    }
    const text = json(b);
    for (const s of [...LIVE_ONLY, '80.10']) expect(text).not.toContain(s);
  });

  it('frozen: the stored board, nothing that happened after the freeze', () => {
    const b = projectBoard({ live: liveBoard(), policy: 'frozen', frozen: frozenBoard() });
    expect(b).toMatchObject({ policy: 'frozen', frozen: true, frozenAt, scoresShown: true });
    expect(b.overall.rows.map((r) => [r.ref, r.rank, r.display])).toEqual([
      ['A', 1, '80.10'],
      ['B', null, null],
      ['C', null, null],
      ['D', null, null],
    ]);
    const text = json(b);
    for (const s of LIVE_ONLY) expect(text).not.toContain(s);
  });

  it('frozen without a stored board shows nothing rather than the live board', () => {
    const b = projectBoard({ live: liveBoard(), policy: 'frozen', frozen: null });
    expect(b).toMatchObject({ frozen: true, scoresShown: false });
    for (const s of LIVE_ONLY) expect(json(b)).not.toContain(s);
  });

  it('never passes on fields it does not know (contacts, judges, marks)', () => {
    const leaky = liveBoard();
    const entries = leaky.entries.map((e) => ({
      ...e,
      leaderPhone: '13800138000',
      leaderEmail: 'lead@example.cn',
      judges: [{ name: '王建国', total: '99.00', marks: { innovation: '19.50' } }],
    }));
    for (const policy of RELEASE_POLICIES) {
      const text = json(
        projectBoard({
          live: { ...leaky, entries },
          policy,
          frozen: { at: frozenAt, source: { ...leaky, entries } },
        }),
      );
      for (const s of ['13800138000', 'lead@example.cn', '王建国', '99.00', '19.50', 'marks', 'judges'])
        expect(text, `${policy}: ${s}`).not.toContain(s);
    }
  });

  it('rank moves: places gained or lost at the last change of the ranking, live only', () => {
    const before = liveBoard(9);
    const after: BoardSource = {
      ...before,
      revision: 10,
      entries: before.entries.map((e) =>
        e.ref === 'A'
          ? { ...e, display: '93.00', rank: 1, competitionRank: 1, trackRank: 1, trackCompetitionRank: 1 }
          : e.ref === 'B'
            ? { ...e, rank: 2, competitionRank: 2, trackRank: 2, trackCompetitionRank: 2 }
            : e,
      ),
    };
    const moves = rankMoves(before, after);
    expect(moves).toEqual({ overall: { A: 1, B: -1 }, track: { A: 1, B: -1 } });
    expect(sameRanking(before, after)).toBe(false);
    expect(sameRanking(before, { ...before, revision: 11 })).toBe(true);
    const live = projectBoard({ live: after, policy: 'live', frozen: null, moves });
    expect(live.overall.rows.map((r) => [r.ref, r.delta])).toEqual([
      ['A', 1],
      ['B', -1],
      ['D', undefined],
      ['C', undefined],
    ]);
    expect(json(projectBoard({ live: after, policy: 'frozen', frozen: frozenBoard(), moves }))).not.toContain('delta');
  });
});

describe('projectBoard properties', () => {
  const display = fc
    .integer({ min: 0, max: 10_000 })
    .map((n) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`);
  const boardArb = fc
    .array(fc.option(display, { nil: null }), { minLength: 1, maxLength: 12 })
    .map((scores): BoardSource => {
      const ranked = scores
        .map((d, i) => ({ d, i }))
        .filter((x) => x.d !== null)
        .sort((a, b) => Number(b.d) - Number(a.d));
      const rankOf = new Map(ranked.map((x, n) => [x.i, n + 1]));
      return {
        revision: 1,
        tracks: TRACKS,
        entries: scores.map((d, i) =>
          entry(`P${i}`, {
            order: i,
            trackKey: i % 2 ? 'ai' : 'devices',
            display: d === null ? null : `S${d}`,
            rank: rankOf.get(i) ?? null,
            competitionRank: rankOf.get(i) ?? null,
          }),
        ),
      };
    });

  it('hidden never carries a score or a rank, whatever the board', () => {
    fc.assert(
      fc.property(boardArb, (live) => {
        const b = projectBoard({ live, policy: 'hidden', frozen: null });
        expect(json(b)).not.toMatch(/"S\d/);
        expect(b.overall.rows.every((r) => r.rank === null)).toBe(true);
        expect(b.overall.rows.map((r) => r.ref)).toEqual(live.entries.map((e) => e.ref));
      }),
    );
  });

  it('frozen carries exactly the frozen scores, never a live-only one', () => {
    fc.assert(
      fc.property(boardArb, boardArb, (live, atFreeze) => {
        const frozen: FrozenBoard = {
          at: frozenAt,
          source: {
            ...atFreeze,
            entries: atFreeze.entries.map((e) => ({ ...e, display: e.display && `F${e.display}` })),
          },
        };
        const b = projectBoard({ live, policy: 'frozen', frozen });
        expect(json(b)).not.toMatch(/"S\d/);
        const shown = b.overall.rows
          .map((r) => r.display)
          .filter(Boolean)
          .sort();
        const stored = frozen.source.entries
          .map((e) => e.display)
          .filter(Boolean)
          .sort();
        expect(shown).toEqual(stored);
      }),
    );
  });

  it('every policy lists each project once per board', () => {
    fc.assert(
      fc.property(boardArb, fc.constantFrom<ReleasePolicy>(...RELEASE_POLICIES), (live, policy) => {
        const b = projectBoard({ live, policy, frozen: { at: frozenAt, source: live } });
        expect(b.overall.rows.map((r) => r.ref).sort()).toEqual(live.entries.map((e) => e.ref).sort());
        const inTracks = b.tracks.flatMap((t) => t.rows.map((r) => r.ref)).sort();
        expect(inTracks).toEqual(live.entries.map((e) => e.ref).sort());
      }),
    );
  });
});

describe('projectReveal: the score reveal', () => {
  const source: RevealSource = {
    ref: 'RS-1',
    title: '智能导管',
    institution: '北京城市副中心人民医院',
    trackKey: 'devices',
    outOfCompetition: false,
    display: '86.33',
    decimals: 2,
    trimApplied: true,
    judges: [
      { judgeKey: 'wang', name: '王建国', total: '92.00', dropped: 'high', status: 'scored' },
      { judgeKey: 'li', name: '李秀兰', total: '85.00', dropped: null, status: 'scored' },
      { judgeKey: 'chen', name: '陈志远', total: '86.00', dropped: null, status: 'scored' },
      { judgeKey: 'liu', name: '刘海燕', total: '88.00', dropped: null, status: 'scored' },
      { judgeKey: 'zhao', name: '赵明哲', total: '70.50', dropped: 'low', status: 'scored' },
      { judgeKey: 'sun', name: '孙立新', total: null, dropped: null, status: 'recused' },
    ],
  };

  it('shows nothing under hidden or frozen', () => {
    expect(projectReveal(source, 3, 'hidden', true)).toBeNull();
    expect(projectReveal(source, 3, 'frozen', true)).toBeNull();
    expect(projectReveal(null, 3, 'live', true)).toBeNull();
  });

  it('one total per step, dropped marks and the final score only at the last step', () => {
    const steps = [0, 1, 2, 3, 4, 5, 6, 9].map((s) => projectReveal(source, s, 'live', true)!);
    expect(steps.map((r) => r.judges.length)).toEqual([0, 1, 2, 3, 4, 5, 5, 5]);
    expect(steps.map((r) => r.count)).toEqual(Array(8).fill(5));
    expect(steps.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 6]);
    for (const r of steps.slice(0, 6)) {
      expect(r.final).toBeNull();
      expect(r.judges.some((j) => j.dropped)).toBe(false);
      expect(json(r)).not.toContain('86.33');
    }
    const final = steps[6]!;
    expect(final.final).toEqual({ display: '86.33', trimmed: true });
    expect(final.judges.map((j) => [j.name, j.total, j.dropped])).toEqual([
      ['王建国', '92.00', 'high'],
      ['李秀兰', '85.00', undefined],
      ['陈志远', '86.00', undefined],
      ['刘海燕', '88.00', undefined],
      ['赵明哲', '70.50', 'low'],
    ]);
    expect(final.judges.map((j) => j.label)).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('without the contest setting: "评委 A…", totals only, no names or keys, order unrelated to the panel', () => {
    const r = projectReveal(source, 99, 'revealed', false)!;
    expect(r.named).toBe(false);
    const text = json(r);
    for (const j of source.judges) {
      expect(text).not.toContain(j.name);
      expect(text).not.toContain(`"${j.judgeKey}"`);
    }
    expect(r.judges.every((j) => !('name' in j))).toBe(true);
    expect(r.judges.map((j) => j.total).sort()).toEqual(['70.50', '85.00', '86.00', '88.00', '92.00']);
    // The anonymous order is a per-project shuffle: over many projects it is not the panel order.
    const orders = new Set(
      Array.from({ length: 20 }, (_, i) =>
        projectReveal({ ...source, ref: `RS-${i}` }, 99, 'live', false)!
          .judges.map((j) => j.total)
          .join(','),
      ),
    );
    expect(orders.size).toBeGreaterThan(3);
  });

  it('never carries criterion marks or contacts even if the source had them', () => {
    const leaky = {
      ...source,
      judges: source.judges.map((j) => ({ ...j, marks: { innovation: '19.25' }, phone: '13900000000' })),
    };
    const text = json(projectReveal(leaky, 99, 'live', true));
    expect(text).not.toContain('19.25');
    expect(text).not.toContain('13900000000');
  });

  it('judge labels run A…Z, AA, AB', () => {
    expect([0, 1, 25, 26, 27, 51, 52].map(judgeLabel)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA']);
  });
});

describe('screenShows: auto follows the stage', () => {
  it.each([
    ['idle', null, null, 'leaderboard'],
    ['presenting', 7, null, 'presenting'],
    ['pitch', 7, null, 'presenting'],
    ['qa', 7, null, 'presenting'],
    ['scoring', 7, 7, 'scoring'],
    ['closed', 7, null, 'leaderboard'],
    ['closed', 7, 8, 'leaderboard'],
    ['closed', 7, 7, 'reveal'],
  ] as const)('%s (project %s, reveal %s) → %s', (phase, projectId, reveal, shows) => {
    expect(screenShows('auto', { phase, projectId }, reveal)).toBe(shows);
  });

  it('any other mode is shown as chosen', () => {
    for (const mode of ['presenting', 'scoring', 'reveal', 'leaderboard', 'ceremony', 'idle'] as const)
      expect(screenShows(mode, { phase: 'pitch', projectId: 1 }, null)).toBe(mode);
  });
});

describe('ceremonySteps', () => {
  const award = (tierKey: string, precedence: number, ref: string, trackKey: string | null, audience = false) =>
    ({
      tierKey,
      tierName: { zh: tierKey, en: tierKey },
      precedence,
      audience,
      scope: trackKey ? 'track' : 'overall',
      trackKey,
      trackName: trackKey ? { zh: `赛道${trackKey}`, en: '' } : null,
      ref,
      title: `项目${ref}`,
      institution: '单位',
      leaderName: '负责人',
    }) satisfies CeremonyAward;

  it('lowest tier first, each tier by track in configured order, audience awards last', () => {
    const steps = ceremonySteps(
      [
        award('first', 1, 'R1', 'ai'),
        award('popular', 5, 'R9', null, true),
        award('third', 3, 'R5', 'devices'),
        award('first', 1, 'R2', 'devices'),
        award('second', 2, 'R3', 'ai'),
        award('third', 3, 'R7', 'ai'),
        award('third', 3, 'R6', 'ai'),
        award('grand', 1, 'R8', null),
      ],
      ['devices', 'ai'],
    );
    expect(steps.map((s) => `${s.tier.key}/${s.track?.key ?? '-'}`)).toEqual([
      'third/devices',
      'third/ai',
      'second/ai',
      'first/devices',
      'first/ai',
      'grand/-',
      'popular/-',
    ]);
    expect(steps.map((s) => s.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(steps[1]!.winners.map((w) => w.ref)).toEqual(['R6', 'R7']);
    expect(steps.map((s) => s.level)).toEqual([3, 3, 2, 1, 1, 1, 0]);
    expect(steps.at(-1)!.audience).toBe(true);
  });

  it('splits a large group into pages', () => {
    const many = Array.from({ length: 11 }, (_, i) => award('excellence', 4, `R${String(i).padStart(2, '0')}`, 'ai'));
    const steps = ceremonySteps(many, ['ai'], 8);
    expect(steps.map((s) => [s.page, s.pages, s.winners.length])).toEqual([
      [1, 2, 8],
      [2, 2, 3],
    ]);
  });

  it('no awards, no steps', () => {
    expect(ceremonySteps([], ['ai'])).toEqual([]);
  });
});
