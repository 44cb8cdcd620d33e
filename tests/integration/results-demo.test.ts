/**
 * The demo contest after every eligible judge has scored every project of the final with
 * deterministic marks: awards come out of ONE action (lock) with the per-track tier counts the
 * demo's prize tiers promise (一等奖 1, 二等奖 1, 三等奖 2, 优秀奖 the rest scoring ≥ 75), and
 * the 打星 project has none.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { demoContest } from '../../server/demo/demo-contest.js';
import { ContestDocument } from '../../server/domain/contest-document.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { submissionId } from '../support/fixtures.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => {
  t.services.stage.stop();
  await t.destroy();
});

/** Per-judge offsets from a project's base total (11 judges). */
const OFFSETS = [-3, -2, -1, 0, 1, 2, 3, -1, 1, 0, 2];
/** Base totals of the competing projects of a track, in order; 打星 gets 95. */
const BASES = [90, 87, 84, 81, 78, 72];
const OOC_BASE = 95;

/** Splits a 0–100 total over the demo rubric (maxima 20/20/25/20/15, step 1). */
function split(total: number, criteria: { key: string; max: number }[]): Record<string, number> {
  const marks = criteria.map((c) => Math.floor((total * c.max) / 100));
  let rest = total - marks.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % marks.length) {
    if (marks[i]! < criteria[i]!.max) {
      marks[i]! += 1;
      rest -= 1;
    }
  }
  return Object.fromEntries(criteria.map((c, i) => [c.key, marks[i]!]));
}

describe('demo contest awards', () => {
  it('are generated in one lock with the per-track tier counts; 打星 gets none', async () => {
    const { slug } = await t.services.contestDocuments.importContest(ContestDocument.parse(demoContest()));
    const loaded = await t.services.contests.load(slug);
    const { doc } = loaded;
    const final = doc.rounds.find((r) => r.key === 'final')!;
    const roundId = loaded.ids.rounds.get('final')!;
    const actor = { kind: 'organizer' as const, id: (await t.organizer('admin')).id };
    const computedBefore = await t.services.results.compute(slug);
    expect(computedBefore.inputs.round.key).toBe('final');
    const lineup = computedBefore.inputs.lineup.map((l) => l.project);
    expect(lineup).toHaveLength(24);

    const base = new Map<string, number>();
    for (const track of doc.tracks) {
      const competing = lineup.filter((p) => p.trackKey === track.key && !p.outOfCompetition);
      competing.forEach((p, i) => base.set(p.ref, BASES[i]!));
    }
    const ooc = lineup.filter((p) => p.outOfCompetition);
    expect(ooc).toHaveLength(1);
    base.set(ooc[0]!.ref, OOC_BASE);

    const recused = new Set(doc.conflicts.map((c) => `${c.judgeKey}/${c.projectRef}`));
    for (const p of lineup) {
      const projectId = loaded.ids.projects.get(p.ref)!;
      await t.services.stage.act(slug, actor, { kind: 'call', roundId, projectId });
      await t.services.stage.act(slug, actor, { kind: 'open-scoring' });
      for (const [ji, judge] of doc.judges.entries()) {
        if (recused.has(`${judge.key}/${p.ref}`)) continue;
        await t.services.scores.record(
          { judgeId: loaded.ids.judges.get(judge.key)!, contestId: loaded.id },
          {
            submissionId: submissionId(),
            roundId,
            projectId,
            marks: split(base.get(p.ref)! + OFFSETS[ji]!, final.criteria),
          },
        );
      }
      await new Promise((r) => setTimeout(r, 10));
      if ((await t.services.stage.view(slug)).phase === 'scoring')
        await t.services.stage.act(slug, actor, { kind: 'close-scoring' });
    }
    await new Promise((r) => setTimeout(r, 30));

    const results = await t.services.results.roundResults(slug);
    expect(results.projects.every((p) => p.judgesScored === p.judgesEligible && p.display !== null)).toBe(true);
    // Trimmed mean of the offsets (drop −3 and +3 of 11): 2/9, so base + 0.22 (+0.38 for the recusal of RS-2024-0007).
    const score = (ref: string) => results.projects.find((p) => p.ref === ref)!.display;
    const first = lineup.find((p) => base.get(p.ref) === 90)!;
    expect(score(first.ref)).toBe('90.22');
    expect(score('RS-2024-0007')).toMatch(/\.(22|38)$/);

    // One action: the lock writes every award.
    const locked = await t.services.awards.lock(slug, actor, {});
    const active = locked.awards.filter((a) => !a.revokedAt);
    for (const track of doc.tracks) {
      const inTrack = active.filter((a) => a.trackKey === track.key);
      const byTier = (key: string) => inTrack.filter((a) => a.tierKey === key).length;
      const competing = lineup.filter((p) => p.trackKey === track.key && !p.outOfCompetition);
      const excellence = competing.filter((p) => base.get(p.ref)! >= 75).length - 4;
      expect([byTier('first'), byTier('second'), byTier('third'), byTier('excellence')], track.key).toEqual([
        1,
        1,
        2,
        excellence,
      ]);
      for (const a of inTrack.filter((x) => x.tierKey === 'excellence'))
        expect(Number(a.scoreText)).toBeGreaterThanOrEqual(75);
    }
    expect(active).toHaveLength(4 * 4 + 4);
    expect(active.some((a) => a.projectRef === ooc[0]!.ref)).toBe(false);
    expect(new Set(active.map((a) => a.projectRef)).size).toBe(active.length);
    expect(new Set(active.map((a) => a.certificateNo)).size).toBe(active.length);
    for (const a of active) expect(a.certificateNo).toMatch(/^BSMD-2024-0\d\d$/);
    // The 打星 project is ranked first in its track all the same.
    const oocRow = results.projects.find((p) => p.ref === ooc[0]!.ref)!;
    expect([oocRow.trackRank, oocRow.trackCompetitionRank]).toEqual([1, null]);

    // The certificates of that lock: one merged PDF, one page per award, Chinese text extractable.
    const certificates = await t.services.certificates.contestPdf(slug);
    expect(certificates.count).toBe(active.length);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-demo-cert-'));
    const file = path.join(dir, 'certificates.pdf');
    fs.writeFileSync(file, certificates.pdf);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(new RegExp(`Pages:\\s+${active.length}\\b`));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    const winner = doc.projects.find((p) => p.ref === active.find((a) => a.tierKey === 'first')!.projectRef)!;
    expect(text).toContain(winner.title.replace(/\s+/g, ''));
    expect(text).toContain(winner.institution.replace(/\s+/g, ''));

    // The workbook opens with exceljs and holds the expected sheets.
    const book = await t.services.resultsExport.workbook(slug);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(book.data as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const names = workbook.worksheets.map((w) => w.name);
    expect(names[0]).toBe('总排名');
    for (const sheet of ['评委明细', '获奖名单', '签字页']) expect(names).toContain(sheet);
    expect(names.filter((n) => n.startsWith('赛道'))).toHaveLength(doc.tracks.length);
  });
});
