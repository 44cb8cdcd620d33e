/**
 * The roadshow schedule over HTTP: the same seed gives the same running order on two fresh apps;
 * every recorded draw verifies with verifyDraw (and with the published Python program); draws are
 * per track or over the whole round; a redraw and a reorder each need a reason and are recorded;
 * slots follow pitch, Q&A and changeover; the stage console's roundLineup follows the running
 * order; the public page shows the seed and the order without contacts; the run-of-show renders.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { roundLineup } from '../../server/data/stage.repo.js';
import { DRAW_REFERENCE_PYTHON, verifyDraw } from '../../server/domain/registration/index.js';
import { nodeSha256 } from '../../server/services/schedule.service.js';

const slug = 'final-2024';
const base = `/admin/contests/${slug}/schedule/final`;
const SEED = '2024-06-01 决赛 抽签 现场公证员：张三';

type Who = { agent: supertest.Agent; csrf: string; id: number };

/** Two tracks (devices first), 4 + 3 approved projects, one submitted and one rejected. */
async function seed(t: TestApp, status = 'live') {
  const c = t.services.contests;
  await c.createContest({ slug, name: { zh: '2024 创新医学转化大赛' }, status, venue: '北京城市副中心' });
  await c.editPart(slug, 'tracks', { kind: 'add', input: { key: 'devices', name: { zh: '高端医疗器械' } } });
  await c.editPart(slug, 'tracks', {
    kind: 'add',
    input: { key: 'ai', name: { zh: 'AI+医疗健康', en: 'AI + health' } },
  });
  await c.editPart(slug, 'rounds', {
    kind: 'add',
    input: { key: 'prelim', name: { zh: '初赛' }, kind: 'review' },
  });
  await c.editPart(slug, 'rounds', {
    kind: 'add',
    input: { key: 'final', name: { zh: '决赛', en: 'Final' }, kind: 'roadshow', pitchSeconds: 300, qaSeconds: 300 },
  });
  const projects: [string, string, string][] = [
    ['P01', 'devices', 'approved'],
    ['P02', 'ai', 'approved'],
    ['P03', 'devices', 'approved'],
    ['P04', 'ai', 'approved'],
    ['P05', 'devices', 'approved'],
    ['P06', 'ai', 'approved'],
    ['P07', 'devices', 'approved'],
    ['P08', 'ai', 'submitted'],
    ['P09', 'devices', 'rejected'],
  ];
  for (const [i, [ref, trackKey, status]] of projects.entries())
    await c.editPart(slug, 'projects', {
      kind: 'add',
      input: {
        ref,
        title: `项目${ref}`,
        trackKey,
        institution: `医院${i + 1}`,
        leader: { name: `负责人${i}`, phone: `1391234567${i}`, email: `leader${i}@example.test` },
        status,
      },
    });
}

async function setup(status?: string) {
  const t = await buildTestApp();
  const admin = await t.signedIn('admin');
  const viewer = await t.signedIn('viewer');
  await seed(t, status);
  return { t, admin, viewer };
}

const post = (who: { agent: supertest.Agent; csrf: string }, url: string, fields: Record<string, string> = {}) =>
  who.agent
    .post(url)
    .type('form')
    .send({ _csrf: who.csrf, ...fields });

const sql = <T>(t: TestApp, query: string, ...params: unknown[]) =>
  t.opened.sqlite.prepare(query).all(...params) as T[];
const order = (t: TestApp) =>
  sql<{ ref: string; group_key: string; position: number }>(
    t,
    `SELECT p.ref, o.group_key, o.position FROM running_order o JOIN project p ON p.id = o.project_id
      ORDER BY o.group_key, o.position`,
  );
const draws = (t: TestApp) =>
  sql<{
    id: number;
    group_key: string;
    seed: string;
    algorithm: string;
    input_refs: string;
    result_refs: string;
    actor_user_id: number;
  }>(t, 'SELECT * FROM schedule_draw ORDER BY id');
const ledger = (t: TestApp, action: string) =>
  sql<{ actor_id: number; payload: string }>(
    t,
    'SELECT actor_id, payload FROM ledger_entry WHERE action = ? ORDER BY seq',
    action,
  );
const effective = (seed: string, group: string) => (group === '*' ? seed : `${seed}:${group}`);

let t: TestApp;
let admin: Who;
let viewer: Who;
beforeEach(async () => {
  ({ t, admin, viewer } = await setup());
});
afterEach(async () => {
  await t.destroy();
});

