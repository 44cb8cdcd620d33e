/**
 * Public registration over HTTP: the phone form (multipart, CSRF checked after parsing), the JSON
 * API, reference numbers, the open/closed rule, field errors, duplicates, pitch deck uploads
 * (size, sniffing, private storage), the per-IP rate limit, and the private status link.
 * Every refused request is checked to have written nothing: no rows, no counter, no file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { buildTestApp, csrfFrom, type TestApp } from '../support/app.js';
import { sha256Hex } from '../../server/services/secrets.js';
import { DECK_MAX_BYTES } from '../../server/services/registration.service.js';

const SLUG = 'reg-test';
let t: TestApp;
let dataDir: string;
const uploadsDir = () => path.join(dataDir, 'uploads');
const uploads = () => (fs.existsSync(uploadsDir()) ? fs.readdirSync(uploadsDir()) : []);

async function contest(slug: string, extra: Record<string, unknown> = {}) {
  await t.services.contests.createContest({ slug, name: { zh: '报名测试赛', en: 'Registration test' }, ...extra });
  await t.services.contests.editPart(slug, 'tracks', {
    kind: 'add',
    input: { key: 'ai', name: { zh: 'AI+医疗健康' } },
  });
  await t.services.contests.editPart(slug, 'tracks', {
    kind: 'add',
    input: { key: 'device', name: { zh: '高端医疗器械' } },
  });
}

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roadshow-reg-'));
  t = await buildTestApp({ config: { dataDir } });
  await contest(SLUG, { status: 'registration-open', startsOn: '2024-06-01' });
});
afterEach(async () => {
  await t.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const pdf = (text = 'deck') => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`, 'latin1');

let n = 0;
/** A valid form, different each call (title, phone and email), as a team would type it. */
function validForm(overrides: Record<string, string> = {}): Record<string, string> {
  n++;
  return {
    title: `基于AI的眼底筛查系统${n}`,
    trackKey: 'ai',
    institution: '首都医科大学附属北京友谊医院',
    'leader.name': '李华',
    'leader.phone': `138 0013 ${String(8000 + n).padStart(4, '0')}`,
    'leader.email': `team${n}@example.cn`,
    membersText: '王敏 | 临床负责人\n张伟 | 算法工程师',
    stage: 'clinical-trial',
    summary: '一套用于基层医院的眼底照片AI筛查系统。',
    consent: 'on',
    ...overrides,
  };
}

function validJson(overrides: Record<string, unknown> = {}) {
  const f = validForm();
  return {
    title: f.title,
    trackKey: 'ai',
    institution: f.institution,
    leader: { name: '李华', phone: f['leader.phone'], email: f['leader.email'] },
    members: [{ name: '王敏', role: '临床负责人' }],
    stage: 'prototype',
    summary: '摘要',
    consent: true,
    ...overrides,
  };
}

/** A browser-like agent that has opened the form (so it has a session and a CSRF token). */
async function openForm(slug = SLUG) {
  const agent = supertest.agent(t.app);
  const page = await agent.get(`/contests/${slug}/register`);
  expect(page.status).toBe(200);
  return { agent, csrf: csrfFrom(page.text), page };
}

/** Posts the form as multipart/form-data, `_csrf` first like the page does. */
function postForm(
  agent: supertest.Agent,
  url: string,
  fields: Record<string, string>,
  opts: { csrf?: string; deck?: { bytes: Buffer; name?: string; type?: string } } = {},
) {
  let req = agent.post(url);
  if (opts.csrf !== undefined) req = req.field('_csrf', opts.csrf);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  if (opts.deck)
    req = req.attach('deck', opts.deck.bytes, {
      filename: opts.deck.name ?? '路演材料.pdf',
      contentType: opts.deck.type ?? 'application/pdf',
    });
  return req;
}

async function register(fields = validForm(), deck?: Buffer) {
  const { agent, csrf } = await openForm();
  const res = await postForm(agent, `/contests/${SLUG}/register`, fields, { csrf, deck: deck && { bytes: deck } });
  expect(res.status).toBe(303);
  const location = String(res.headers.location);
  return { agent, res, location, token: location.replace('/r/', '') };
}

