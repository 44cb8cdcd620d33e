/**
 * CSV import of projects over HTTP: a 50-row file with 3 bad rows previews exactly those rows
 * (row numbers and reasons, naming the column) and writes nothing; the fixed file imports all 50
 * with sequential reference numbers in one confirmation; GBK and UTF-8-with-BOM files decode;
 * a wrong header names the columns; a batch is confirmed once; viewers cannot import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { stringify } from 'csv-stringify/sync';
import type supertest from 'supertest';
import { buildTestApp, type TestApp } from '../support/app.js';

const slug = 'csv-import-2024';
const base = `/admin/contests/${slug}`;
const HEADER = ['项目名称', '赛道', '申报单位', '负责人', '手机', '邮箱', '团队成员', '阶段', '简介', '打星'];
const TRACKS = ['高端医疗器械', 'drugs', 'AI + Healthcare'];
const STAGES = ['概念/创意', '原型/样机', '临床前研究', '临床试验', '注册申报', '已上市'];

let t: TestApp;
let admin: { agent: supertest.Agent; csrf: string; id: number };
let viewer: { agent: supertest.Agent; csrf: string };

beforeAll(async () => {
  t = await buildTestApp();
  const c = t.services.contests;
  await c.createContest({ slug, name: { zh: '导入测试大赛' }, startsOn: '2024-11-22', status: 'registration-open' });
  await c.editPart(slug, 'tracks', {
    kind: 'add',
    input: { key: 'devices', name: { zh: '高端医疗器械', en: 'High-end Medical Devices' } },
  });
  await c.editPart(slug, 'tracks', { kind: 'add', input: { key: 'drugs', name: { zh: '创新药品', en: 'Drugs' } } });
  await c.editPart(slug, 'tracks', {
    kind: 'add',
    input: { key: 'ai', name: { zh: 'AI+医疗健康', en: 'AI + Healthcare' } },
  });
  admin = await t.signedIn('admin');
  viewer = await t.signedIn('viewer');
});
afterAll(async () => {
  await t.destroy();
});

function row(i: number): string[] {
  return [
    `智能诊疗项目${i}`,
    TRACKS[i % 3] as string,
    `北京第${i}医院`,
    `负责人${i}`,
    `139${String(i).padStart(8, '0')}`,
    `leader${i}@example.com`,
    `成员${i}|工程师;顾问${i}`,
    STAGES[i % 6] as string,
    `第 ${i} 个项目的简介，含逗号, "引号" 和换行\n第二行`,
    i % 10 === 0 ? '是' : '否',
  ];
}

const csv = (rows: string[][], header = HEADER) => stringify([header, ...rows]);

function upload(who: { agent: supertest.Agent; csrf: string }, bytes: Buffer, filename = 'projects.csv') {
  return who.agent
    .post(`${base}/import`)
    .set('x-csrf-token', who.csrf)
    .attach('file', bytes, { filename, contentType: 'text/csv' });
}

async function counts() {
  const db = t.services.db;
  const projects = await db
    .selectFrom('project')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const batches = await db
    .selectFrom('import_batch')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const ledger = await db
    .selectFrom('ledger_entry')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const contest = await db
    .selectFrom('contest')
    .select(['revision', 'registration_seq'])
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return { projects: Number(projects.n), batches: Number(batches.n), ledger: Number(ledger.n), ...contest };
}

/** The rows a preview page marks bad, with the text of their problems. */
function badRows(html: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of html.matchAll(/<tr id="row-(\d+)" class="is-bad"[^>]*>([\s\S]*?)<\/tr>/g)) {
    const problems = /<td class="problems">([\s\S]*?)<\/td>/.exec(m[2] ?? '')?.[1] ?? '';
    out.set(
      Number(m[1]),
      problems
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  }
  return out;
}

const batchIdOf = (res: supertest.Response) => {
  expect(res.status, res.text.slice(0, 3000)).toBe(303);
  const m = new RegExp(`^${base}/import/(\\d+)$`).exec(res.headers.location ?? '');
  expect(m).not.toBeNull();
  return Number(m![1]);
};