describe('the draw', () => {
  it('gives the same order for the same seed on two fresh apps, and another order for another seed', async () => {
    const res = await post(admin, `${base}/draw`, { seed: SEED });
    expect(res.status, res.text.slice(0, 1000)).toBe(303);
    const other = await setup();
    const third = await setup();
    try {
      expect((await post(other.admin, `${base}/draw`, { seed: `  ${SEED} ` })).status).toBe(303);
      expect(order(other.t)).toEqual(order(t));
      expect((await post(third.admin, `${base}/draw`, { seed: `${SEED}。` })).status).toBe(303);
      expect(order(third.t)).not.toEqual(order(t));
    } finally {
      await other.t.destroy();
      await third.t.destroy();
    }
  });

  it('records seed, algorithm, canonical input and result per track; each verifies with verifyDraw', async () => {
    await post(admin, `${base}/draw`, { seed: SEED });
    const rows = draws(t);
    expect(rows.map((d) => d.group_key)).toEqual(['devices', 'ai']);
    for (const d of rows) {
      expect(d).toMatchObject({ seed: SEED, algorithm: 'roadshow-draw/v1', actor_user_id: admin.id });
      const input = JSON.parse(d.input_refs) as string[];
      const result = JSON.parse(d.result_refs) as string[];
      expect(input).toEqual(d.group_key === 'devices' ? ['P01', 'P03', 'P05', 'P07'] : ['P02', 'P04', 'P06']);
      expect([...result].sort()).toEqual(input);
      expect(verifyDraw(effective(d.seed, d.group_key), input, result, nodeSha256)).toBe(true);
      expect(
        order(t)
          .filter((o) => o.group_key === d.group_key)
          .map((o) => o.ref),
      ).toEqual(result);
    }
    const [entry] = ledger(t, 'schedule.drawn');
    expect(entry?.actor_id).toBe(admin.id);
    expect(JSON.parse(entry!.payload)).toMatchObject({ round: 'final', seed: SEED, algorithm: 'roadshow-draw/v1' });
  });

  it('draws the whole round as one group when not drawing per track', async () => {
    const settings = await post(admin, `${base}/settings`, { scheduleStart: '', changeoverSeconds: '60' });
    expect(settings.status, settings.text.slice(0, 500)).toBe(303);
    await post(admin, `${base}/draw`, { seed: SEED });
    const [d, ...rest] = draws(t);
    expect(rest).toEqual([]);
    expect(d?.group_key).toBe('*');
    const input = JSON.parse(d!.input_refs) as string[];
    expect(input).toEqual(['P01', 'P02', 'P03', 'P04', 'P05', 'P06', 'P07']);
    expect(verifyDraw(SEED, input, JSON.parse(d!.result_refs), nodeSha256)).toBe(true);
    expect(order(t).map((o) => o.group_key)).toEqual(Array(7).fill('*'));
  });

  it('redraws only with a reason, recorded in the ledger and on the public page', async () => {
    await post(admin, `${base}/draw`, { seed: SEED });
    const first = order(t);
    const refused = await post(admin, `${base}/draw`, { seed: `${SEED} 第二次`, drawReason: ' ' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('已经抽过签，重新抽签必须填写原因');
    expect(refused.text).toContain(`${SEED} 第二次`);
    expect(order(t)).toEqual(first);
    expect(draws(t)).toHaveLength(2);

    const again = await post(admin, `${base}/draw`, {
      seed: `${SEED} 第二次`,
      drawReason: '漏报一个项目，公证员同意重抽',
    });
    expect(again.status, again.text.slice(0, 500)).toBe(303);
    expect(draws(t)).toHaveLength(4);
    const [entry] = ledger(t, 'schedule.redrawn');
    expect(JSON.parse(entry!.payload)).toMatchObject({
      reason: '漏报一个项目，公证员同意重抽',
      seed: `${SEED} 第二次`,
    });
    const page = await supertestGet(`/contests/${slug}/schedule`);
    expect(page.text).toContain('漏报一个项目，公证员同意重抽');
    expect(page.text).toContain('此前的抽签');
  });

  it('refuses a viewer, an empty seed and a review round, with nothing written', async () => {
    expect((await post(viewer, `${base}/draw`, { seed: SEED })).status).toBe(403);
    const empty = await post(admin, `${base}/draw`, { seed: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('id="e-seed">此项必填');
    const review = await post(admin, `/admin/contests/${slug}/schedule/prelim/draw`, { seed: SEED });
    expect(review.status).toBe(409);
    expect((await admin.agent.get(`/admin/contests/${slug}/schedule/nope`)).status).toBe(404);
    expect(draws(t)).toEqual([]);
    expect(order(t)).toEqual([]);
  });
});

describe('reordering and slots', () => {
  it('moves a project within its group only with a reason, recording the change', async () => {
    await post(admin, `${base}/draw`, { seed: SEED });
    const devices = order(t).filter((o) => o.group_key === 'devices');
    const moving = devices[0]!.ref;
    const refused = await post(admin, `${base}/reorder`, { projectRef: moving, toPosition: '3', moveReason: '' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('id="e-moveReason">此项必填');
    expect(order(t).filter((o) => o.group_key === 'devices')).toEqual(devices);
    const tooFar = await post(admin, `${base}/reorder`, { projectRef: moving, toPosition: '9', moveReason: '迟到' });
    expect(tooFar.status).toBe(422);

    const res = await post(admin, `${base}/reorder`, { projectRef: moving, toPosition: '3', moveReason: '团队迟到' });
    expect(res.status, res.text.slice(0, 500)).toBe(303);
    const after = order(t)
      .filter((o) => o.group_key === 'devices')
      .map((o) => o.ref);
    const expected = devices.map((o) => o.ref).slice(1);
    expected.splice(2, 0, moving);
    expect(after).toEqual(expected);
    expect(
      order(t)
        .filter((o) => o.group_key === 'devices')
        .map((o) => o.position),
    ).toEqual([1, 2, 3, 4]);
    const changes = sql<{ from_position: number; to_position: number; reason: string; actor_user_id: number }>(
      t,
      'SELECT * FROM running_order_change',
    );
    expect(changes).toMatchObject([{ from_position: 1, to_position: 3, reason: '团队迟到', actor_user_id: admin.id }]);
    expect(JSON.parse(ledger(t, 'schedule.reordered')[0]!.payload)).toMatchObject({
      projectRef: moving,
      from: 1,
      to: 3,
      reason: '团队迟到',
    });
    expect(
      (await post(viewer, `${base}/reorder`, { projectRef: moving, toPosition: '1', moveReason: 'x' })).status,
    ).toBe(403);
  });

  it('computes slots from the start, pitch, Q&A and changeover, in the stage console order', async () => {
    await post(admin, `${base}/settings`, {
      scheduleStart: '2024-06-01T09:00',
      changeoverSeconds: '60',
      drawByTrack: 'on',
    });
    await post(admin, `${base}/draw`, { seed: SEED });
    const { schedule } = await t.services.schedule.view(slug, 'final');
    const entries = schedule.groups.flatMap((g) => g.entries);
    expect(schedule.groups.map((g) => g.key)).toEqual(['devices', 'ai']);
    expect(entries.map((e) => [e.slot?.start.time, e.slot?.qaStart.time, e.slot?.end.time])).toEqual([
      ['09:00', '09:05', '09:10'],
      ['09:11', '09:16', '09:21'],
      ['09:22', '09:27', '09:32'],
      ['09:33', '09:38', '09:43'],
      ['09:44', '09:49', '09:54'],
      ['09:55', '10:00', '10:05'],
      ['10:06', '10:11', '10:16'],
    ]);
    expect(schedule.end?.time).toBe('10:16');

    const loaded = await t.services.contests.load(slug);
    const lineup = await roundLineup(t.services.db, loaded.id, loaded.ids.rounds.get('final')!);
    const refById = new Map([...loaded.ids.projects].map(([ref, id]) => [id, ref]));
    const byTrack = order(t);
    const expected = [
      ...byTrack.filter((o) => o.group_key === 'devices'),
      ...byTrack.filter((o) => o.group_key === 'ai'),
    ].map((o) => o.ref);
    expect(lineup.map((id) => refById.get(id))).toEqual(expected);
    expect(entries.map((e) => e.project.ref)).toEqual(expected);

    const page = await admin.agent.get(base);
    expect(page.status).toBe(200);
    expect(page.text).toContain('09:00–09:10');
    expect(page.text).toContain('预计 10:16 结束');
  });

  it('refuses an impossible start time with the form kept', async () => {
    const res = await post(admin, `${base}/settings`, { scheduleStart: '2024-02-30T09:00', changeoverSeconds: '60' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('格式应为 YYYY-MM-DD HH:MM');
    expect(res.text).toContain('value="2024-02-30T09:00"');
  });
});

describe('pages', () => {
  it('shows the public schedule with the seed, the order and the algorithm, and no contacts', async () => {
    await post(admin, `${base}/settings`, {
      scheduleStart: '2024-06-01T13:30',
      changeoverSeconds: '120',
      drawByTrack: 'on',
    });
    await post(admin, `${base}/draw`, { seed: SEED });
    const res = await supertestGet(`/contests/${slug}/schedule`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('路演时间表');
    expect(res.text).toContain(SEED);
    expect(res.text).toContain('roadshow-draw/v1');
    expect(res.text).toContain('def roadshow_draw(seed, refs):');
    expect(res.text).toContain('13:30');
    const positions = order(t)
      .filter((o) => o.group_key === 'devices')
      .map((o) => res.text.indexOf(`项目${o.ref}`));
    expect(positions.every((p, i) => p > 0 && (i === 0 || p > positions[i - 1]!))).toBe(true);
    expect(res.text).not.toMatch(/1391234567\d|leader\d@example\.test|负责人\d/);
    expect(res.text).not.toContain('项目P08');

    const json = await supertestGet(`/contests/${slug}/schedule.json`);
    expect(json.status).toBe(200);
    expect(json.text).not.toMatch(/1391234567\d|leader\d@example\.test|负责人\d/);
    const round = (
      json.body as { rounds: { key: string; draws: { effectiveSeed: string; input: string[]; result: string[] }[] }[] }
    ).rounds[0]!;
    expect(round.key).toBe('final');
    // Anyone can rerun it: the published Python program gives the published result.
    const python = ['python3', 'python'].find((cmd) => {
      try {
        execFileSync(cmd, ['--version'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    });
    if (!python) throw new Error('python3 is needed to rerun the published draw');
    for (const d of round.draws) {
      const out = execFileSync(
        python,
        [
          '-c',
          `${DRAW_REFERENCE_PYTHON}\nimport json, sys\nd = json.load(sys.stdin)\nprint(json.dumps(roadshow_draw(d["effectiveSeed"], d["input"])))`,
        ],
        { input: JSON.stringify(d), encoding: 'utf8' },
      );
      expect(JSON.parse(out)).toEqual(d.result);
    }
  });

  it('says "not drawn yet" before the draw; drafts and unknown slugs are a 404 page', async () => {
    const before = await supertestGet(`/contests/${slug}/schedule`);
    expect(before.status).toBe(200);
    expect(before.text).toContain('出场顺序尚未抽签');
    const unknown = await supertestGet('/contests/no-such-contest/schedule');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('页面不存在');
    const draft = await setup('draft');
    try {
      expect((await supertest(draft.t.app).get(`/contests/${slug}/schedule`)).status).toBe(404);
    } finally {
      await draft.t.destroy();
    }
  });

  it('has every message translated in both languages (no raw catalog keys on any page)', async () => {
    await post(admin, `${base}/settings`, {
      scheduleStart: '2024-06-01T09:00',
      changeoverSeconds: '60',
      drawByTrack: 'on',
    });
    await post(admin, `${base}/draw`, { seed: SEED });
    const moving = order(t)[0]!.ref;
    await post(admin, `${base}/reorder`, { projectRef: moving, toPosition: '2', moveReason: '团队迟到' });
    const rawKey =
      /(?:schedule|conflicts|conflict|validation|error)\.(?!json\b|css\b|js\b)[a-z][A-Za-z-]*(?:\.[A-Za-z-]+)*/;
    const pages = [
      `/admin/contests/${slug}/schedule`,
      base,
      `${base}?move=${moving}&to=1`,
      `${base}/print`,
      `/admin/contests/${slug}/conflicts`,
      `/contests/${slug}/schedule`,
    ];
    for (const lang of ['zh-CN', 'en'])
      for (const url of pages) {
        const res = await admin.agent.get(url).set('Cookie', `lang=${lang}`);
        expect(res.status, url).toBe(200);
        const text = res.text.replace(/<[^>]*>/g, ' ');
        expect(text.match(rawKey)?.[0], `${lang} ${url}`).toBeUndefined();
      }
  });

  it('renders the run-of-show for organizers only', async () => {
    await post(admin, `${base}/settings`, {
      scheduleStart: '2024-06-01T09:00',
      changeoverSeconds: '60',
      drawByTrack: 'on',
    });
    await post(admin, `${base}/draw`, { seed: SEED });
    const res = await viewer.agent.get(`${base}/print`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('决赛 · 路演流程单');
    expect(res.text).toContain('class="ros"');
    expect(res.text).toContain('/static/css/schedule.css');
    expect(res.text).toContain('09:00–09:05');
    expect(res.text).toContain(SEED);
    expect(res.text).not.toMatch(/1391234567\d/);
    const anonymous = await supertestGet(`${base}/print`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/admin\/login/);
    const index = await viewer.agent.get(`/admin/contests/${slug}/schedule`);
    expect(index.status).toBe(200);
    expect(index.text).toContain(`href="${base}"`);
  });
});

function supertestGet(url: string) {
  return supertest(t.app).get(url).set('Accept', 'text/html');
}
