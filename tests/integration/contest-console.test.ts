/**
 * The organizer console's contest pages over HTTP (forms with CSRF): every part of a contest
 * created and edited and stored exactly as typed; the role each request needs; invalid input
 * re-rendered as typed with translated messages and nothing written; deletes refused when in use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { buildTestApp, csrfOf, type TestApp } from '../support/app.js';
import type { Role } from '../../server/domain/roles.js';

type Fields = Record<string, string>;
type Agent = supertest.Agent;

let t: TestApp;
const agents = {} as Record<Role, { agent: Agent; csrf: string }>;

beforeAll(async () => {
  t = await buildTestApp();
  for (const role of ['owner', 'admin', 'host', 'viewer'] as const) {
    const { agent, csrf } = await t.signedIn(role);
    agents[role] = { agent, csrf };
  }
});
afterAll(async () => {
  await t.destroy();
});

function post(role: Role, url: string, fields: Fields = {}) {
  const { agent, csrf } = agents[role];
  return agent
    .post(url)
    .type('form')
    .send({ _csrf: csrf, ...fields });
}

function expectSaved(res: supertest.Response, location?: string) {
  expect(res.status, res.text.slice(0, 2000)).toBe(303);
  if (location) expect(res.headers.location).toBe(location);
}

/** A contest with one of everything, written through the service (not under test here). */
async function seedContest(slug: string) {
  const c = t.services.contests;
  await c.createContest({ slug, name: { zh: '测试大赛', en: 'Test contest' } });
  await c.editPart(slug, 'tracks', { kind: 'add', input: { key: 'devices', name: { zh: '高端医疗器械' } } });
  await c.editPart(slug, 'tracks', { kind: 'add', input: { key: 'drugs', name: { zh: '创新药品' } } });
  await c.editPart(slug, 'rounds', { kind: 'add', input: { key: 'final', name: { zh: '决赛' }, kind: 'roadshow' } });
  await c.editPart(
    slug,
    'criteria',
    { kind: 'add', input: { key: 'innovation', name: { zh: '创新性' }, max: 20 } },
    'final',
  );
  await c.editPart(slug, 'judges', { kind: 'add', input: { key: 'zhang', name: '张教授', isHeadJudge: true } });
  await c.editPart(slug, 'judges', { kind: 'add', input: { key: 'wang', name: '王总' } });
  await c.editPart(slug, 'projects', {
    kind: 'add',
    input: { ref: 'P001', title: '智能导管', trackKey: 'devices', institution: '某医院', leader: { name: '李华' } },
  });
  await c.editPart(slug, 'conflicts', {
    kind: 'add',
    input: { judgeKey: 'zhang', projectRef: 'P001', reason: '同单位' },
  });
  return (await c.load(slug)).doc;
}

