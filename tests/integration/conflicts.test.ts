/**
 * Conflicts of interest over HTTP (forms with CSRF): automatic detection finds judges from the
 * same institution as a project after normalization (spaces, brackets, legal suffixes) and no
 * others; the matrix page writes nothing; manual conflicts and waivers need a reason and record
 * the actor; waived automatic conflicts are never re-added; a viewer is refused with nothing
 * written; a waived conflict no longer recuses a judge from scoring.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { seedLiveContest, submissionId } from '../support/fixtures.js';

let t: TestApp;
let admin: { agent: supertest.Agent; csrf: string; id: number };
let viewer: { agent: supertest.Agent; csrf: string; id: number };
const slug = 'coi-2024';
const base = `/admin/contests/${slug}/conflicts`;

const JUDGES = [
  { key: 'wang', name: '王主任', institution: '首都医科大学附属北京友谊医院' },
  { key: 'li', name: '李总', institution: '北京 XX 医疗科技股份有限公司' },
  { key: 'zhao', name: '赵教授', institution: '北京大学' },
  { key: 'chen', name: '陈合伙人', institution: 'Roche Diagnostics (Shanghai) Co., Ltd.' },
  { key: 'sun', name: '孙研究员', institution: '清华大学' },
];
const PROJECTS = [
  { ref: 'P001', title: '智能导管', institution: '首都医科大学附属北京友谊医院（通州院区）' },
  { ref: 'P002', title: '便携超声', institution: '北京ＸＸ医疗科技有限公司' },
  { ref: 'P003', title: '口腔影像', institution: '北京大学第一医院' },
  { ref: 'P004', title: '中药新剂型', institution: '首都医科大学' },
  { ref: 'P005', title: '体外诊断试剂', institution: 'roche diagnostics' },
  { ref: 'P006', title: '手术机器人', institution: '  清华 大学 ' },
  { ref: 'P007', title: 'AI 病理', institution: '上海交通大学医学院' },
];
/** What the rules must find: same institution after normalization, nothing else. */
const EXPECTED = ['wang/P001', 'li/P002', 'chen/P005', 'sun/P006'];

async function seed() {
  const c = t.services.contests;
  await c.createContest({ slug, name: { zh: '回避测试赛' }, status: 'live' });
  await c.editPart(slug, 'tracks', { kind: 'add', input: { key: 'devices', name: { zh: '高端医疗器械' } } });
  await c.editPart(slug, 'tracks', { kind: 'add', input: { key: 'ai', name: { zh: 'AI+医疗健康' } } });
  for (const j of JUDGES) await c.editPart(slug, 'judges', { kind: 'add', input: { ...j, group: 'clinical' } });
  for (const [i, p] of PROJECTS.entries())
    await c.editPart(slug, 'projects', {
      kind: 'add',
      input: {
        ...p,
        trackKey: i % 2 ? 'ai' : 'devices',
        leader: { name: `负责人${i}`, phone: `1380013800${i}`, email: `lead${i}@example.test` },
        status: 'approved',
      },
    });
}

const sql = <T>(query: string, ...params: unknown[]) => t.opened.sqlite.prepare(query).all(...params) as T[];
type Row = {
  pair: string;
  source: string;
  reason: string;
  created_by: number | null;
  waived_at: string | null;
  waived_reason: string;
};
const rows = () =>
  sql<Row>(
    `SELECT j.key || '/' || p.ref AS pair, c.source, c.reason, c.created_by, c.waived_at, c.waived_reason
       FROM judge_conflict c JOIN judge j ON j.id = c.judge_id JOIN project p ON p.id = c.project_id ORDER BY pair`,
  );
const ledger = (action: string) =>
  sql<{ actor_kind: string; actor_id: number; payload: string }>(
    'SELECT actor_kind, actor_id, payload FROM ledger_entry WHERE action = ? ORDER BY seq',
    action,
  );
const snapshot = async () => ({
  rows: rows(),
  ledger: sql('SELECT seq, action FROM ledger_entry'),
  revision: (await t.services.contests.load(slug)).revision,
});

const post = (who: { agent: supertest.Agent; csrf: string }, url: string, fields: Record<string, string> = {}) =>
  who.agent
    .post(url)
    .type('form')
    .send({ _csrf: who.csrf, ...fields });

beforeEach(async () => {
  t = await buildTestApp();
  admin = await t.signedIn('admin');
  viewer = await t.signedIn('viewer');
  await seed();
});
afterEach(async () => {
  await t.destroy();
});