const db = () => t.opened.db;
async function state() {
  const [projects, decks, ledger, c] = await Promise.all([
    db()
      .selectFrom('project')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db()
      .selectFrom('project_deck')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db()
      .selectFrom('ledger_entry')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db().selectFrom('contest').select('registration_seq').where('slug', '=', SLUG).executeTakeFirstOrThrow(),
  ]);
  return {
    projects: Number(projects.n),
    decks: Number(decks.n),
    ledger: Number(ledger.n),
    seq: c.registration_seq,
    files: uploads().length,
  };
}
const NOTHING = { projects: 0, decks: 0, ledger: 0, seq: 0, files: 0 };

const setContest = (values: Record<string, unknown>, slug = SLUG) =>
  db().updateTable('contest').set(values).where('slug', '=', slug).execute();

describe('registration form', () => {
  it('shows a phone-friendly multipart form with CSRF, tracks and stages', async () => {
    const { page } = await openForm();
    expect(page.text).toContain('enctype="multipart/form-data"');
    expect(page.text).toContain('name="_csrf"');
    expect(page.text).toContain('AI+医疗健康');
    expect(page.text).toContain('临床试验');
    expect(page.text).toContain('name="deck" type="file" accept="application/pdf,.pdf"');
    expect(page.text).toContain('name="viewport"');
    expect(page.text).toContain('/static/build/register.js');
    expect(page.text).not.toMatch(/style="/);
  });

  it('registers a team with a deck: reference, private link, rows, stored file', async () => {
    const deck = pdf('happy');
    const { agent, location, token } = await register(validForm({ title: '眼底筛查' }), deck);
    expect(location).toMatch(/^\/r\/[A-Za-z0-9_-]{43}$/);

    const confirmation = await agent.get(location);
    expect(confirmation.status).toBe(200);
    expect(confirmation.headers['cache-control']).toContain('no-store');
    expect(confirmation.headers['referrer-policy']).toBe('no-referrer');
    expect(confirmation.text).toContain('报名成功');
    expect(confirmation.text).toContain('RS-2024-0001');
    expect(confirmation.text).toContain(`${t.config.publicUrl}/r/${token}`);

    const project = await db().selectFrom('project').selectAll().executeTakeFirstOrThrow();
    expect(project).toMatchObject({
      ref: 'RS-2024-0001',
      title: '眼底筛查',
      status: 'submitted',
      source: 'registration',
      leader_phone: expect.stringMatching(/^138001\d{5}$/),
      status_token_hash: sha256Hex(token),
    });
    expect(project.submitted_at).toBeTruthy();
    expect(JSON.parse(project.members)).toEqual([
      { name: '王敏', role: '临床负责人' },
      { name: '张伟', role: '算法工程师' },
    ]);
    // The token itself is stored nowhere.
    const dump = JSON.stringify(await db().selectFrom('project').selectAll().execute());
    expect(dump).not.toContain(token);

    const stored = await db().selectFrom('project_deck').selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      original_name: '路演材料.pdf',
      size_bytes: deck.length,
      sha256: crypto.createHash('sha256').update(deck).digest('hex'),
    });
    expect(stored.stored_name).toMatch(/^[0-9a-f]{32}\.pdf$/);
    expect(uploads()).toEqual([stored.stored_name]);
    expect(fs.readFileSync(path.join(uploadsDir(), stored.stored_name)).equals(deck)).toBe(true);
    expect((await state()).seq).toBe(1);
  });

  it('speaks English when asked', async () => {
    const res = await supertest(t.app).get(`/contests/${SLUG}/register`).set('Cookie', 'lang=en');
    expect(res.text).toContain('Project registration');
    expect(res.text).toContain('Pitch deck (PDF)');
    expect(res.text).toContain('Submit registration');
  });

  it('registers without a deck (an empty file part is no file)', async () => {
    const { agent, csrf } = await openForm();
    const res = await postForm(agent, `/contests/${SLUG}/register`, validForm(), {
      csrf,
      deck: { bytes: Buffer.alloc(0), name: '' },
    });
    expect(res.status).toBe(303);
    expect(await state()).toMatchObject({ projects: 1, decks: 0, files: 0 });
  });

  it('keeps the confirmation to the first view: the status link shows the state afterwards', async () => {
    const { agent, location } = await register();
    await agent.get(location);
    const again = await supertest(t.app).get(location);
    expect(again.status).toBe(200);
    expect(again.text).not.toContain('报名成功');
    expect(again.text).toContain('RS-2024-0001');
    expect(again.text).toContain('已提交');
  });
});

