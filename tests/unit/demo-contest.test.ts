import { describe, expect, it } from 'vitest';
import { DEMO_SLUG, demoContest } from '../../server/demo/demo-contest.js';
import { ContestDocument, JUDGE_GROUPS } from '../../server/domain/contest-document.js';

describe('the demo contest document', () => {
  const doc = ContestDocument.parse(demoContest());

  it('parses as a contest document with the demo slug and bilingual names', () => {
    expect(doc.slug).toBe(DEMO_SLUG);
    expect(doc.slug).toBe('bj-subcenter-medtech-2024-demo');
    expect(doc.name.zh).toBe('2024 北京城市副中心创新医学转化大赛（演示）');
    expect(doc.name.en).toBe('2024 Beijing City Sub-center Innovation Medical Transformation Contest (demo)');
    expect(doc.theme.zh).toBe('打造医产协同示范区，发展健康新质生产力');
    expect(doc.theme.en).not.toBe('');
    expect(doc.venue).toContain('通州');
    expect(doc.startsOn?.startsWith('2024-')).toBe(true);
    expect(doc.status).toBe('live');
  });

  it('has four tracks named in both languages', () => {
    expect(doc.tracks.map((t) => t.name.zh)).toEqual(['高端医疗器械', '创新药品', '前沿诊疗技术', 'AI+医疗健康']);
    for (const track of doc.tracks) {
      expect(track.name.en).not.toBe('');
      expect(track.description).not.toBe('');
    }
  });

  it('has a review round and a 5+5 roadshow final with trimmed-mean scoring', () => {
    expect(doc.rounds).toHaveLength(2);
    const [review, final] = doc.rounds;
    expect(review?.kind).toBe('review');
    expect(review?.combine.mode).toBe('reset');
    expect(final?.kind).toBe('roadshow');
    expect(final?.pitchSeconds).toBe(300);
    expect(final?.qaSeconds).toBe(300);
    expect(final?.combine.mode).toBe('reset');
    expect(final?.scoring).toMatchObject({
      method: 'trimmed-mean',
      trim: 1,
      minJudgesForTrim: 5,
      decimals: 2,
      missingScore: 'exclude',
      tieBreaks: [{ kind: 'untrimmed-mean' }, { kind: 'criterion', criterionKey: 'clinical' }, { kind: 'head-judge' }],
    });
  });

  it('scores each round on five criteria summing to 100 points, with level descriptors', () => {
    for (const round of doc.rounds) {
      expect(round.criteria).toHaveLength(5);
      expect(round.criteria.map((c) => c.max)).toEqual([20, 20, 25, 20, 15]);
      expect(round.criteria.reduce((sum, c) => sum + c.max, 0)).toBe(100);
      for (const c of round.criteria) {
        expect(c.step).toBe(1);
        expect(c.weight).toBe(1);
        expect(c.description).not.toBe('');
        expect(c.levels.length).toBeGreaterThanOrEqual(3);
        expect(c.levels.length).toBeLessThanOrEqual(4);
        for (const l of c.levels) expect(l.label.en).not.toBe('');
      }
    }
  });

  it('has 11 judges with exactly one head judge, covering the four groups', () => {
    expect(doc.judges).toHaveLength(11);
    expect(doc.judges.filter((j) => j.isHeadJudge)).toHaveLength(1);
    const groups = new Set(doc.judges.map((j) => j.group));
    for (const group of JUDGE_GROUPS.filter((g) => g !== 'other')) expect(groups.has(group)).toBe(true);
  });

  it('has at least one judge from a project institution, and a reasoned manual conflict', () => {
    const institutions = new Set(doc.projects.map((p) => p.institution));
    expect(doc.judges.some((j) => institutions.has(j.institution))).toBe(true);
    expect(doc.conflicts.length).toBeGreaterThanOrEqual(1);
    expect(doc.conflicts.every((c) => c.source === 'manual' && c.reason !== '')).toBe(true);
  });

  it('has 24 approved projects over existing tracks, exactly one out of competition', () => {
    expect(doc.projects).toHaveLength(24);
    expect(doc.projects.map((p) => p.ref)).toEqual(
      Array.from({ length: 24 }, (_, i) => `RS-2024-${String(i + 1).padStart(4, '0')}`),
    );
    const tracks = new Set(doc.tracks.map((t) => t.key));
    for (const p of doc.projects) {
      expect(tracks.has(p.trackKey)).toBe(true);
      expect(p.status).toBe('approved');
      expect(p.members.length).toBeGreaterThanOrEqual(2);
      expect(p.members.length).toBeLessThanOrEqual(4);
      expect(p.leader.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(p.leader.email).toMatch(/@example\.(com|cn)$/);
    }
    for (const key of tracks) expect(doc.projects.filter((p) => p.trackKey === key)).toHaveLength(6);
    expect(doc.projects.filter((p) => p.outOfCompetition)).toHaveLength(1);
  });

  it('awards per track: 一等奖 1, 二等奖 1, 三等奖 2, 优秀奖 the rest from 75 points', () => {
    expect(doc.prizeTiers.map((t) => [t.name.zh, t.scope, t.quotaKind, t.quota, t.minScore, t.precedence])).toEqual([
      ['一等奖', 'track', 'count', 1, null, 1],
      ['二等奖', 'track', 'count', 1, null, 2],
      ['三等奖', 'track', 'count', 2, null, 3],
      ['优秀奖', 'track', 'rest', 0, 75, 4],
    ]);
    for (const t of doc.prizeTiers) expect(t.name.en).not.toBe('');
  });

  it('returns a fresh document on each call', () => {
    const a = demoContest();
    a.projects?.pop();
    expect(demoContest().projects).toHaveLength(24);
  });
});
