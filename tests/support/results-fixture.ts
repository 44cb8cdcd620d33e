/**
 * A small contest with locked awards, shared by the results-output tests (certificates, exports,
 * publication, results package): two tracks, track prizes 一等奖 / 二等奖, five judges with one
 * recusal, every score recorded through the real services.
 */
import type { TestApp } from './app.js';
import { recordSheets, seedLiveContest, type Sheets } from './fixtures.js';

export const SLUG = 'pub-test';
export const P = (i: number) => `RS-2024-${String(i).padStart(4, '0')}`;
export const TITLE = '基于深度学习的早期肺癌CT影像智能筛查系统';
export const INSTITUTION = '首都医科大学附属北京友谊医院';
/** [innovation, team] per judge j1..j5; null = recused (j2 from project 1). */
export const MARKS: Sheets = {
  1: [[18, 12], null, [18.5, 13], [17, 12], [19, 13]], // 4 judges, no trim: 122.5/4 = 30.63
  2: [
    [20, 13],
    [8, 7],
    [18, 12],
    [18, 13],
    [17, 12],
  ], // drop 15, 33: 90/3 = 30.00
  3: [
    [16, 12],
    [18, 12],
    [17, 12],
    [18, 13],
    [18, 12],
  ], // drop 28, 31: 89/3 = 29.67
  4: [
    [18, 12],
    [16, 12],
    [18, 13],
    [17, 12],
    [14, 12],
  ], // drop 26, 31: 87/3 = 29.00 (track drug)
};
export { settle } from './fixtures.js';

/** The contest, two tracks, track prizes 一等奖 / 二等奖, every score recorded; locked unless told not to. */
export async function seed(t: TestApp, lock = true) {
  const f = await seedLiveContest(t.services, { judges: 5, projects: 4, slug: SLUG });
  const admin = await t.organizer('admin');
  const actor = { kind: 'organizer' as const, id: admin.id };
  const c = t.services.contests;
  await c.updateContest(SLUG, {
    slug: SLUG,
    name: { zh: '2024北京城市副中心创新医学转化大赛', en: 'Beijing Sub-center Medical Transformation Contest 2024' },
    organizer: '北京城市副中心医学转化大赛组委会',
    status: 'live',
    startsOn: '2024-11-23',
  });
  await c.editPart(SLUG, 'tracks', { kind: 'add', input: { key: 'drug', name: { zh: '创新药品', en: 'Drugs' } } });
  const doc = (await c.load(SLUG)).doc;
  const project = (i: number) => doc.projects.find((p) => p.ref === P(i))!;
  await c.editPart(SLUG, 'projects', {
    kind: 'update',
    key: P(1),
    input: {
      ...project(1),
      title: TITLE,
      institution: INSTITUTION,
      leader: { name: '张明远', phone: '13800138000', email: 'zhang.secret@example.test' },
      members: [{ name: '李晓华' }, { name: '王建国' }],
    },
  });
  await c.editPart(SLUG, 'projects', { kind: 'update', key: P(4), input: { ...project(4), trackKey: 'drug' } });
  for (const [key, zh, precedence] of [
    ['first', '一等奖', 1],
    ['second', '二等奖', 2],
  ] as const)
    await c.editPart(SLUG, 'prizeTiers', {
      kind: 'add',
      input: { key, name: { zh, en: key }, scope: 'track', quotaKind: 'count', quota: 1, precedence },
    });
  await recordSheets(t.services, f, actor, MARKS);
  if (lock) await t.services.awards.lock(SLUG, actor, {});
  return { f, admin, actor };
}
