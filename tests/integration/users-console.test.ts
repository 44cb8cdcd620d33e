/**
 * The users page: owners only; create a user (one-time password shown once and working),
 * change a role, disable and enable, reset a password; the last owner is protected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { buildTestApp, login, type TestApp } from '../support/app.js';

let t: TestApp;
let owner: { agent: supertest.Agent; csrf: string; id: number; email: string };

beforeAll(async () => {
  t = await buildTestApp();
  owner = await t.signedIn('owner');
});
afterAll(async () => {
  await t.destroy();
});

const post = (url: string, fields: Record<string, string> = {}) =>
  owner.agent
    .post(url)
    .type('form')
    .send({ _csrf: owner.csrf, ...fields });

const byEmail = async (email: string) => (await t.services.users.list()).find((u) => u.email === email);

function oneTimePassword(html: string): string {
  const match = /<p class="secret-value mono">([^<]+)<\/p>/.exec(html);
  if (!match?.[1]) throw new Error('no one-time password on the page');
  return match[1];
}

describe('users page', () => {
  it('lists users for the owner with role, status and last sign-in', async () => {
    const res = await owner.agent.get('/admin/users');
    expect(res.status).toBe(200);
    expect(res.text).toContain(owner.email);
    expect(res.text).toContain('所有者');
    expect(res.text).toContain('正常');
    expect(res.text).toContain('最近登录');
  });

  it.each(['admin', 'host', 'viewer'] as const)('refuses %s (403) and writes nothing', async (role) => {
    const { agent, csrf } = await t.signedIn(role);
    expect((await agent.get('/admin/users')).status).toBe(403);
    const before = await t.services.users.list();
    const target = before.find((u) => u.id === owner.id)!;
    const attempts = [
      agent
        .post('/admin/users')
        .type('form')
        .send({ _csrf: csrf, email: `${role}-made@example.test`, displayName: 'X', role: 'owner' }),
      agent.post(`/admin/users/${target.id}/role`).type('form').send({ _csrf: csrf, role: 'viewer' }),
      agent.post(`/admin/users/${target.id}/disable`).type('form').send({ _csrf: csrf }),
      agent.post(`/admin/users/${target.id}/reset`).type('form').send({ _csrf: csrf }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(403);
    expect(await t.services.users.list()).toEqual(before);
  });

  it('creates a user and shows a one-time password that works once changed', async () => {
    const res = await post('/admin/users', {
      email: 'new.judge.admin@example.test',
      displayName: '新管理员',
      role: 'admin',
    });
    expect(res.status).toBe(201);
    expect(res.text).toContain('已创建用户 new.judge.admin@example.test');
    const password = oneTimePassword(res.text);
    expect((await byEmail('new.judge.admin@example.test'))?.role).toBe('admin');

    const agent = supertest.agent(t.app);
    const signIn = await login(agent, 'new.judge.admin@example.test', password);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe('/admin/password');
    // The console insists on the password change first.
    const page = await agent.get('/admin/contests');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/admin/password');

    const again = await owner.agent.get('/admin/users');
    expect(again.text).not.toContain(password);
  });

  it('re-renders the form with the typed values and translated errors', async () => {
    const count = (await t.services.users.list()).length;
    const bad = await post('/admin/users', { email: 'not-an-email', displayName: '', role: 'admin' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="e-email">邮箱格式不正确');
    expect(bad.text).toContain('id="e-displayName">此项必填');
    expect(bad.text).toContain('value="not-an-email"');
    const dup = await post('/admin/users', { email: owner.email, displayName: '重复', role: 'viewer' });
    expect(dup.status).toBe(409);
    expect(dup.text).toContain('id="e-email">标识重复');
    expect(dup.text).toContain('value="重复"');
    expect((await t.services.users.list()).length).toBe(count);
  });

  it('changes a role, disables and enables, and resets a password', async () => {
    const { id, email } = await t.organizer('viewer');
    expect((await post(`/admin/users/${id}/role`, { role: 'host' })).status).toBe(303);
    expect((await byEmail(email))?.role).toBe('host');

    expect((await post(`/admin/users/${id}/disable`)).status).toBe(303);
    expect((await byEmail(email))?.disabled).toBe(true);
    expect((await login(supertest.agent(t.app), email, 'correct horse battery')).status).toBe(401);
    const list = await owner.agent.get('/admin/users');
    expect(list.text).toContain(`/admin/users/${id}/enable`);
    expect(list.text).toContain('已停用');

    expect((await post(`/admin/users/${id}/enable`)).status).toBe(303);
    expect((await byEmail(email))?.disabled).toBe(false);

    const reset = await post(`/admin/users/${id}/reset`);
    expect(reset.status).toBe(200);
    expect(reset.text).toContain(`${email} 的一次性密码`);
    const password = oneTimePassword(reset.text);
    expect((await login(supertest.agent(t.app), email, 'correct horse battery')).status).toBe(401);
    expect((await login(supertest.agent(t.app), email, password)).headers.location).toBe('/admin/password');
  });

  it('refuses an unknown role', async () => {
    const { id, email } = await t.organizer('viewer');
    const res = await post(`/admin/users/${id}/role`, { role: 'emperor' });
    expect(res.status).toBe(422);
    expect((await byEmail(email))?.role).toBe('viewer');
  });

  it('protects the last owner (409 with the message, nothing changed)', async () => {
    const owners = (await t.services.users.list()).filter((u) => u.role === 'owner' && !u.disabled);
    expect(owners).toHaveLength(1);
    for (const [url, fields] of [
      [`/admin/users/${owner.id}/role`, { role: 'admin' }],
      [`/admin/users/${owner.id}/disable`, {}],
    ] as const) {
      const res = await post(url, fields);
      expect(res.status).toBe(409);
      expect(res.text).toContain('不能移除最后一位所有者');
    }
    const me = (await t.services.users.list()).find((u) => u.id === owner.id);
    expect(me).toMatchObject({ role: 'owner', disabled: false });

    // With a second owner, the first may step down.
    const second = await t.organizer('owner');
    expect((await post(`/admin/users/${second.id}/role`, { role: 'admin' })).status).toBe(303);
    await t.services.users.setRole(second.id, 'owner');
    expect((await post(`/admin/users/${second.id}/disable`)).status).toBe(303);
    expect((await byEmail(second.email))?.disabled).toBe(true);
  });
});
