/** Organizer sign-in: CSRF, session regeneration, wrong credentials, one-time passwords, logout. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { buildTestApp, csrfFrom, csrfOf, login, type TestApp } from '../support/app.js';
import { SESSION_COOKIE } from '../../server/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => {
  await t.destroy();
});

function sessionId(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
  const c = cookies.find((x) => x.startsWith(`${SESSION_COOKIE}=`));
  return c?.split(';')[0]?.split('=')[1];
}

describe('organizer login', () => {
  it('changes the session id at login and signs in', async () => {
    const { email, password } = await t.organizer('admin');
    const agent = supertest.agent(t.app);
    const page = await agent.get('/admin/login');
    const before = sessionId(page);
    expect(before).toBeTruthy();
    const res = await agent
      .post('/admin/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email, password });
    expect(res.status).toBe(303);
    const after = sessionId(res);
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    const home = await agent.get('/admin/password');
    expect(home.status).toBe(200);
  });

  it('refuses a login post without a CSRF token', async () => {
    const { email, password } = await t.organizer('admin');
    const agent = supertest.agent(t.app);
    await agent.get('/admin/login');
    const res = await agent.post('/admin/login').type('form').send({ email, password });
    expect(res.status).toBe(403);
  });

  it('refuses cross-site posts before anything else', async () => {
    const agent = supertest.agent(t.app);
    const csrf = await csrfOf(agent, '/admin/login');
    const res = await agent
      .post('/admin/login')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send({ _csrf: csrf, email: 'x@example.test', password: 'y' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('cross-site');
  });

  it('re-renders the form with the email kept and a translated message on wrong password', async () => {
    const { email } = await t.organizer('viewer');
    const agent = supertest.agent(t.app);
    const res = await login(agent, email, 'wrong password');
    expect(res.status).toBe(401);
    expect(res.text).toContain('邮箱或密码不正确');
    expect(res.text).toContain(`value="${email}"`);
  });

  it('names empty fields in English when the language cookie says so', async () => {
    const agent = supertest.agent(t.app);
    const csrf = await csrfOf(agent, '/admin/login');
    const res = await agent
      .post('/admin/login')
      .set('Cookie', 'lang=en')
      .type('form')
      .send({ _csrf: csrf, email: '', password: '' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('This field is required');
    expect(res.text).toContain('aria-invalid="true"');
  });

  it('forces a password change after a one-time password, then works with the new one', async () => {
    const owner = await t.services.users.ensureOwner('first@example.test');
    expect(owner).not.toBeNull();
    const agent = supertest.agent(t.app);
    const res = await login(agent, owner!.email, owner!.password);
    expect(res.headers.location).toBe('/admin/password');
    const csrf = await csrfOf(agent, '/admin/password');
    const short = await agent
      .post('/admin/password')
      .type('form')
      .send({ _csrf: csrf, password: 'short', confirm: 'short' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('密码至少 10 个字符');
    const ok = await agent
      .post('/admin/password')
      .type('form')
      .send({ _csrf: csrf, password: 'a much better password', confirm: 'a much better password' });
    expect(ok.status).toBe(303);
    const again = supertest.agent(t.app);
    expect((await login(again, owner!.email, owner!.password)).status).toBe(401);
    expect((await login(again, owner!.email, 'a much better password')).status).toBe(303);
    expect(await t.services.users.ensureOwner()).toBeNull();
  });

  it('logs out and forgets the session', async () => {
    const { agent, csrf } = await t.signedIn('host');
    const res = await agent.post('/admin/logout').type('form').send({ _csrf: csrf });
    expect(res.status).toBe(303);
    const after = await agent.get('/admin/password');
    expect(after.status).toBe(303);
    expect(after.headers.location).toContain('/admin/login');
  });
});