describe('automatic detection', () => {
  it('shows suggestions on the matrix page without writing anything', async () => {
    const before = await snapshot();
    const res = await viewer.agent.get(base);
    expect(res.status).toBe(200);
    expect(res.text).toContain('回避矩阵');
    expect(res.text).toContain('规则识别出 4 条尚未记录的回避');
    expect(res.text.match(/class="m-cell suggested"/g)).toHaveLength(4);
    expect(res.text).toContain('王主任 × P001: 识别到、尚未记录 · 同单位');
    expect(await snapshot()).toEqual(before);
  });

  it('records exactly the same-institution pairs (normalized) and no others, once', async () => {
    const before = await t.services.contests.load(slug);
    const res = await post(admin, `${base}/detect`);
    expect(res.status, res.text.slice(0, 500)).toBe(303);
    expect(res.headers.location).toBe(`${base}?detected=4`);
    expect(rows().map((r) => r.pair)).toEqual([...EXPECTED].sort());
    expect(rows().every((r) => r.source === 'auto' && r.reason === 'same-institution' && r.waived_at === null)).toBe(
      true,
    );
    expect((await t.services.contests.load(slug)).revision).toBe(before.revision + 1);
    const [entry] = ledger('conflict.detected');
    expect(entry?.actor_id).toBe(admin.id);
    expect(
      JSON.parse(entry!.payload).added.map(
        (a: { judgeKey: string; projectRef: string }) => `${a.judgeKey}/${a.projectRef}`,
      ),
    ).toEqual(EXPECTED);

    const page = await admin.agent.get(`${base}?detected=4`);
    expect(page.text).toContain('已记录 4 条自动识别的回避');
    expect(page.text.match(/class="m-cell auto"/g)).toHaveLength(4);
    expect(page.text).not.toContain('class="m-cell suggested"');

    const again = await post(admin, `${base}/detect`);
    expect(again.headers.location).toBe(`${base}?detected=0`);
    expect(rows()).toHaveLength(4);
    expect(ledger('conflict.detected')).toHaveLength(1);
  });

  it('also finds a judge who is the project leader by phone or e-mail', async () => {
    await t.services.contests.editPart(slug, 'judges', {
      kind: 'add',
      input: { key: 'zhou', name: '周顾问', institution: '某投资机构', phone: '13800138003', group: 'investor' },
    });
    await post(admin, `${base}/detect`);
    expect(rows().find((r) => r.pair === 'zhou/P004')).toMatchObject({ source: 'auto', reason: 'same-phone' });
    const page = await admin.agent.get(base);
    expect(page.text).toContain('与项目负责人手机号相同');
  });
});