describe('registration JSON API', () => {
  it('answers 201 with the reference and the status URL', async () => {
    const res = await supertest(t.app).post(`/api/v1/contests/${SLUG}/registrations`).send(validJson());
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ ref: 'RS-2024-0001', statusUrl: expect.stringMatching(/\/r\/[A-Za-z0-9_-]{43}$/) });
    expect(res.body.statusUrl.startsWith(`${t.config.publicUrl}/r/`)).toBe(true);
    const status = await supertest(t.app).get(new URL(res.body.statusUrl).pathname);
    expect(status.status).toBe(200);
    expect(status.text).toContain('RS-2024-0001');
  });

  it('answers 422 with translated field errors and writes nothing', async () => {
    const res = await supertest(t.app)
      .post(`/api/v1/contests/${SLUG}/registrations`)
      .set('Accept-Language', 'en')
      .send(validJson({ leader: { name: '', phone: '12345', email: 'x' }, consent: false }));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation-failed');
    const fields = Object.fromEntries(
      res.body.error.fields.map((f: { path: string; message: string }) => [f.path, f.message]),
    );
    expect(fields).toMatchObject({
      'leader.name': 'This field is required',
      'leader.phone': 'Enter an 11-digit mainland China mobile number',
      'leader.email': 'Not a valid email address',
      consent: 'Please tick to confirm',
    });
    expect(await state()).toEqual(NOTHING);
  });

  it('needs the x-csrf-token header when a browser session cookie comes along', async () => {
    const { agent, csrf } = await openForm();
    const refused = await agent.post(`/api/v1/contests/${SLUG}/registrations`).send(validJson());
    expect(refused.status).toBe(403);
    const ok = await agent.post(`/api/v1/contests/${SLUG}/registrations`).set('x-csrf-token', csrf).send(validJson());
    expect(ok.status).toBe(201);
  });
});

describe('reference numbers', () => {
  it('are sequential per contest, with the prefix and the year of the contest', async () => {
    for (let i = 1; i <= 3; i++) {
      const res = await supertest(t.app).post(`/api/v1/contests/${SLUG}/registrations`).send(validJson());
      expect(res.body.ref).toBe(`RS-2024-000${i}`);
    }
    await contest('other-contest', { status: 'registration-open' });
    await setContest({ reference_prefix: 'BJ' }, 'other-contest');
    const other = await supertest(t.app).post('/api/v1/contests/other-contest/registrations').send(validJson());
    expect(other.body.ref).toBe(`BJ-${new Date().getFullYear()}-0001`);
    const form = await register();
    expect((await supertest(t.app).get(form.location)).text).toContain('RS-2024-0004');
    expect((await state()).seq).toBe(4);
  });

  it('stay unique and gap-free under concurrent registrations', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        supertest(t.app).post(`/api/v1/contests/${SLUG}/registrations`).send(validJson()),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(results.map((r) => r.body.ref).sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `RS-2024-000${i}`));
  });

  it('never reuses a reference an organizer already gave a project', async () => {
    await t.services.contests.editPart(SLUG, 'projects', {
      kind: 'add',
      input: { ref: 'RS-2024-0007', title: '手工录入', trackKey: 'ai', institution: '某医院', leader: { name: '赵' } },
    });
    const res = await supertest(t.app).post(`/api/v1/contests/${SLUG}/registrations`).send(validJson());
    expect(res.body.ref).toBe('RS-2024-0008');
  });
});