describe('creating and editing every part of a contest', () => {
  const slug = 'bj-med-2024';
  const base = `/admin/contests/${slug}`;

  it('stores exactly what was posted, part by part', async () => {
    expectSaved(
      await post('admin', '/admin/contests', {
        slug,
        'name.zh': '北京城市副中心创新医学转化大赛',
        'name.en': 'Beijing Sub-center Medical Innovation Contest',
        'theme.zh': '打造医产协同示范区',
        'theme.en': 'Hospitals and industry together',
        organizer: '通州区人民政府',
        venue: '北京城市副中心',
        startsOn: '2024-11-20',
        endsOn: '2024-11-21',
        status: 'registration-open',
        'settings.awardsTieAtCutoff': 'widen',
        'settings.showJudgeMarksOnScreen': 'on',
        registrationClosesAt: '2024-11-10T18:00',
        referencePrefix: 'BJMED',
      }),
      base,
    );
    // Typed in Beijing time, stored as the instant.
    expect((await t.services.contests.load(slug)).doc).toMatchObject({
      registrationClosesAt: '2024-11-10T10:00:00.000Z',
      referencePrefix: 'BJMED',
    });
    expectSaved(
      await post('admin', base, {
        slug,
        'name.zh': '北京城市副中心创新医学转化大赛',
        'name.en': 'Beijing City Sub-center Innovation Medical Transformation Contest',
        'theme.zh': '打造医产协同示范区，发展健康新质生产力',
        'theme.en': '',
        organizer: '通州区人民政府',
        venue: '副中心会展中心',
        startsOn: '2024-11-20',
        endsOn: '2024-11-20',
        status: 'live',
        'settings.awardsTieAtCutoff': 'head-judge',
        registrationClosesAt: '2024-11-12T09:30',
        referencePrefix: 'BJ24',
      }),
      base,
    );
    const overview = await agents.admin.agent.get(base);
    expect(overview.text).toContain('value="2024-11-12T09:30"');
    // A viewer reads the same in the details.
    const details = await agents.viewer.agent.get(base);
    expect(details.text).toContain('2024-11-12 09:30（北京时间）');
    expect(details.text).toContain('BJ24-YYYY-0001');

    expectSaved(
      await post('admin', `${base}/tracks`, { key: 'devices', 'name.zh': '高端医疗器械', 'name.en': 'Devices' }),
    );
    expectSaved(
      await post('admin', `${base}/tracks/devices/edit`, {
        key: 'devices',
        'name.zh': '高端医疗器械',
        'name.en': 'High-end medical devices',
        description: '影像、手术机器人',
      }),
      `${base}/tracks`,
    );

    const round: Fields = {
      key: 'final',
      'name.zh': '决赛',
      'name.en': 'Final',
      kind: 'roadshow',
      pitchSeconds: '480',
      qaSeconds: '300',
      'scoring.method': 'trimmed-mean',
      'scoring.trim': '1',
      'scoring.minJudgesForTrim': '5',
      'scoring.decimals': '3',
      'scoring.missingScore': 'mean-of-given',
      'scoring.normalization': 'none',
      'scoring.tieBreaks.0.kind': 'untrimmed-mean',
      'scoring.tieBreaks.1.kind': 'head-judge',
      'scoring.groupWeights.clinical': '40',
      'scoring.groupWeights.investor': '35',
      'scoring.groupWeights.industry': '25',
      'combine.mode': 'weighted',
      'combine.priorWeightPercent': '30',
      'advancement.mode': 'top-n-per-track',
      'advancement.count': '3',
      'advancement.tieAtCutoff': 'widen',
    };
    expectSaved(await post('admin', `${base}/rounds`, round), `${base}/rounds/final`);

    expectSaved(
      await post('admin', `${base}/rounds/final/criteria`, {
        key: 'innovation',
        'name.zh': '创新性',
        'name.en': 'Innovation',
        min: '0',
        max: '20',
        step: '0.5',
        weight: '1.5',
        description: '技术是否领先',
        levelsText: '16-20 | 国际领先 | World-leading\n\n0-15.5 | 一般',
      }),
      `${base}/rounds/final`,
    );
    expectSaved(
      await post('admin', `${base}/rounds/final/criteria`, {
        key: 'clinical',
        'name.zh': '临床应用价值',
        min: '0',
        max: '30',
        step: '1',
        weight: '1',
        levelsText: '',
      }),
    );
    expectSaved(
      await post('admin', `${base}/rounds/final/criteria/innovation/edit`, {
        key: 'innovation',
        'name.zh': '创新性',
        'name.en': 'Innovation',
        min: '0',
        max: '20',
        step: '0.25',
        weight: '1.5',
        description: '技术是否领先',
        levelsText: '16-20 | 国际领先 | World-leading\n0-15.75 | 一般 | Ordinary',
      }),
    );
    // The tie-break chain with a gap in the rows and a named criterion.
    expectSaved(
      await post('admin', `${base}/rounds/final/edit`, {
        ...round,
        'scoring.tieBreaks.0.kind': 'criterion',
        'scoring.tieBreaks.0.criterionKey': 'clinical',
        'scoring.tieBreaks.1.kind': '',
        'scoring.tieBreaks.2.kind': 'more-high-marks',
        'scoring.tieBreaks.2.criterionKey': 'innovation',
        'scoring.tieBreaks.3.kind': 'head-judge',
      }),
      `${base}/rounds/final`,
    );

    expectSaved(
      await post('admin', `${base}/prize-tiers`, {
        key: 'first',
        'name.zh': '一等奖',
        'name.en': 'First prize',
        scope: 'track',
        quotaKind: 'count',
        quota: '2',
        precedence: '1',
        minScore: '80.5',
      }),
    );
    expectSaved(
      await post('admin', `${base}/prize-tiers/first/edit`, {
        key: 'first',
        'name.zh': '一等奖',
        'name.en': 'First prize',
        scope: 'overall',
        quotaKind: 'percent',
        quota: '10',
        precedence: '1',
        minScore: '',
        audience: 'on',
      }),
    );

    expectSaved(
      await post('admin', `${base}/judges`, {
        key: 'zhang',
        name: '张教授',
        title: '主任医师',
        institution: '首都医科大学附属北京朝阳医院',
        group: 'clinical',
        isHeadJudge: 'on',
        email: 'zhang@example.test',
        phone: '13800138000',
      }),
    );
    expectSaved(
      await post('admin', `${base}/judges/zhang/edit`, {
        key: 'zhang',
        name: '张教授',
        title: '主任医师、教授',
        institution: '首都医科大学附属北京朝阳医院',
        group: 'academic',
        isHeadJudge: 'on',
        email: '',
        phone: '+8613900139000',
      }),
    );

    const project: Fields = {
      ref: 'P001',
      title: '智能介入导管',
      trackKey: 'devices',
      institution: '北京朝阳医院',
      'leader.name': '李华',
      'leader.phone': '13700137000',
      'leader.email': 'li@example.test',
      membersText: '王强 | 工程师\r\n\r\n赵敏',
      stage: 'clinical-trial',
      summary: '一种新型导管',
      status: 'approved',
      outOfCompetition: 'on',
    };
    expectSaved(await post('admin', `${base}/projects`, project), `${base}/projects`);
    expectSaved(await post('admin', `${base}/projects/P001/edit`, { ...project, outOfCompetition: '' }));

    expectSaved(await post('admin', `${base}/conflicts`, { judgeKey: 'zhang', projectRef: 'P001', reason: '同单位' }));
    expectSaved(
      await post('admin', `${base}/conflicts/${encodeURIComponent('zhang/P001')}/edit`, {
        judgeKey: 'zhang',
        projectRef: 'P001',
        reason: '同一医院',
      }),
      `${base}/conflicts`,
    );

    const { doc } = await t.services.contests.load(slug);
    expect({ ...doc, tracks: [], rounds: [], prizeTiers: [], judges: [], projects: [], conflicts: [] }).toEqual({
      format: 'roadshow.contest/v1',
      slug,
      name: {
        zh: '北京城市副中心创新医学转化大赛',
        en: 'Beijing City Sub-center Innovation Medical Transformation Contest',
      },
      theme: { zh: '打造医产协同示范区，发展健康新质生产力', en: '' },
      organizer: '通州区人民政府',
      venue: '副中心会展中心',
      startsOn: '2024-11-20',
      endsOn: '2024-11-20',
      status: 'live',
      settings: { showJudgeMarksOnScreen: false, awardsTieAtCutoff: 'head-judge' },
      registrationClosesAt: '2024-11-12T01:30:00.000Z',
      referencePrefix: 'BJ24',
      tracks: [],
      rounds: [],
      prizeTiers: [],
      judges: [],
      projects: [],
      conflicts: [],
    });
    expect(doc.tracks).toEqual([
      { key: 'devices', name: { zh: '高端医疗器械', en: 'High-end medical devices' }, description: '影像、手术机器人' },
    ]);
    expect(doc.rounds).toEqual([
      {
        key: 'final',
        name: { zh: '决赛', en: 'Final' },
        kind: 'roadshow',
        pitchSeconds: 480,
        qaSeconds: 300,
        combine: { mode: 'weighted', priorWeightPercent: 30 },
        advancement: { mode: 'top-n-per-track', count: 3, tieAtCutoff: 'widen' },
        scoring: {
          method: 'trimmed-mean',
          trim: 1,
          minJudgesForTrim: 5,
          decimals: 3,
          tieBreaks: [
            { kind: 'criterion', criterionKey: 'clinical' },
            { kind: 'more-high-marks' },
            { kind: 'head-judge' },
          ],
          missingScore: 'mean-of-given',
          normalization: 'none',
          groupWeights: { clinical: 40, investor: 35, industry: 25 },
        },
        criteria: [
          {
            key: 'innovation',
            name: { zh: '创新性', en: 'Innovation' },
            description: '技术是否领先',
            levels: [
              { min: 16, max: 20, label: { zh: '国际领先', en: 'World-leading' } },
              { min: 0, max: 15.75, label: { zh: '一般', en: 'Ordinary' } },
            ],
            min: 0,
            max: 20,
            step: 0.25,
            weight: 1.5,
          },
          {
            key: 'clinical',
            name: { zh: '临床应用价值', en: '' },
            description: '',
            levels: [],
            min: 0,
            max: 30,
            step: 1,
            weight: 1,
          },
        ],
      },
    ]);
    expect(doc.prizeTiers).toEqual([
      {
        key: 'first',
        name: { zh: '一等奖', en: 'First prize' },
        scope: 'overall',
        quotaKind: 'percent',
        quota: 10,
        minScore: null,
        precedence: 1,
        audience: true,
      },
    ]);
    expect(doc.judges).toEqual([
      {
        key: 'zhang',
        name: '张教授',
        title: '主任医师、教授',
        institution: '首都医科大学附属北京朝阳医院',
        group: 'academic',
        isHeadJudge: true,
        email: '',
        phone: '+8613900139000',
      },
    ]);
    expect(doc.projects).toEqual([
      {
        ref: 'P001',
        title: '智能介入导管',
        trackKey: 'devices',
        institution: '北京朝阳医院',
        leader: { name: '李华', phone: '13700137000', email: 'li@example.test' },
        members: [
          { name: '王强', role: '工程师' },
          { name: '赵敏', role: '' },
        ],
        stage: 'clinical-trial',
        summary: '一种新型导管',
        status: 'approved',
        outOfCompetition: false,
      },
    ]);
    expect(doc.conflicts).toEqual([{ judgeKey: 'zhang', projectRef: 'P001', reason: '同一医院', source: 'manual' }]);
  });

  it('stores a prize tier’s minimum score and quota exactly', async () => {
    const s = 'prize-first';
    await seedContest(s);
    expectSaved(
      await post('admin', `/admin/contests/${s}/prize-tiers`, {
        key: 'second',
        'name.zh': '二等奖',
        scope: 'track',
        quotaKind: 'count',
        quota: '3',
        precedence: '2',
        minScore: '80.55',
      }),
    );
    const { doc } = await t.services.contests.load(s);
    expect(doc.prizeTiers[0]).toMatchObject({ minScore: 80.55, quota: 3, precedence: 2, audience: false });
  });

  it('shows every page of the contest with what was stored', async () => {
    const { agent } = agents.viewer;
    const list = await agent.get('/admin/contests');
    expect(list.status).toBe(200);
    expect(list.text).toContain('北京城市副中心创新医学转化大赛');
    expect(list.text).toContain('进行中');

    const overview = await agent.get(base);
    expect(overview.status).toBe(200);
    for (const tab of ['概览', '赛道', '轮次与评分规则', '奖项', '评委', '参赛项目', '回避'])
      expect(overview.text).toContain(tab);

    const roundPage = await agent.get(`${base}/rounds/final`);
    expect(roundPage.status).toBe(200);
    expect(roundPage.text).toContain('临床应用价值');
    expect(roundPage.text).toContain('指定评分项得分：临床应用价值 → 高分票数多者优先 → 评委组长裁定');
    expect(roundPage.text).toContain('临床专家 40%');
    expect(roundPage.text).toContain('上一轮 30% + 本轮 70%');
    // Max total: 20 × 1.5 + 30 × 1 = 60
    expect(roundPage.text).toMatch(/<dd>60<\/dd>/);

    const admin = agents.admin.agent;
    const criterionForm = await admin.get(`${base}/rounds/final/criteria/innovation/edit`);
    expect(criterionForm.status).toBe(200);
    expect(criterionForm.text).toContain('16-20 | 国际领先 | World-leading\n0-15.75 | 一般 | Ordinary');
    expect(criterionForm.text).toContain('value="0.25"');

    const roundForm = await admin.get(`${base}/rounds/final/edit`);
    expect(roundForm.text).toMatch(
      /name="scoring\.tieBreaks\.0\.criterionKey"[^>]*>[\s\S]*?<option value="clinical" selected>/,
    );
    expect(roundForm.text).toMatch(/id="f-scoring.groupWeights.investor"[^>]*value="35"/);

    const projectForm = await admin.get(`${base}/projects/P001/edit`);
    expect(projectForm.text).toContain('王强 | 工程师\n赵敏');

    const conflicts = await agent.get(`${base}/conflicts`);
    expect(conflicts.text).toContain('同一医院');
    expect(conflicts.text).toContain('张教授');

    const en = await agentIn('en', 'viewer');
    const enRound = await en.get(`${base}/rounds/final`);
    expect(enRound.text).toContain('Rounds &amp; scoring');
    expect(enRound.text).toContain('Named criterion');
  });

  it('redirects /admin to the contest list', async () => {
    const res = await agents.viewer.agent.get('/admin');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/contests');
  });

  it('deletes a contest with a confirmation form', async () => {
    const s = 'to-delete';
    await seedContest(s);
    const page = await agents.admin.agent.get(`/admin/contests/${s}`);
    expect(page.text).toMatch(/action="\/admin\/contests\/to-delete\/delete" data-confirm="[^"]+"/);
    expectSaved(await post('admin', `/admin/contests/${s}/delete`), '/admin/contests');
    expect((await t.services.contests.list()).map((c) => c.slug)).not.toContain(s);
  });
});

