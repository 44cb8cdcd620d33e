/** Contest setup: contest, tracks, rounds, rubric, scoring rules, prize tiers, judges, projects. */
import type { MessageSet } from '../catalog.js';

export const contest = {
  'contest.list.title': { zh: '赛事列表', en: 'Contests' },
} satisfies MessageSet;