describe('closed registration', () => {
  it('answers 409 with a clear page, and JSON 409 registration-closed', async () => {
    const { agent, csrf } = await openForm();
    await setContest({ status: 'registration-closed' });
    const page = await supertest(t.app).get(`/contests/${SLUG}/register`);
    expect(page.status).toBe(409);
    expect(page.text).toContain('报名未开放');
    expect(page.text).toContain('报名测试赛');
    expect(page.text).not.toContain('name="title"');

    const post = await postForm(agent, `/contests/${SLUG}/register`, validForm(), { csrf, deck: { bytes: pdf() } });
    expect(post.status).toBe(409);
    expect(post.text).toContain('报名未开放');

    const api = await supertest(t.app).post(`/api/v1/contests/${SLUG}/registrations`).send(validJson());
    expect(api.status).toBe(409);
    expect(api.body.error.code).toBe('registration-closed');
    expect(await state()).toEqual(NOTHING);
  });

  it('closes at registration_closes_at even while the status says open', async () => {
    await setContest({ registration_closes_at: new Date(Date.now() - 60_000).toISOString() });
    expect((await supertest(t.app).get(`/contests/${SLUG}/register`)).status).toBe(409);
    await setContest({ registration_closes_at: new Date(Date.now() + 3_600_000).toISOString() });
    const open = await supertest(t.app).get(`/contests/${SLUG}/register`);
    expect(open.status).toBe(200);
    expect(open.text).toContain('报名截止：');
  });

  it('hides draft contests (404)', async () => {
    await setContest({ status: 'draft' });
    expect((await supertest(t.app).get(`/contests/${SLUG}/register`)).status).toBe(404);
    expect((await supertest(t.app).post(`/api/v1/contests/${SLUG}/registrations`).send(validJson())).status).toBe(404);
  });
});

describe('invalid fields', () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ['empty title', { title: '' }, 'title', '此项必填'],
    ['unknown track', { trackKey: 'nope' }, 'trackKey', '取值不在允许范围内'],
    ['no track', { trackKey: '' }, 'trackKey', '此项必填'],
    ['empty institution', { institution: '  ' }, 'institution', '此项必填'],
    ['empty leader name', { 'leader.name': '' }, 'leader.name', '此项必填'],
    ['bad mobile', { 'leader.phone': '010-6512 3456' }, 'leader.phone', '请输入 11 位中国大陆手机号'],
    ['empty mobile', { 'leader.phone': '' }, 'leader.phone', '此项必填'],
    ['bad email', { 'leader.email': 'li@' }, 'leader.email', '邮箱格式不正确'],
    ['member without a name', { membersText: '王敏 | 临床\n | 工程师' }, 'membersText', '第 2 行'],
    ['no stage', { stage: '' }, 'stage', '此项必填'],
    ['unknown stage', { stage: 'space' }, 'stage', '取值不在允许范围内'],
    ['empty summary', { summary: '' }, 'summary', '此项必填'],
    ['summary too long', { summary: '字'.repeat(1001) }, 'summary', '最多 1000 个字符'],
    ['no consent', { consent: '' }, 'consent', '请勾选确认后再提交'],
  ];

  it.each(cases)(
    '%s → 422 on the field, the form filled in again, nothing written',
    async (_name, bad, field, message) => {
      const { agent, csrf } = await openForm();
      const fields = validForm({ title: '保留的标题', ...bad });
      const res = await postForm(agent, `/contests/${SLUG}/register`, fields, { csrf, deck: { bytes: pdf() } });
      expect(res.status).toBe(422);
      expect(res.text).toContain(`id="f-${field}"`);
      expect(res.text).toMatch(new RegExp(`id="f-${field.replace('.', '\\.')}"[^>]*aria-invalid="true"`));
      expect(res.text).toContain(message);
      if (field !== 'title') expect(res.text).toContain('value="保留的标题"');
      expect(res.text).toContain(`value="${fields['leader.email']}"`);
      expect(res.text).toContain('请重新选择');
      expect(res.text).toContain('name="_csrf"');
      expect(await state()).toEqual(NOTHING);
    },
  );

  it('translates field errors to English', async () => {
    const { agent, csrf } = await openForm();
    const res = await postForm(agent, `/contests/${SLUG}/register`, validForm({ title: '' }), { csrf }).set(
      'Cookie',
      'lang=en',
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('This field is required');
  });
});