/** A new organizer agent whose language switch (a real POST /lang) set `lang=en`. */
async function agentIn(locale: 'en' | 'zh-CN', role: Role): Promise<Agent> {
  const { agent, csrf } = await t.signedIn(role);
  const res = await agent.post('/lang').type('form').send({ _csrf: csrf, locale, back: '/admin/contests' });
  expect(res.headers['set-cookie']?.toString()).toContain(`lang=${locale === 'en' ? 'en' : 'zh-CN'}`);
  return agent;
}

describe('who may do what', () => {
  const slug = 'roles-contest';
  const base = `/admin/contests/${slug}`;
  beforeAll(async () => {
    await seedContest(slug);
  });

  const pages = ['/admin/contests', base, `${base}/tracks`, `${base}/rounds`, `${base}/rounds/final`, `${base}/judges`];
  const edits: [string, Fields][] = [
    ['/admin/contests', { slug: 'sneaky', 'name.zh': '偷偷创建' }],
    [base, { slug, 'name.zh': '改名' }],
    [`${base}/delete`, {}],
    [`${base}/tracks`, { key: 'new-track', 'name.zh': '新赛道' }],
    [`${base}/tracks/drugs/edit`, { key: 'drugs', 'name.zh': '改名' }],
    [`${base}/tracks/drugs/delete`, {}],
    [`${base}/rounds/final/criteria`, { key: 'team', 'name.zh': '团队', max: '10' }],
    [`${base}/rounds/final/criteria/innovation/delete`, {}],
    [`${base}/judges/wang/delete`, {}],
    [`${base}/conflicts/${encodeURIComponent('zhang/P001')}/delete`, {}],
  ];

  it.each(['viewer', 'host', 'admin', 'owner'] as const)('%s can read every console page', async (role) => {
    for (const page of pages) {
      const res = await agents[role].agent.get(page);
      expect(res.status, page).toBe(200);
    }
  });

  it('hides the edit controls from roles that cannot edit', async () => {
    const viewer = await agents.viewer.agent.get(`${base}/tracks`);
    expect(viewer.text).not.toContain('/tracks/new');
    expect(viewer.text).not.toContain('/delete');
    const admin = await agents.admin.agent.get(`${base}/tracks`);
    expect(admin.text).toContain('/tracks/new');
    expect(admin.text).toContain('/tracks/drugs/delete');
  });

  it.each(['viewer', 'host'] as const)('%s is refused every edit with 403 and nothing is written', async (role) => {
    const before = await t.services.contests.load(slug);
    const contests = await t.services.contests.list();
    for (const [url, fields] of edits) {
      const res = await post(role, url, fields);
      expect(res.status, url).toBe(403);
    }
    expect((await t.services.contests.load(slug)).doc).toEqual(before.doc);
    expect((await t.services.contests.load(slug)).revision).toBe(before.revision);
    expect(await t.services.contests.list()).toEqual(contests);
  });

  it('refuses an admin post without a CSRF token, writing nothing', async () => {
    const before = await t.services.contests.load(slug);
    const res = await agents.admin.agent
      .post(`${base}/tracks`)
      .type('form')
      .send({ key: 'no-csrf', 'name.zh': '无令牌' });
    expect(res.status).toBe(403);
    expect((await t.services.contests.load(slug)).doc).toEqual(before.doc);
  });

  it('lets an admin edit (the same request a viewer was refused)', async () => {
    expectSaved(await post('admin', `${base}/tracks`, { key: 'new-track', 'name.zh': '新赛道' }), `${base}/tracks`);
    const { doc } = await t.services.contests.load(slug);
    expect(doc.tracks.map((x) => x.key)).toContain('new-track');
    const after = await agents.admin.agent.get(`${base}/tracks`);
    expect(after.text).toContain('已保存');
  });

  it('sends anonymous visitors to the login form and refuses anonymous posts', async () => {
    const anon = supertest.agent(t.app);
    for (const page of ['/admin', ...pages]) {
      const res = await anon.get(page);
      expect(res.status, page).toBe(303);
      expect(res.headers.location).toBe(`/admin/login?next=${encodeURIComponent(page)}`);
    }
    const before = await t.services.contests.load(slug);
    const csrf = await csrfOf(anon, '/admin/login');
    const withToken = await anon
      .post(`${base}/tracks`)
      .type('form')
      .send({ _csrf: csrf, key: 'anon', 'name.zh': '匿名' });
    expect(withToken.status).toBe(401);
    const bare = await supertest(t.app).post(`${base}/tracks`).type('form').send({ key: 'anon', 'name.zh': '匿名' });
    expect(bare.status).toBe(403);
    expect((await t.services.contests.load(slug)).doc).toEqual(before.doc);
  });

  it('refuses an admin on the users page', async () => {
    expect((await agents.admin.agent.get('/admin/users')).status).toBe(403);
    const count = (await t.services.users.list()).length;
    const res = await post('admin', '/admin/users', { email: 'x@example.test', displayName: 'X', role: 'owner' });
    expect(res.status).toBe(403);
    expect((await t.services.users.list()).length).toBe(count);
  });
});

