/** The public front page lists non-draft contests with the links their status allows. */
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  const c = t.services.contests;
  await c.createContest({ slug: 'open-call', name: { zh: '报名中的大赛' }, status: 'registration-open' });
  await c.createContest({ slug: 'on-stage', name: { zh: '进行中的大赛' }, status: 'live' });
  await c.createContest({ slug: 'secret-plan', name: { zh: '草稿大赛' }, status: 'draft' });
});
afterAll(async () => {
  await t.destroy();
});

describe('public front page', () => {
  it('lists public contests with their links and hides drafts', async () => {
    const res = await supertest(t.app).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('报名中的大赛');
    expect(res.text).toContain('href="/contests/open-call/register"');
    expect(res.text).not.toContain('href="/contests/on-stage/register"');
    expect(res.text).toContain('href="/live/on-stage"');
    expect(res.text).not.toContain('草稿大赛');
    expect(res.text).not.toContain('secret-plan');
  });

  it('speaks English when asked', async () => {
    const res = await supertest(t.app).get('/').set('Cookie', 'lang=en');
    expect(res.text).toContain('Register');
    expect(res.text).toContain('lang="en"');
  });
});