function confirm(who: { agent: supertest.Agent; csrf: string }, id: number) {
  return who.agent.post(`${base}/import/${id}/confirm`).type('form').send({ _csrf: who.csrf });
}

describe('CSV import', () => {
  const good = Array.from({ length: 50 }, (_, i) => row(i + 1));

  it('previews a 50-row file with 3 bad rows: exactly those rows, with reasons; nothing written', async () => {
    const rows = good.map((r) => [...r]);
    rows[4]![4] = '12345'; // row 6: phone
    rows[20]![1] = '不存在的赛道'; // row 22: track
    rows[40]![0] = rows[10]![0]!; // row 42: same title and institution as row 12
    rows[40]![2] = rows[10]![2]!;
    const before = await counts();
    const res = await upload(admin, Buffer.from(csv(rows), 'utf8'));
    expect(res.status).toBe(422);
    const bad = badRows(res.text);
    expect([...bad.keys()]).toEqual([6, 22, 42]);
    expect(bad.get(6)).toContain('手机');
    expect(bad.get(6)).toContain('请输入 11 位中国大陆手机号');
    expect(bad.get(22)).toContain('赛道');
    expect(bad.get(22)).toContain('未知赛道“不存在的赛道”');
    expect(bad.get(42)).toContain('项目名称');
    expect(bad.get(42)).toContain('与第 12 行重复');
    expect(res.text).toContain('共 50 行，其中 3 行有问题');
    expect(res.text).not.toContain('/confirm');
    expect(await counts()).toEqual(before);
  });

  it('imports the fixed file: all 50 rows in one confirmation, references generated in order', async () => {
    const before = await counts();
    const id = batchIdOf(await upload(admin, Buffer.from(csv(good), 'utf8')));
    // Kept for confirmation only: still no project.
    expect((await counts()).projects).toBe(before.projects);
    const preview = await admin.agent.get(`${base}/import/${id}`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('全部 50 行均可导入');
    expect(preview.text).toContain(`${base}/import/${id}/confirm`);
    expect(preview.text).toContain('RS-2024-0001');

    const res = await confirm(admin, id);
    expect(res.status, res.text.slice(0, 2000)).toBe(303);
    const after = await counts();
    expect(after.projects).toBe(before.projects + 50);
    expect(after.registration_seq).toBe(50);
    expect(after.revision).toBe(before.revision + 1);
    expect(after.ledger).toBe(before.ledger + 1);

    const loaded = await t.services.contests.load(slug);
    const refs = loaded.doc.projects.map((p) => p.ref);
    expect(refs).toEqual(Array.from({ length: 50 }, (_, i) => `RS-2024-${String(i + 1).padStart(4, '0')}`));
    const p10 = loaded.doc.projects[9]!;
    expect(p10).toMatchObject({
      title: '智能诊疗项目10',
      trackKey: 'drugs',
      institution: '北京第10医院',
      leader: { name: '负责人10', phone: '13900000010', email: 'leader10@example.com' },
      members: [
        { name: '成员10', role: '工程师' },
        { name: '顾问10', role: '' },
      ],
      stage: 'registration',
      status: 'submitted',
      outOfCompetition: true,
    });
    expect(p10.summary).toBe('第 10 个项目的简介，含逗号, "引号" 和换行\n第二行');
    expect(loaded.doc.projects.slice(0, 3).map((p) => p.trackKey)).toEqual(['drugs', 'ai', 'devices']);
    const sources = await t.services.db.selectFrom('project').select(['source', 'submitted_at']).execute();
    expect(sources.every((s) => s.source === 'import' && s.submitted_at !== null)).toBe(true);
    const entry = (await t.services.ledger.entries(loaded.id)).at(-1)!;
    expect(entry.action).toBe('projects.imported');
    expect(entry.actor).toEqual({ kind: 'organizer', id: admin.id });
    expect(entry.payload).toMatchObject({ batchId: id, count: 50 });
    expect((await t.services.ledger.verify(loaded.id)).ok).toBe(true);

    // Confirming again is refused and changes nothing.
    const again = await confirm(admin, id);
    expect(again.status).toBe(409);
    expect(again.text).toContain('此文件已经导入过');
    expect(await counts()).toEqual(after);
    const page = await admin.agent.get(`${base}/import/${id}`);
    expect(page.text).toContain('导入 50 个项目');
    expect(page.text).not.toContain('/confirm');
  });

  it('refuses the same file again: every row duplicates an existing project', async () => {
    const res = await upload(admin, Buffer.from(csv(good.slice(0, 3)), 'utf8'));
    expect(res.status).toBe(422);
    const bad = badRows(res.text);
    expect([...bad.keys()]).toEqual([2, 3, 4]);
    expect(bad.get(2)).toContain('与已有项目 RS-2024-0001 重复');
  });

  it('decodes a GBK file from Chinese Excel', async () => {
    const rows = [
      [
        '基于深度学习的肺结节筛查',
        'AI+医疗健康',
        '首都医科大学附属北京友谊医院',
        '王芳',
        '13712345678',
        '',
        '李雷|算法；韩梅梅|临床',
        '临床试验',
        '肺结节早筛',
        '否',
      ],
      ['可降解心脏支架', '高端医疗器械', '北京某某医疗科技有限公司', '赵强', '', 'zq@example.com', '', '', '', '是'],
    ];
    const bytes = iconv.encode(csv(rows).replace(/\n/g, '\r\n'), 'gbk');
    expect(bytes.includes(Buffer.from('基于', 'utf8'))).toBe(false);
    const id = batchIdOf(await upload(admin, bytes, '报名表.csv'));
    const preview = await admin.agent.get(`${base}/import/${id}`);
    expect(preview.text).toContain('GBK / GB18030');
    expect(preview.text).toContain('基于深度学习的肺结节筛查');
    expect(preview.text).toContain('报名表.csv');
    expect(preview.text).toContain('RS-2024-0051');
    expect((await confirm(admin, id)).status).toBe(303);
    const loaded = await t.services.contests.load(slug);
    const imported = loaded.doc.projects.find((p) => p.ref === 'RS-2024-0051')!;
    expect(imported).toMatchObject({
      title: '基于深度学习的肺结节筛查',
      trackKey: 'ai',
      institution: '首都医科大学附属北京友谊医院',
      stage: 'clinical-trial',
      members: [
        { name: '李雷', role: '算法' },
        { name: '韩梅梅', role: '临床' },
      ],
    });
    expect(loaded.doc.projects.find((p) => p.ref === 'RS-2024-0052')).toMatchObject({
      title: '可降解心脏支架',
      outOfCompetition: true,
      stage: 'concept',
    });
  });

  it('reads UTF-8 with a BOM (the BOM is not part of the first column name)', async () => {
    const text = csv(
      [['眼底影像AI筛查', 'ai', '北京某眼科医院', '陈明', '', '', '', 'prototype', '', 'no']],
      ['title', 'track', 'institution', 'leader', 'phone', 'email', 'members', 'stage', 'summary', 'outOfCompetition'],
    );
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const id = batchIdOf(await upload(admin, bytes));
    const preview = await admin.agent.get(`${base}/import/${id}`);
    expect(preview.text).toContain('UTF-8（带 BOM）');
    expect(preview.text).toContain('眼底影像AI筛查');
  });

  it('names the missing and unknown columns of a wrong header and writes nothing', async () => {
    const before = await counts();
    const text = stringify([
      ['名字', '赛道名称', '申报单位', '负责人', '手机号码', '备注'],
      ['项目', '创新药品', '某医院', '某人', '13800138000', ''],
    ]);
    const res = await upload(admin, Buffer.from(text, 'utf8'));
    expect(res.status).toBe(422);
    expect(res.text).toContain('表头有误');
    expect(res.text).toContain('缺少必填列：项目名称（title）、赛道（track）');
    expect(res.text).toContain('无法识别的列：名字、赛道名称、备注');
    expect(await counts()).toEqual(before);
  });

  it('says what is wrong with a workbook, a UTF-16 file and undecodable bytes', async () => {
    const before = await counts();
    const xlsx = await upload(admin, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0]), 'projects.xlsx');
    expect(xlsx.status).toBe(422);
    expect(xlsx.text).toContain('这是 Excel 工作簿，不是 CSV');
    const utf16 = await upload(admin, iconv.encode('\uFEFF项目名称,赛道', 'utf16le'));
    expect(utf16.text).toContain('UTF-16');
    const garbage = await upload(admin, Buffer.from([0x41, 0x2c, 0xff, 0xff, 0x0a]));
    expect(garbage.text).toContain('无法识别文件编码');
    expect(await counts()).toEqual(before);
  });

  it('offers a template that imports as it is', async () => {
    const res = await admin.agent.get(`${base}/import/template.csv`).responseType('blob');
    expect(res.status).toBe(200);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.toString('utf8').slice(1).split('\r\n')[0]).toBe(
      '项目名称,赛道,申报单位,负责人,手机,邮箱,团队成员,阶段,简介,打星,编号',
    );
    // The example row is a fresh project in this contest.
    const id = batchIdOf(await upload(admin, body));
    expect((await admin.agent.get(`${base}/import/${id}`)).text).toContain('全部 1 行均可导入');
  });

  it('refuses a kept batch that no longer fits the contest, importing nothing', async () => {
    const rows = [
      ['骨科手术导航', 'devices', '北京积水潭医院', '刘洋', '13611112222', '', '', '', '', ''],
      ['介入栓塞微球', 'devices', '北京天坛医院', '陈晨', '13611113333', '', '', '', '', ''],
    ];
    const id = batchIdOf(await upload(admin, Buffer.from(csv(rows), 'utf8')));
    // Meanwhile the same project arrives another way.
    await t.services.contests.editPart(slug, 'projects', {
      kind: 'add',
      input: {
        ref: 'P-LATE',
        title: '介入栓塞微球',
        trackKey: 'devices',
        institution: '北京天坛医院',
        leader: { name: '陈晨' },
      },
    });
    const before = await counts();
    const res = await confirm(admin, id);
    expect(res.status).toBe(422);
    expect(res.text).toContain('赛事数据已变化，1 行不能再导入');
    expect(badRows(res.text).get(3)).toContain('与已有项目 P-LATE 重复');
    expect(await counts()).toEqual(before);
    const batch = await t.services.db
      .selectFrom('import_batch')
      .select('confirmed_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(batch.confirmed_at).toBeNull();
    await t.services.contests.editPart(slug, 'projects', { kind: 'delete', key: 'P-LATE' });
  });

  it('lets a viewer look but not import', async () => {
    const page = await viewer.agent.get(`${base}/import`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('enctype="multipart/form-data"');
    const before = await counts();
    const res = await upload(viewer, Buffer.from(csv(good.slice(0, 1)), 'utf8'));
    expect(res.status).toBe(403);
    const [pending] = await t.services.db
      .selectFrom('import_batch')
      .select('id')
      .where('confirmed_at', 'is', null)
      .execute();
    expect((await confirm(viewer, pending!.id)).status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('refuses an upload without the CSRF header and a request without a file', async () => {
    const noToken = await admin.agent
      .post(`${base}/import`)
      .attach('file', Buffer.from(csv(good.slice(0, 1)), 'utf8'), 'x.csv');
    expect(noToken.status).toBe(403);
    const wrongField = await admin.agent
      .post(`${base}/import`)
      .field('_csrf', 'not-the-token')
      .attach('file', Buffer.from(csv(good.slice(0, 1)), 'utf8'), 'x.csv');
    expect(wrongField.status).toBe(403);
    const noFile = await admin.agent.post(`${base}/import`).set('x-csrf-token', admin.csrf).field('x', '1');
    expect(noFile.status).toBe(422);
  });

  it('accepts the token as a form field, so the upload form works without JavaScript', async () => {
    const res = await admin.agent
      .post(`${base}/import`)
      .field('_csrf', admin.csrf)
      .attach('file', Buffer.from(csv([row(901), row(902)]), 'utf8'), 'x.csv');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/\/import\/\d+$/);
  });
});