describe('invalid input', () => {
  const slug = 'validation';
  const base = `/admin/contests/${slug}`;
  let en: Agent;
  beforeAll(async () => {
    await seedContest(slug);
    en = await agentIn('en', 'admin');
  });

  // What a browser posts: every select has a value.
  const contest: Fields = {
    slug: 'new-contest',
    'name.zh': '新赛事',
    status: 'draft',
    'settings.awardsTieAtCutoff': 'tie-break',
    registrationClosesAt: '',
    referencePrefix: 'RS',
  };
  const round: Fields = {
    key: 'final',
    'name.zh': '决赛',
    kind: 'roadshow',
    pitchSeconds: '300',
    qaSeconds: '300',
    'scoring.method': 'trimmed-mean',
    'scoring.trim': '1',
    'scoring.minJudgesForTrim': '5',
    'scoring.decimals': '2',
    'scoring.missingScore': 'exclude',
    'scoring.normalization': 'none',
    'combine.mode': 'reset',
    'advancement.mode': 'none',
    'advancement.tieAtCutoff': 'tie-break',
  };
  const criterion: Fields = { key: 'team', 'name.zh': '团队', min: '0', max: '10', step: '1', weight: '1' };
  const judge: Fields = { key: 'li', name: '李总', group: 'investor' };
  const project: Fields = {
    ref: 'P002',
    title: '新药',
    trackKey: 'drugs',
    institution: '某大学',
    'leader.name': '周',
    stage: 'concept',
    status: 'submitted',
  };

  interface Case {
    what: string;
    url: string;
    fields: Fields;
    field: string;
    typed: string;
    zh: string;
    en: string;
    status?: number;
  }
  const cases: Case[] = [
    {
      what: 'an empty contest name',
      url: '/admin/contests',
      fields: { ...contest, 'name.zh': '  ' },
      field: 'name.zh',
      typed: 'new-contest',
      zh: '此项必填',
      en: 'This field is required',
    },
    {
      what: 'a bad slug',
      url: '/admin/contests',
      fields: { ...contest, slug: 'Bad Slug' },
      field: 'slug',
      typed: 'Bad Slug',
      zh: '只能使用小写字母、数字和 -（3–60 个字符）',
      en: 'Use lowercase letters, digits and - (3–60 characters)',
    },
    {
      what: 'a duplicate slug',
      url: '/admin/contests',
      fields: { ...contest, slug, 'name.zh': '重名赛事' },
      field: 'slug',
      typed: '重名赛事',
      zh: '标识重复',
      en: 'Duplicate key',
      status: 409,
    },
    {
      what: 'an end date before the start',
      url: base,
      fields: { ...contest, slug, startsOn: '2024-11-21', endsOn: '2024-11-20' },
      field: 'endsOn',
      typed: '2024-11-20',
      zh: '结束日期不能早于开始日期',
      en: 'The end date cannot be before the start date',
    },
    {
      what: 'a bad reference prefix',
      url: base,
      fields: { ...contest, slug, referencePrefix: 'rs-1' },
      field: 'referencePrefix',
      typed: 'rs-1',
      zh: '1–8 位大写字母或数字，以字母开头（如 RS）',
      en: '1–8 upper-case letters or digits, starting with a letter (e.g. RS)',
    },
    {
      what: 'a registration deadline that is not a date and time',
      url: base,
      fields: { ...contest, slug, registrationClosesAt: '11月30日' },
      field: 'registrationClosesAt',
      typed: '11月30日',
      zh: '格式应为 YYYY-MM-DD HH:MM',
      en: 'Write date and time as YYYY-MM-DD HH:MM',
    },
    {
      what: 'an empty track name',
      url: `${base}/tracks`,
      fields: { key: 'ai', 'name.zh': '', 'name.en': 'AI + healthcare' },
      field: 'name.zh',
      typed: 'AI + healthcare',
      zh: '此项必填',
      en: 'This field is required',
    },
    {
      what: 'a duplicate track key',
      url: `${base}/tracks`,
      fields: { key: 'devices', 'name.zh': '重复的赛道' },
      field: 'key',
      typed: '重复的赛道',
      zh: '标识重复',
      en: 'Duplicate key',
    },
    {
      what: 'a bad key',
      url: `${base}/tracks`,
      fields: { key: 'AI Health', 'name.zh': 'AI' },
      field: 'key',
      typed: 'AI Health',
      zh: '只能使用小写字母、数字、- 和 _',
      en: 'Use lowercase letters, digits, - and _',
    },
    {
      what: 'a maximum not above the minimum',
      url: `${base}/rounds/final/criteria`,
      fields: { ...criterion, min: '10', max: '10' },
      field: 'max',
      typed: '团队',
      zh: '最高分必须大于最低分',
      en: 'The maximum must be above the minimum',
    },
    {
      what: 'a step that does not divide the range',
      url: `${base}/rounds/final/criteria`,
      fields: { ...criterion, max: '10', step: '3' },
      field: 'step',
      typed: '3',
      zh: '步长必须能整除分值范围',
      en: 'The step must divide the range evenly',
    },
    {
      what: 'too precise points',
      url: `${base}/rounds/final/criteria`,
      fields: { ...criterion, max: '10.005' },
      field: 'max',
      typed: '10.005',
      zh: '最多保留两位小数',
      en: 'At most two decimal places',
    },
    {
      what: 'a number that is not a number',
      url: `${base}/rounds/final/criteria`,
      fields: { ...criterion, weight: 'heavy' },
      field: 'weight',
      typed: 'heavy',
      zh: '必须是数字',
      en: 'Must be a number',
    },
    {
      what: 'a bad level line',
      url: `${base}/rounds/final/criteria`,
      fields: { ...criterion, levelsText: '8-10 | 优秀 | Excellent\n\nfive to seven | 良好' },
      field: 'levelsText',
      typed: 'five to seven | 良好',
      zh: '每行格式：最低分-最高分 | 中文描述 | 英文描述（第 3 行）',
      en: 'One per line: min-max | Chinese label | English label (line 3)',
    },
    {
      what: 'a level outside the criterion range',
      url: `${base}/rounds/final/criteria`,
      fields: { ...criterion, levelsText: '8-12 | 优秀' },
      field: 'levelsText',
      typed: '8-12 | 优秀',
      zh: '等级描述的分值超出评分范围',
      en: 'A level descriptor lies outside the criterion range',
    },
    {
      what: 'a tie-break criterion missing (row 3, after an unused row)',
      url: `${base}/rounds/final/edit`,
      fields: { ...round, 'scoring.tieBreaks.0.kind': 'untrimmed-mean', 'scoring.tieBreaks.2.kind': 'criterion' },
      field: 'scoring.tieBreaks.2.criterionKey',
      typed: '决赛',
      zh: '此项必填',
      en: 'This field is required',
    },
    {
      what: 'group weights not adding up to 100',
      url: `${base}/rounds/final/edit`,
      fields: { ...round, 'scoring.groupWeights.clinical': '40', 'scoring.groupWeights.investor': '40' },
      field: 'scoring.groupWeights',
      typed: '40',
      zh: '各组权重之和必须为 100%',
      en: 'Group weights must add up to 100%',
    },
    {
      what: 'too few judges for trimming',
      url: `${base}/rounds`,
      fields: { ...round, key: 'semi', 'scoring.trim': '2', 'scoring.minJudgesForTrim': '4' },
      field: 'scoring.minJudgesForTrim',
      typed: 'semi',
      zh: '去掉最高最低分时，最少评委数必须大于 2k',
      en: 'With trimming, the minimum number of judges must exceed 2k',
    },
    {
      what: 'a bad judge phone',
      url: `${base}/judges`,
      fields: { ...judge, phone: '12345' },
      field: 'phone',
      typed: '12345',
      zh: '请输入 11 位中国大陆手机号',
      en: 'Enter an 11-digit mainland China mobile number',
    },
    {
      what: 'a second head judge',
      url: `${base}/judges`,
      fields: { ...judge, isHeadJudge: 'on' },
      field: 'isHeadJudge',
      typed: '李总',
      zh: '只能有一位评委组长',
      en: 'Only one head judge is allowed',
    },
    {
      what: 'a bad leader email',
      url: `${base}/projects`,
      fields: { ...project, 'leader.email': 'not-an-email' },
      field: 'leader.email',
      typed: 'not-an-email',
      zh: '邮箱格式不正确',
      en: 'Not a valid email address',
    },
    {
      what: 'an unknown track',
      url: `${base}/projects`,
      fields: { ...project, trackKey: 'space' },
      field: 'trackKey',
      typed: '新药',
      zh: '引用的项目不存在',
      en: 'Refers to something that does not exist',
    },
    {
      what: 'a member line without a name',
      url: `${base}/projects`,
      fields: { ...project, membersText: '王强 | 工程师\n | 顾问' },
      field: 'membersText',
      typed: '王强 | 工程师',
      zh: '每行格式：姓名 | 角色，姓名不能为空（第 2 行）',
      en: 'One per line: name | role; the name cannot be empty (line 2)',
    },
    {
      what: 'a conflict that already exists',
      url: `${base}/conflicts`,
      fields: { judgeKey: 'zhang', projectRef: 'P001', reason: '再次添加' },
      field: 'projectRef',
      typed: '再次添加',
      zh: '标识重复',
      en: 'Duplicate key',
    },
    {
      what: 'a conflict without a judge',
      url: `${base}/conflicts`,
      fields: { judgeKey: '', projectRef: 'P001', reason: '未选评委' },
      field: 'judgeKey',
      typed: '未选评委',
      zh: '此项必填',
      en: 'This field is required',
    },
  ];

  const escape = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;').replace(/=/g, '&#x3D;');

  function expectForm(res: supertest.Response, c: Case, message: string) {
    expect(res.status, res.text.slice(0, 3000)).toBe(c.status ?? 422);
    expect(res.text).toContain(`id="e-${c.field}">${escape(message)}`);
    expect(res.text).toContain(escape(c.typed));
    expect(res.text).toContain('class="form-errors"');
    if (c.field !== 'scoring.groupWeights')
      expect(res.text).toMatch(new RegExp(`id="f-${c.field.replace(/\./g, '\\.')}"[^>]*aria-invalid="true"`));
  }

  it.each(cases)('refuses $what with nothing written (zh)', async (c) => {
    const before = await t.services.contests.load(slug);
    const contests = await t.services.contests.list();
    const res = await post('admin', c.url, c.fields);
    expectForm(res, c, c.zh);
    expect(res.text).toContain('<html lang="zh-CN">');
    expect((await t.services.contests.load(slug)).doc).toEqual(before.doc);
    expect(await t.services.contests.list()).toEqual(contests);
  });

  it.each(cases)('names $what in English when lang=en', async (c) => {
    const before = await t.services.contests.load(slug);
    const csrf = await csrfOf(en, '/admin/contests');
    const res = await en
      .post(c.url)
      .type('form')
      .send({ _csrf: csrf, ...c.fields });
    expectForm(res, c, c.en);
    expect((await t.services.contests.load(slug)).doc).toEqual(before.doc);
  });

  it('accepts the same forms once corrected (so the cases above fail for the stated reason)', async () => {
    const fixes: [string, Fields][] = [
      [`${base}/rounds/final/criteria`, { ...criterion, levelsText: '8-10 | 优秀 | Excellent\n\n5-7 | 良好' }],
      [`${base}/judges`, { ...judge, phone: '13912345678' }],
      [`${base}/projects`, { ...project, 'leader.email': 'zhou@example.test', membersText: '王强 | 工程师' }],
      [`${base}/conflicts`, { judgeKey: 'wang', projectRef: 'P001', reason: '投资过' }],
      [
        `${base}/rounds/final/edit`,
        { ...round, 'scoring.groupWeights.clinical': '40', 'scoring.groupWeights.investor': '60' },
      ],
    ];
    for (const [url, fields] of fixes) expectSaved(await post('admin', url, fields));
    const { doc } = await t.services.contests.load(slug);
    expect(doc.rounds[0]?.criteria.map((c) => c.key)).toEqual(['innovation', 'team']);
    expect(doc.rounds[0]?.criteria[1]?.levels).toEqual([
      { min: 8, max: 10, label: { zh: '优秀', en: 'Excellent' } },
      { min: 5, max: 7, label: { zh: '良好', en: '' } },
    ]);
    expect(doc.rounds[0]?.scoring.groupWeights).toEqual({ clinical: 40, investor: 60 });
    expect(doc.judges.map((j) => j.key)).toEqual(['zhang', 'wang', 'li']);
    expect(doc.projects.map((p) => p.ref)).toEqual(['P001', 'P002']);
    expect(doc.conflicts).toHaveLength(2);
  });
});

