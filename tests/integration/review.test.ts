/**
 * The review queue over HTTP: approve / reject / return / reopen recorded with who, when and why
 * (review_decision + the ledger, revision bumped); a reason required for reject and return (422,
 * nothing written); bulk decisions all-or-nothing; filters, search and paging; per-track
 * statistics; Excel and CSV exports; roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import request from 'supertest';
import type supertest from 'supertest';
import { buildTestApp, type TestApp } from '../support/app.js';

const slug = 'review-2024';
const base = `/admin/contests/${slug}/review`;

let t: TestApp;
let contestId: number;
let admin: { agent: supertest.Agent; csrf: string; id: number };
let viewer: { agent: supertest.Agent; csrf: string; id: number };

const P = (n: number) => `RS-2024-${String(n).padStart(4, '0')}`;

beforeAll(async () => {
  t = await buildTestApp();
  const c = t.services.contests;
  await c.createContest({ slug, name: { zh: '审核测试大赛' } });
  await c.editPart(slug, 'tracks', { kind: 'add', input: { key: 'devices', name: { zh: '高端医疗器械' } } });
  await c.editPart(slug, 'tracks', { kind: 'add', input: { key: 'drugs', name: { zh: '创新药品' } } });
  const projects: [string, string, string, string, string?][] = [
    ['可降解心脏支架', 'devices', '北京安贞医院', '王强'],
    ['手术导航机器人', 'devices', '北京积水潭医院', '李明'],
    ['智能输液泵', 'devices', '某某医疗科技有限公司', '赵丽'],
    ['新型抗肿瘤小分子', 'drugs', '北京大学药学院', '孙悦'],
    ['mRNA 流感疫苗', 'drugs', '中国医学科学院', '周杰'],
    ['中药复方制剂', 'drugs', '北京中医药大学', '吴敏', 'withdrawn'],
  ];
  for (const [i, [title, trackKey, institution, leader, status]] of projects.entries()) {
    await c.editPart(slug, 'projects', {
      kind: 'add',
      input: {
        ref: P(i + 1),
        title,
        trackKey,
        institution,
        leader: { name: leader, phone: `1390000000${i + 1}`, email: `p${i + 1}@example.com` },
        members: [{ name: '成员甲', role: '工程师' }],
        stage: 'prototype',
        summary: i === 0 ? '=HYPERLINK("http://evil")' : '简介',
        status: status ?? 'submitted',
      },
    });
  }
  contestId = (await c.load(slug)).id;
  admin = await t.signedIn('admin');
  viewer = await t.signedIn('viewer');
});
afterAll(async () => {
  await t.destroy();
});

function decide(who: { agent: supertest.Agent; csrf: string }, ref: string, fields: Record<string, string>) {
  return who.agent
    .post(`${base}/${ref}/decide`)
    .type('form')
    .send({ _csrf: who.csrf, ...fields });
}

function bulk(who: { agent: supertest.Agent; csrf: string }, refs: string[], fields: Record<string, string>) {
  const body = new URLSearchParams({ _csrf: who.csrf, ...fields });
  for (const r of refs) body.append('refs', r);
  return who.agent.post(`${base}/bulk`).type('form').send(body.toString());
}

async function state() {
  const db = t.services.db;
  const projects = await db.selectFrom('project').select(['ref', 'status', 'review_note']).orderBy('ref').execute();
  const decisions = await db.selectFrom('review_decision').selectAll().orderBy('id').execute();
  const ledger = await t.services.ledger.entries(contestId);
  const { revision } = await db
    .selectFrom('contest')
    .select('revision')
    .where('id', '=', contestId)
    .executeTakeFirstOrThrow();
  return { projects, decisions, ledger, revision };
}
const statusOf = async (ref: string) => (await state()).projects.find((p) => p.ref === ref);

describe('single decisions', () => {
  it('approves and records who, when and why, in review_decision and the ledger', async () => {
    const before = await state();
    const res = await decide(admin, P(1), { decision: 'approve', reason: '材料齐全' });
    expect(res.status, res.text.slice(0, 2000)).toBe(303);
    expect(res.headers.location).toBe(`${base}/${P(1)}`);
    const after = await state();
    expect(await statusOf(P(1))).toEqual({ ref: P(1), status: 'approved', review_note: '材料齐全' });
    const d = after.decisions.at(-1)!;
    expect(d).toMatchObject({ decision: 'approve', reason: '材料齐全', actor_user_id: admin.id });
    expect(Date.parse(d.created_at)).not.toBeNaN();
    expect(after.revision).toBe(before.revision + 1);
    const entry = after.ledger.at(-1)!;
    expect(entry.action).toBe('project.reviewed');
    expect(entry.actor).toEqual({ kind: 'organizer', id: admin.id });
    expect(entry.payload).toMatchObject({
      ref: P(1),
      decision: 'approve',
      from: 'submitted',
      to: 'approved',
      decisionId: d.id,
    });
    expect((await t.services.ledger.verify(contestId)).ok).toBe(true);
  });

  it.each(['reject', 'return'])('requires a reason to %s (422, nothing written, form kept)', async (decision) => {
    const before = await state();
    const res = await decide(admin, P(2), { decision, reason: '   ' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('退回修改或不通过时必须填写理由');
    expect(res.text).toMatch(new RegExp(`value="${decision}" checked`));
    expect(await state()).toEqual(before);
  });

  it('refuses a missing decision and a decision the status does not allow', async () => {
    const before = await state();
    const none = await decide(admin, P(2), { reason: 'x' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('此项必填');
    const twice = await decide(admin, P(1), { decision: 'approve' });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('未做任何更改');
    const withdrawn = await decide(admin, P(6), { decision: 'approve' });
    expect(withdrawn.status).toBe(409);
    expect((await decide(admin, 'RS-2024-9999', { decision: 'approve' })).status).toBe(404);
    expect(await state()).toEqual(before);
  });

  it('rejects and returns with the reason as the team’s review note; reopens; keeps the history', async () => {
    expect((await decide(admin, P(2), { decision: 'return', reason: '请补充临床数据' })).status).toBe(303);
    expect(await statusOf(P(2))).toEqual({ ref: P(2), status: 'returned', review_note: '请补充临床数据' });
    expect((await decide(admin, P(2), { decision: 'reject', reason: '不符合赛道方向' })).status).toBe(303);
    expect(await statusOf(P(2))).toEqual({ ref: P(2), status: 'rejected', review_note: '不符合赛道方向' });
    expect((await decide(admin, P(2), { decision: 'reopen', reason: '复核' })).status).toBe(303);
    expect(await statusOf(P(2))).toEqual({ ref: P(2), status: 'submitted', review_note: '' });

    const page = await viewer.agent.get(`${base}/${P(2)}`);
    expect(page.status).toBe(200);
    const history = page.text.slice(page.text.indexOf('class="history"'));
    const order = ['重新打开', '不通过', '退回修改'].map((label) => history.indexOf(label));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(history).toContain('请补充临床数据');
    expect(history).toContain('不符合赛道方向');
    expect(history).toContain('admin');
    // Viewers see no decision form and cannot decide.
    expect(page.text).not.toContain('name="decision"');
    const before = await state();
    expect((await decide(viewer, P(2), { decision: 'approve' })).status).toBe(403);
    expect(await state()).toEqual(before);
  });
});

describe('bulk decisions', () => {
  it('changes nothing when any selected project does not allow the decision', async () => {
    const before = await state();
    const res = await bulk(admin, [P(3), P(1)], { bulkDecision: 'approve' });
    expect(res.status).toBe(409);
    expect(res.text).toContain(P(1));
    expect(res.text).toContain('未做任何更改');
    expect(await state()).toEqual(before);
  });

  it('needs a selection, a decision and (to reject) a reason', async () => {
    const before = await state();
    const none = await bulk(admin, [], { bulkDecision: 'approve' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('请至少选择一个项目');
    const noReason = await bulk(admin, [P(3), P(4)], { bulkDecision: 'reject', bulkReason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('退回修改或不通过时必须填写理由');
    expect(noReason.text).toMatch(/value="RS-2024-0003" id="sel-RS-2024-0003" checked/);
    expect(await state()).toEqual(before);
  });

  it('applies one decision to every selected project in one transaction', async () => {
    const before = await state();
    const res = await bulk(admin, [P(3), P(4)], { bulkDecision: 'approve', back: '?track=devices' });
    expect(res.status, res.text.slice(0, 2000)).toBe(303);
    expect(res.headers.location).toBe(`${base}?track=devices`);
    const after = await state();
    expect(after.projects.filter((p) => [P(3), P(4)].includes(p.ref)).map((p) => p.status)).toEqual([
      'approved',
      'approved',
    ]);
    expect(after.decisions.length).toBe(before.decisions.length + 2);
    expect(after.decisions.slice(-2).every((d) => d.actor_user_id === admin.id && d.decision === 'approve')).toBe(true);
    expect(after.ledger.slice(-2).map((e) => (e.payload as { ref: string }).ref)).toEqual([P(3), P(4)]);
    expect(after.revision).toBe(before.revision + 1);
  });

  it('approves one row from the queue with its quick button', async () => {
    const res = await admin.agent
      .post(`${base}/${P(5)}/decide`)
      .type('form')
      .send({ _csrf: admin.csrf, decision: 'approve', from: 'queue', back: '?status=submitted' });
    expect(res.headers.location).toBe(`${base}?status=submitted`);
    expect((await statusOf(P(5)))?.status).toBe('approved');
  });
});

describe('the queue page', () => {
  const refsIn = (html: string) => [
    ...new Set([...html.matchAll(/<td class="mono nowrap">(RS-\d{4}-\d{4})<\/td>/g)].map((m) => m[1])),
  ];

  it('filters by track and status and searches title, institution, leader and ref', async () => {
    expect(refsIn((await admin.agent.get(base)).text)).toEqual([P(1), P(2), P(3), P(4), P(5), P(6)]);
    expect(refsIn((await admin.agent.get(`${base}?track=drugs`)).text)).toEqual([P(4), P(5), P(6)]);
    expect(refsIn((await admin.agent.get(`${base}?status=approved`)).text)).toEqual([P(1), P(3), P(4), P(5)]);
    expect(refsIn((await admin.agent.get(`${base}?track=devices&status=approved`)).text)).toEqual([P(1), P(3)]);
    expect(refsIn((await admin.agent.get(`${base}?q=${encodeURIComponent('积水潭')}`)).text)).toEqual([P(2)]);
    expect(refsIn((await admin.agent.get(`${base}?q=${encodeURIComponent('导航')}`)).text)).toEqual([P(2)]);
    expect(refsIn((await admin.agent.get(`${base}?q=${encodeURIComponent('孙悦')}`)).text)).toEqual([P(4)]);
    expect(refsIn((await admin.agent.get(`${base}?q=0005`)).text)).toEqual([P(5)]);
    expect(refsIn((await admin.agent.get(`${base}?q=mrna`)).text)).toEqual([P(5)]);
    expect(refsIn((await admin.agent.get(`${base}?q=%25`)).text)).toEqual([]);
    // Unusable filters are ignored, not errors.
    expect((await admin.agent.get(`${base}?status=bogus&page=abc`)).status).toBe(200);
  });

  it('shows per-track statistics and totals', async () => {
    const stats = await t.services.review.stats(slug);
    expect(stats.tracks.map((tr) => [tr.trackKey, tr.counts, tr.total])).toEqual([
      ['devices', { submitted: 1, returned: 0, approved: 2, rejected: 0, withdrawn: 0 }, 3],
      ['drugs', { submitted: 0, returned: 0, approved: 2, rejected: 0, withdrawn: 1 }, 3],
    ]);
    expect(stats.totals).toEqual({ submitted: 1, returned: 0, approved: 4, rejected: 0, withdrawn: 1, total: 6 });
    const page = await viewer.agent.get(base);
    expect(page.status).toBe(200);
    const foot = /<tfoot>([\s\S]*?)<\/tfoot>/.exec(page.text)?.[1] ?? '';
    expect(
      foot
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ).toBe('合计 1 0 4 0 1 6');
    // Viewers get no bulk form controls.
    expect(page.text).not.toContain('name="refs"');
    expect(page.text).not.toContain('name="bulkDecision"');
  });

  it('pages through many projects', async () => {
    const c = t.services.contests;
    for (let i = 7; i <= 60; i++) {
      await c.editPart(slug, 'projects', {
        kind: 'add',
        input: {
          ref: P(i),
          title: `批量项目${i}`,
          trackKey: 'drugs',
          institution: `单位${i}`,
          leader: { name: `人${i}` },
        },
      });
    }
    const first = await admin.agent.get(base);
    expect(refsIn(first.text)).toHaveLength(50);
    expect(first.text).toContain('第 1/2 页，共 60 个项目');
    const second = await admin.agent.get(`${base}?page=2`);
    expect(refsIn(second.text)).toEqual(Array.from({ length: 10 }, (_, i) => P(51 + i)));
    const past = await admin.agent.get(`${base}?page=9`);
    expect(past.text).toContain('第 2/2 页');
    for (let i = 7; i <= 60; i++) await c.editPart(slug, 'projects', { kind: 'delete', key: P(i) });
  });
});

describe('exports', () => {
  const HEADERS = [
    '编号',
    '项目名称',
    '赛道',
    '申报单位',
    '负责人',
    '手机',
    '邮箱',
    '团队成员',
    '阶段',
    '简介',
    '打星',
    '状态',
    '审核意见',
    '来源',
    '提交时间',
  ];

  it('exports an Excel workbook with every field and per-track statistics', async () => {
    const res = await viewer.agent.get(`${base}/export.xlsx`).responseType('blob');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?review-2024-registrations-\d{8}\.xlsx"?$/,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as Parameters<typeof wb.xlsx.load>[0]);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['报名项目', '赛道统计']);
    const sheet = wb.getWorksheet('报名项目')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(2).width).toBeGreaterThan(20);
    expect(sheet.rowCount).toBe(7);
    const first = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(first).toEqual([
      P(1),
      '可降解心脏支架',
      '高端医疗器械',
      '北京安贞医院',
      '王强',
      '13900000001',
      'p1@example.com',
      '成员甲|工程师',
      '原型/样机',
      '=HYPERLINK("http://evil")',
      '否',
      '审核通过',
      '材料齐全',
      '主办方录入',
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/),
    ]);
    // A team's text is a string cell in the workbook, never a formula.
    expect(sheet.getRow(2).getCell(10).type).toBe(ExcelJS.ValueType.String);
    const stats = wb.getWorksheet('赛道统计')!;
    expect((stats.getRow(1).values as unknown[]).slice(1)).toEqual([
      '赛道',
      '已提交',
      '退回修改',
      '审核通过',
      '未通过',
      '已撤回',
      '合计',
    ]);
    expect((stats.getRow(2).values as unknown[]).slice(1)).toEqual(['高端医疗器械', 1, 0, 2, 0, 0, 3]);
    expect((stats.getRow(3).values as unknown[]).slice(1)).toEqual(['创新药品', 0, 0, 2, 0, 1, 3]);
    expect((stats.getRow(4).values as unknown[]).slice(1)).toEqual(['合计', 1, 0, 4, 0, 1, 6]);
  });

  it('exports CSV with a BOM and Chinese headers, following the filters', async () => {
    const res = await viewer.agent.get(`${base}/export.csv?track=drugs`).responseType('blob');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(HEADERS.join(','));
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([P(4), P(5), P(6)]);
    expect(lines[3]).toContain('已撤回');
    const all = (await admin.agent.get(`${base}/export.csv`).responseType('blob')).body as Buffer;
    // Free text that Excel would run as a formula is neutralised in CSV.
    expect(all.toString('utf8')).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });

  it('is for organizers only', async () => {
    const res = await request(t.app).get(`${base}/export.csv`).set('accept', 'application/json');
    expect(res.status).toBe(401);
    const page = await request(t.app).get(`${base}/export.xlsx`);
    expect(page.status).toBe(303);
    expect(page.headers.location).toContain('/admin/login');
  });
});