describe('likely duplicates', () => {
  it('refuses the same title at the same institution, naming the rule', async () => {
    await register(validForm({ title: '眼底 AI 筛查', institution: '北京友谊医院' }));
    const before = await state();
    const { agent, csrf } = await openForm();
    const res = await postForm(
      agent,
      `/contests/${SLUG}/register`,
      validForm({ title: '眼底AI筛查。', institution: '北京友谊医院（通州院区）' }),
      { csrf, deck: { bytes: pdf() } },
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('规则：项目名称与申报单位均相同');
    expect(res.text).toContain('与已有报名的项目名称和申报单位相同');
    expect(res.text).toContain('value="北京友谊医院（通州院区）"');
    expect(await state()).toEqual(before);
  });

  it('refuses the same leader phone (as typed differently) and the same email', async () => {
    await register(validForm({ 'leader.phone': '13900139000', 'leader.email': 'dup@example.cn' }));
    const before = await state();
    const { agent, csrf } = await openForm();
    const phone = await postForm(
      agent,
      `/contests/${SLUG}/register`,
      validForm({ 'leader.phone': '+86 139-0013-9000' }),
      {
        csrf,
      },
    );
    expect(phone.status).toBe(422);
    expect(phone.text).toContain('规则：负责人手机号相同');

    const api = await supertest(t.app)
      .post(`/api/v1/contests/${SLUG}/registrations`)
      .send(validJson({ leader: { name: '某', phone: '13700137000', email: 'DUP@example.cn ' } }));
    expect(api.status).toBe(422);
    expect(api.body.error.code).toBe('likely-duplicate');
    expect(api.body.error.message).toContain('leader-email');
    expect(api.body.error.fields).toEqual([
      expect.objectContaining({ path: 'leader.email', code: 'duplicate-leader-email' }),
    ]);
    expect(await state()).toEqual(before);
  });

  it('lets only one of two simultaneous duplicates in, leaving no orphan deck file', async () => {
    const same = { 'leader.phone': '13600136000' };
    const a = await openForm();
    const b = await openForm();
    const [ra, rb] = await Promise.all([
      postForm(a.agent, `/contests/${SLUG}/register`, validForm(same), { csrf: a.csrf, deck: { bytes: pdf('a') } }),
      postForm(b.agent, `/contests/${SLUG}/register`, validForm(same), { csrf: b.csrf, deck: { bytes: pdf('b') } }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([303, 422]);
    expect(await state()).toMatchObject({ projects: 1, decks: 1, files: 1, seq: 1 });
  });

  it('does not count the same phone in another contest', async () => {
    await register(validForm({ 'leader.phone': '13900139000' }));
    await contest('other-contest', { status: 'registration-open' });
    const res = await supertest(t.app)
      .post('/api/v1/contests/other-contest/registrations')
      .send(validJson({ leader: { name: '某', phone: '13900139000', email: 'x@example.cn' } }));
    expect(res.status).toBe(201);
  });
});

describe('pitch deck uploads', () => {
  it('answers 413 for a deck over 20 MB, with the form filled in again and nothing written', async () => {
    const big = Buffer.alloc(DECK_MAX_BYTES + 1, 0x20);
    pdf().copy(big);
    const { agent, csrf } = await openForm();
    const res = await postForm(agent, `/contests/${SLUG}/register`, validForm({ title: '大文件项目' }), {
      csrf,
      deck: { bytes: big },
    });
    expect(res.status).toBe(413);
    expect(res.text).toContain('文件超过 20 MB');
    expect(res.text).toContain('value="大文件项目"');
    expect(res.text).toMatch(/id="f-deck"[^>]*aria-invalid="true"/);
    expect(await state()).toEqual(NOTHING);
  });

  it('accepts a deck of exactly 20 MB', async () => {
    const exact = Buffer.alloc(DECK_MAX_BYTES, 0x20);
    pdf().copy(exact);
    await register(validForm(), exact);
    expect(await state()).toMatchObject({ projects: 1, decks: 1, files: 1 });
  });

  it('refuses a file that is not a PDF by its content (422 on the deck field), whatever its name', async () => {
    const { agent, csrf } = await openForm();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const res = await postForm(agent, `/contests/${SLUG}/register`, validForm(), {
      csrf,
      deck: { bytes: png, name: 'deck.pdf', type: 'application/pdf' },
    });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="f-deck"[^>]*aria-invalid="true"/);
    expect(res.text).toContain('只接受 PDF 文件');
    expect(await state()).toEqual(NOTHING);

    const html = await postForm(agent, `/contests/${SLUG}/register`, validForm(), {
      csrf,
      deck: { bytes: Buffer.from('<html>%PDF-</html>'), name: 'x.pdf' },
    });
    expect(html.status).toBe(422);
    expect(await state()).toEqual(NOTHING);
  });

  it('stores the deck privately: no public URL serves it', async () => {
    const { token } = await register(validForm(), pdf('secret deck'));
    const { stored_name: name } = await db().selectFrom('project_deck').select('stored_name').executeTakeFirstOrThrow();
    const anon = supertest(t.app);
    for (const url of [
      `/static/${name}`,
      `/static/uploads/${name}`,
      `/uploads/${name}`,
      `/data/uploads/${name}`,
      `/static/..%2f..%2fdata%2fuploads%2f${name}`,
      `/r/${token}/deck`,
      `/r/${token}/${name}`,
      `/contests/${SLUG}/decks/${name}`,
    ]) {
      const res = await anon.get(url);
      expect(res.status, url).toBe(404);
      expect(res.text).not.toContain('secret deck');
    }
    const status = await anon.get(`/r/${token}`);
    expect(status.text).toContain('路演材料.pdf');
    expect(status.text).not.toContain(name);
    expect(uploadsDir().startsWith(path.join(t.config.dataDir))).toBe(true);
  });
});

describe('rate limit', () => {
  it('allows 10 registration posts per IP in 10 minutes (form and API together), then 429', async () => {
    const { agent, csrf } = await openForm();
    for (let i = 0; i < 5; i++) {
      const res = await postForm(agent, `/contests/${SLUG}/register`, validForm({ title: '' }), { csrf });
      expect(res.status).toBe(422);
    }
    for (let i = 0; i < 5; i++) {
      const res = await supertest(t.app).post(`/api/v1/contests/${SLUG}/registrations`).send(validJson());
      expect(res.status).toBe(201);
    }
    const api = await supertest(t.app).post(`/api/v1/contests/${SLUG}/registrations`).send(validJson());
    expect(api.status).toBe(429);
    expect(api.body.error.code).toBe('rate-limited');
    const form = await postForm(agent, `/contests/${SLUG}/register`, validForm(), { csrf, deck: { bytes: pdf() } });
    expect(form.status).toBe(429);
    expect(await state()).toMatchObject({ projects: 5, files: 0 });
  });
});

describe('private status link', () => {
  it('shows the state and the organizer’s reason, and allows editing while open', async () => {
    const { token } = await register(validForm({ title: '原标题' }), pdf('v1'));
    const oldDeck = await db().selectFrom('project_deck').selectAll().executeTakeFirstOrThrow();
    const anon = supertest.agent(t.app);
    let page = await anon.get(`/r/${token}`);
    expect(page.text).toContain('已提交');
    expect(page.text).toContain(`href="/r/${token}/edit"`);

    await db().updateTable('project').set({ status: 'returned', review_note: '请补充临床试验数据' }).execute();
    page = await anon.get(`/r/${token}`);
    expect(page.text).toContain('退回修改');
    expect(page.text).toContain('请补充临床试验数据');

    const form = await anon.get(`/r/${token}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="原标题"');
    expect(form.text).toContain('王敏 | 临床负责人');
    expect(form.text).not.toContain('name="consent"');

    const fields = validForm({ title: '新标题', membersText: '王敏 | 临床负责人' });
    delete fields.consent;
    const saved = await postForm(anon, `/r/${token}/edit`, fields, {
      csrf: csrfFrom(form.text),
      deck: { bytes: pdf('v2') },
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/r/${token}`);
    page = await anon.get(`/r/${token}`);
    expect(page.text).toContain('修改已保存');
    expect(page.text).toContain('新标题');
    expect(page.text).toContain('已提交');

    const project = await db().selectFrom('project').selectAll().executeTakeFirstOrThrow();
    expect(project).toMatchObject({ title: '新标题', status: 'submitted', ref: 'RS-2024-0001' });
    const newDeck = await db().selectFrom('project_deck').selectAll().executeTakeFirstOrThrow();
    expect(newDeck.sha256).not.toBe(oldDeck.sha256);
    expect(uploads()).toEqual([newDeck.stored_name]);
  });

  it('shows edit errors on the form and writes nothing', async () => {
    const { token } = await register(validForm({ title: '原标题' }));
    const anon = supertest.agent(t.app);
    const form = await anon.get(`/r/${token}/edit`);
    const before = await state();
    const res = await postForm(anon, `/r/${token}/edit`, validForm({ title: '改了', 'leader.phone': '123' }), {
      csrf: csrfFrom(form.text),
      deck: { bytes: Buffer.from('not a pdf') },
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('value="改了"');
    expect(res.text).toContain('只接受 PDF 文件');
    expect(await state()).toEqual(before);
    expect((await db().selectFrom('project').select('title').executeTakeFirstOrThrow()).title).toBe('原标题');
  });

  it('refuses edits after registration closes and once the entry is decided', async () => {
    const { token } = await register(validForm({ title: '原标题' }));
    const anon = supertest.agent(t.app);
    const form = await anon.get(`/r/${token}/edit`);
    const csrf = csrfFrom(form.text);

    await setContest({ status: 'registration-closed' });
    const page = await anon.get(`/r/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('报名已截止，信息不能再修改');
    expect(page.text).not.toContain(`/r/${token}/edit`);
    expect((await anon.get(`/r/${token}/edit`)).status).toBe(409);
    const post = await postForm(anon, `/r/${token}/edit`, validForm({ title: '太晚了' }), { csrf });
    expect(post.status).toBe(409);

    await setContest({ status: 'registration-open' });
    await db().updateTable('project').set({ status: 'approved' }).execute();
    const decided = await postForm(anon, `/r/${token}/edit`, validForm({ title: '太晚了' }), { csrf });
    expect(decided.status).toBe(409);
    expect(decided.text).toContain('审核已有结果');
    expect((await db().selectFrom('project').select('title').executeTakeFirstOrThrow()).title).toBe('原标题');
  });

  it('answers 404 for an unknown or malformed token', async () => {
    expect((await supertest(t.app).get(`/r/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await supertest(t.app).get('/r/short')).status).toBe(404);
  });
});

describe('CSRF on the multipart forms', () => {
  it('refuses a post without the token or with a wrong one (403), writing nothing', async () => {
    const { agent } = await openForm();
    const missing = await postForm(agent, `/contests/${SLUG}/register`, validForm(), { deck: { bytes: pdf() } });
    expect(missing.status).toBe(403);
    const wrong = await postForm(agent, `/contests/${SLUG}/register`, validForm(), {
      csrf: 'x'.repeat(64),
      deck: { bytes: pdf() },
    });
    expect(wrong.status).toBe(403);
    const noSession = await postForm(supertest.agent(t.app), `/contests/${SLUG}/register`, validForm(), {
      csrf: 'x'.repeat(64),
    });
    expect(noSession.status).toBe(403);
    expect(await state()).toEqual(NOTHING);
  });

  it('refuses an edit without the token', async () => {
    const { token } = await register();
    const anon = supertest.agent(t.app);
    await anon.get(`/r/${token}/edit`);
    const res = await postForm(anon, `/r/${token}/edit`, validForm({ title: '篡改' }));
    expect(res.status).toBe(403);
  });

  it('accepts the token in the x-csrf-token header instead of the field', async () => {
    const { agent, csrf } = await openForm();
    const res = await postForm(agent, `/contests/${SLUG}/register`, validForm()).set('x-csrf-token', csrf);
    expect(res.status).toBe(303);
  });

  it('defers the check only for the registration forms: other multipart posts are still refused', async () => {
    const { agent } = await openForm();
    const lang = await agent.post('/lang').field('locale', 'en').field('back', '/');
    expect(lang.status).toBe(403);
    const login = await agent.post('/admin/login').field('email', 'a@example.test').field('password', 'x');
    expect(login.status).toBe(403);
  });
});