describe('deleting', () => {
  const slug = 'deleting';
  const base = `/admin/contests/${slug}`;
  beforeAll(async () => {
    await seedContest(slug);
  });

  it.each([
    ['a track with projects', `${base}/tracks/devices/delete`, `${base}/tracks`, '“高端医疗器械”仍被使用，无法删除'],
    ['a judge with a conflict', `${base}/judges/zhang/delete`, `${base}/judges`, '“张教授”仍被使用，无法删除'],
    ['a project with a conflict', `${base}/projects/P001/delete`, `${base}/projects`, '“智能导管”仍被使用，无法删除'],
  ])('refuses to delete %s (409, list with the message, nothing deleted)', async (_what, url, listUrl, message) => {
    const before = await t.services.contests.load(slug);
    const res = await post('admin', url);
    expect(res.status).toBe(409);
    expect(res.text).toContain(message);
    expect(res.text).toContain(`<input type="hidden" name="back" value="${listUrl}">`);
    expect(res.text).toContain('class="data"');
    expect((await t.services.contests.load(slug)).doc).toEqual(before.doc);
  });

  it('deletes what is not in use, in the right order', async () => {
    expectSaved(await post('admin', `${base}/tracks/drugs/delete`), `${base}/tracks`);
    expectSaved(
      await post('admin', `${base}/conflicts/${encodeURIComponent('zhang/P001')}/delete`),
      `${base}/conflicts`,
    );
    expectSaved(await post('admin', `${base}/projects/P001/delete`), `${base}/projects`);
    expectSaved(await post('admin', `${base}/tracks/devices/delete`), `${base}/tracks`);
    expectSaved(await post('admin', `${base}/rounds/final/criteria/innovation/delete`), `${base}/rounds/final`);
    const { doc } = await t.services.contests.load(slug);
    expect(doc.tracks).toEqual([]);
    expect(doc.projects).toEqual([]);
    expect(doc.conflicts).toEqual([]);
    expect(doc.rounds[0]?.criteria).toEqual([]);
    const page = await agents.admin.agent.get(`${base}/tracks`);
    expect(page.text).toContain('已删除');
    expect(page.text).toContain('还没有赛道。');
  });

  it('answers 404 for an item that does not exist', async () => {
    expect((await agents.admin.agent.get(`${base}/judges/nobody/edit`)).status).toBe(404);
    expect((await agents.admin.agent.get('/admin/contests/no-such-contest')).status).toBe(404);
    expect((await post('admin', `${base}/judges/nobody/delete`)).status).toBe(404);
  });
});
