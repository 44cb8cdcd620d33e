/**
 * The audience phone page /live/:slug: renders for a live contest (stage, timer, leaderboard per
 * track under the release policy, running order, vote), 404 for unknown slugs and drafts, English
 * on request, strict-CSP friendly markup, and nothing private in the HTML (contacts, judges,
 * conflicts, vote counts before release, device ids).
 */
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { seedLiveContest, submissionId, type LiveFixture } from '../support/fixtures.js';

let t: TestApp;
let f: LiveFixture;
let actor: { kind: 'organizer'; id: number };

beforeEach(async () => {
  t = await buildTestApp();
  f = await seedLiveContest(t.services, { judges: 5, projects: 3 });
  actor = { kind: 'organizer', id: (await t.organizer('admin')).id };
  await t.services.contests.editPart(f.slug, 'projects', {
    kind: 'update',
    key: 'RS-2024-0002',
    input: {
      ref: 'RS-2024-0002',
      title: '项目2',
      trackKey: 'ai',
      institution: '医院2',
      leader: { name: '张明远', phone: '13800138000', email: 'zhang.secret@example.test' },
      members: [{ name: '李晓华' }],
      summary: '内部摘要不公开',
      status: 'approved',
    },
  });
});
afterEach(async () => {
  await t.destroy();
});

const page = (slug = 'live-test', headers: Record<string, string> = {}) =>
  supertest(t.app).get(`/live/${slug}`).set(headers);

/** Calls a project, opens scoring, records every judge's marks and closes scoring. */
async function score(projectIndex: number, marks: [number, number][]) {
  const projectId = f.projectIds[projectIndex]!;
  await t.services.stage.act(f.slug, actor, { kind: 'call', roundId: f.roundId, projectId });
  await t.services.stage.act(f.slug, actor, { kind: 'open-scoring' });
  for (const [i, [innovation, team]] of marks.entries()) {
    if (i === 1 && projectIndex === 0) continue; // judge 2 is recused from project 1
    await t.services.scores.record(
      { judgeId: f.judgeIds[i]!, contestId: f.contestId },
      { submissionId: submissionId(), roundId: f.roundId, projectId, marks: { innovation, team } },
    );
  }
  if ((await t.services.stage.view(f.slug)).phase === 'scoring')
    await t.services.stage.act(f.slug, actor, { kind: 'close-scoring' });
}

describe('the audience page', () => {
  it('renders for a live contest: stage, leaderboard, running order; vote hidden until opened', async () => {
    const res = await page();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('现场测试赛');
    expect(res.text).toContain('路演尚未开始');
    expect(res.text).toContain('排行榜');
    expect(res.text).toContain('出场顺序');
    expect(res.text).toContain('/contests/live-test/schedule');
    expect(res.text).toMatch(/<section id="vote"[^>]* hidden>/);
    expect(res.text).toContain('<script type="module" src="/static/build/live.js"></script>');
    expect(res.text).toContain('/static/css/live-page.css');
    // Strict CSP: no inline styles, no inline scripts, no event-handler attributes.
    expect(res.text).not.toMatch(/\sstyle=/);
    expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(res.text).not.toMatch(/\son[a-z]+=/);
  });

  it('shows the project on stage with its timer and the judges’ progress, and the board with scores', async () => {
    await t.services.schedule.saveSettings(f.slug, 'final', actor, {
      scheduleStart: '2024-11-23T09:00',
      changeoverSeconds: 60,
    });
    await t.services.schedule.draw(f.slug, 'final', actor, { seed: '2024-11-23 现场抽签' });
    await score(0, [
      [18, 12],
      [0, 0],
      [16, 10],
      [17, 11],
      [15, 9],
    ]);
    await t.services.stage.act(f.slug, actor, { kind: 'call', roundId: f.roundId, projectId: f.projectIds[1] });
    await t.services.stage.act(f.slug, actor, { kind: 'start-pitch' });
    await t.services.stage.act(f.slug, actor, { kind: 'open-scoring' });
    const res = await page();
    expect(res.text).toContain('项目2');
    expect(res.text).toContain('医院2');
    expect(res.text).toContain('评委评分中');
    expect(res.text).toMatch(/role="timer"[^>]*>0[45]:\d\d</);
    expect(res.text).toContain('评委已评分 0/5');
    // The board: project 1 scored (trimmed mean of 4 judges, two decimals), project 2 not yet.
    expect(res.text).toMatch(/class="lp-score">\d+\.\d\d/);
    // The running order (drawn, with times) marks the project on stage.
    expect(res.text).toMatch(/<li class="lp-order-row is-current" data-ref="RS-2024-0002">/);
    expect(res.text).toMatch(/09:\d\d · AI\+医疗健康/);
  });

  it('never shows what the release policy hides', async () => {
    await score(0, [
      [18, 12],
      [0, 0],
      [16, 10],
      [17, 11],
      [15, 9],
    ]);
    await t.services.leaderboard.setPolicy(f.slug, actor, { roundKey: 'final', policy: 'hidden' });
    const res = await page();
    expect(res.text).toContain('排行榜暂不公开');
    expect(res.text).not.toMatch(/class="lp-score"/);
    const board = JSON.parse(
      /data-board="([^"]*)"/
        .exec(res.text)![1]!
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    ) as { scoresShown: boolean; overall: { rows: { display: string | null }[] } };
    expect(board.scoresShown).toBe(false);
    expect(board.overall.rows.every((r) => r.display === null)).toBe(true);
  });

  it('has no private data in the HTML', async () => {
    await score(0, [
      [18, 12],
      [0, 0],
      [16, 10],
      [17, 11],
      [15, 9],
    ]);
    const host = await t.signedIn('host');
    await host.agent.post('/admin/contests/live-test/votes/final/open').type('form').send({ _csrf: host.csrf });
    const res = await page();
    expect(res.text).toContain('人气奖投票');
    for (const secret of [
      '13800138000',
      'zhang.secret@example.test',
      '张明远',
      '李晓华',
      '内部摘要不公开',
      '评委1',
      '单位1',
      '同单位',
      t.config.sessionSecret,
      'device_hash',
      'ip_hash',
      'counted',
    ])
      expect(res.text, secret).not.toContain(secret);
    // The device id lives only in the httpOnly cookie, never in the page.
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('roadshow.device='))!;
    const deviceId = decodeURIComponent(cookie.split(';')[0]!.split('=')[1]!).split('.')[0]!;
    expect(res.text).not.toContain(deviceId);
  });

  it('switches to English', async () => {
    const res = await page('live-test', { Cookie: 'lang=en' });
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('Now presenting');
    expect(res.text).toContain('Leaderboard');
  });

  it('answers 404 for an unknown slug and for a draft', async () => {
    const unknown = await page('no-such-contest');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('赛事不存在');
    await t.services.contests.createContest({ slug: 'secret-draft', name: { zh: '草稿赛事' } });
    const draft = await page('secret-draft');
    expect(draft.status).toBe(404);
    expect(draft.text).not.toContain('草稿赛事');
    const vote = await supertest(t.app).get('/api/v1/contests/secret-draft/votes');
    expect(vote.status).toBe(404);
  });
});