describe('manual conflicts and waivers', () => {
  it('adds a manual conflict with a reason, recording who added it', async () => {
    const res = await post(admin, `${base}/manual`, { judgeKey: 'zhao', projectRef: 'P007', reason: '曾指导该团队' });
    expect(res.status, res.text.slice(0, 500)).toBe(303);
    expect(res.headers.location).toBe(`${base}?judge=zhao&project=P007#pair`);
    expect(rows()).toEqual([
      {
        pair: 'zhao/P007',
        source: 'manual',
        reason: '曾指导该团队',
        created_by: admin.id,
        waived_at: null,
        waived_reason: '',
      },
    ]);
    const [entry] = ledger('conflict.added');
    expect(entry).toMatchObject({ actor_kind: 'organizer', actor_id: admin.id });
    expect(JSON.parse(entry!.payload)).toMatchObject({ judgeKey: 'zhao', projectRef: 'P007', reason: '曾指导该团队' });

    const page = await admin.agent.get(`${base}?judge=zhao&project=P007`);
    expect(page.text).toContain('class="m-cell manual"');
    expect(page.text).toContain('赵教授 × P007: 手动回避 · 曾指导该团队');
    expect(page.text).toContain('解除原因');

    const twice = await post(admin, `${base}/manual`, { judgeKey: 'zhao', projectRef: 'P007', reason: '再次' });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('该评委与项目已有回避记录');
    expect(rows()).toHaveLength(1);
  });

  it('refuses a conflict or waiver without a reason (422, form kept, nothing written)', async () => {
    await post(admin, `${base}/detect`);
    const before = await snapshot();
    const add = await post(admin, `${base}/manual`, { judgeKey: 'zhao', projectRef: 'P007', reason: '  ' });
    expect(add.status).toBe(422);
    expect(add.text).toContain('id="e-reason">此项必填');
    const waive = await post(admin, `${base}/waive`, { judgeKey: 'wang', projectRef: 'P001', reason: '' });
    expect(waive.status).toBe(422);
    expect(waive.text).toContain('id="e-reason">此项必填');
    const unknown = await post(admin, `${base}/manual`, { judgeKey: 'nobody', projectRef: 'P001', reason: '测试' });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('测试');
    const notActive = await post(admin, `${base}/waive`, { judgeKey: 'zhao', projectRef: 'P001', reason: '无' });
    expect(notActive.status).toBe(409);
    expect(await snapshot()).toEqual(before);
  });

  it('waives an automatic conflict with a reason, keeps the row, and never re-adds it on detect', async () => {
    await post(admin, `${base}/detect`);
    const res = await post(admin, `${base}/waive`, {
      judgeKey: 'wang',
      projectRef: 'P001',
      reason: '评委已调离该院区',
    });
    expect(res.status, res.text.slice(0, 500)).toBe(303);
    const row = rows().find((r) => r.pair === 'wang/P001')!;
    expect(row).toMatchObject({ source: 'auto', reason: 'same-institution', waived_reason: '评委已调离该院区' });
    expect(row.waived_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const [entry] = ledger('conflict.waived');
    expect(entry).toMatchObject({ actor_kind: 'organizer', actor_id: admin.id });
    expect(JSON.parse(entry!.payload)).toMatchObject({
      judgeKey: 'wang',
      projectRef: 'P001',
      reason: '评委已调离该院区',
    });

    const again = await post(admin, `${base}/detect`);
    expect(again.headers.location).toBe(`${base}?detected=0`);
    expect(rows()).toHaveLength(4);
    expect(rows().find((r) => r.pair === 'wang/P001')?.waived_at).toBe(row.waived_at);

    const page = await viewer.agent.get(base);
    expect(page.text).toContain('class="m-cell waived"');
    expect(page.text).toContain('评委已调离该院区');
    expect(page.text).not.toContain('class="m-cell suggested"');
  });

  it('waives a manual conflict too, and a later manual add reinstates the same row', async () => {
    await post(admin, `${base}/manual`, { judgeKey: 'sun', projectRef: 'P003', reason: '持股' });
    await post(admin, `${base}/waive`, { judgeKey: 'sun', projectRef: 'P003', reason: '已转让股份' });
    expect(rows()).toMatchObject([{ pair: 'sun/P003', source: 'manual', waived_reason: '已转让股份' }]);
    await post(admin, `${base}/manual`, { judgeKey: 'sun', projectRef: 'P003', reason: '重新持股' });
    expect(rows()).toMatchObject([{ pair: 'sun/P003', reason: '重新持股', waived_at: null }]);
    expect(ledger('conflict.reinstated')).toHaveLength(1);
  });

  it('refuses a viewer (403) with nothing written', async () => {
    await post(admin, `${base}/detect`);
    const before = await snapshot();
    for (const [url, fields] of [
      [`${base}/detect`, {}],
      [`${base}/manual`, { judgeKey: 'zhao', projectRef: 'P007', reason: '试图添加' }],
      [`${base}/waive`, { judgeKey: 'wang', projectRef: 'P001', reason: '试图解除' }],
    ] as const) {
      const res = await post(viewer, url, fields);
      expect(res.status, url).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
    const page = await viewer.agent.get(base);
    expect(page.text).not.toContain(`action="${base}/detect"`);
  });

  it('renders in English with lang=en', async () => {
    await post(admin, `${base}/detect`);
    const res = await viewer.agent.get(base).set('Cookie', 'lang=en');
    expect(res.text).toContain('Conflict matrix');
    expect(res.text).toContain('Same institution');
  });
});

describe('scoring honours waivers', () => {
  it('a recused judge is refused until the conflict is waived, then may score', async () => {
    const live = await buildTestApp();
    try {
      const f = await seedLiveContest(live.services, { judges: 5, projects: 2 });
      const organizer = { kind: 'organizer' as const, id: 1 };
      await live.services.stage.act(f.slug, organizer, {
        kind: 'call',
        roundId: f.roundId,
        projectId: f.projectIds[0],
      });
      await live.services.stage.act(f.slug, organizer, { kind: 'open-scoring' });
      const sheet = () => ({
        submissionId: submissionId(),
        roundId: f.roundId,
        projectId: f.projectIds[0],
        marks: { innovation: 15, team: 10 },
      });
      const judge2 = { judgeId: f.judgeIds[1]!, contestId: f.contestId };
      await expect(live.services.scores.record(judge2, sheet())).rejects.toMatchObject({ code: 'recused' });
      await live.services.conflicts.waive(f.slug, organizer, {
        judgeKey: 'j2',
        projectRef: 'RS-2024-0001',
        reason: '评委已离开该单位',
      });
      const receipt = await live.services.scores.record(judge2, sheet());
      expect(receipt.version).toBe(1);
    } finally {
      live.services.stage.stop();
      await live.destroy();
    }
  });
});
