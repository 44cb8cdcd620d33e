/**
 * A small live contest built through the real contest service: one track, a roadshow round with
 * a two-criterion rubric (innovation 0–20 step 0.5, team 0–15 step 1), N judges (the first is
 * head judge), M approved projects, and judge 2 recused from project 1.
 */
import type { Services } from '../../server/services/index.js';

export interface LiveFixture {
  slug: string;
  contestId: number;
  roundId: number;
  judgeIds: number[];
  projectIds: number[];
}

export async function seedLiveContest(
  services: Services,
  opts: { judges?: number; projects?: number; slug?: string } = {},
): Promise<LiveFixture> {
  const slug = opts.slug ?? 'live-test';
  const c = services.contests;
  await c.createContest({ slug, name: { zh: '现场测试赛' }, status: 'live' });
  await c.editPart(slug, 'tracks', { kind: 'add', input: { key: 'ai', name: { zh: 'AI+医疗健康' } } });
  await c.editPart(slug, 'rounds', {
    kind: 'add',
    input: { key: 'final', name: { zh: '决赛' }, kind: 'roadshow', pitchSeconds: 300, qaSeconds: 300 },
  });
  await c.editPart(
    slug,
    'criteria',
    { kind: 'add', input: { key: 'innovation', name: { zh: '创新性' }, max: 20, step: 0.5 } },
    'final',
  );
  await c.editPart(
    slug,
    'criteria',
    { kind: 'add', input: { key: 'team', name: { zh: '团队' }, max: 15, step: 1 } },
    'final',
  );
  for (let i = 1; i <= (opts.judges ?? 11); i++) {
    await c.editPart(slug, 'judges', {
      kind: 'add',
      input: { key: `j${i}`, name: `评委${i}`, institution: `单位${i}`, group: 'clinical', isHeadJudge: i === 1 },
    });
  }
  for (let i = 1; i <= (opts.projects ?? 4); i++) {
    await c.editPart(slug, 'projects', {
      kind: 'add',
      input: {
        ref: `RS-2024-${String(i).padStart(4, '0')}`,
        title: `项目${i}`,
        trackKey: 'ai',
        institution: `医院${i}`,
        leader: { name: `负责人${i}` },
        status: 'approved',
      },
    });
  }
  await c.editPart(slug, 'conflicts', {
    kind: 'add',
    input: { judgeKey: 'j2', projectRef: 'RS-2024-0001', reason: '同单位' },
  });
  const loaded = await c.load(slug);
  return {
    slug,
    contestId: loaded.id,
    roundId: loaded.ids.rounds.get('final')!,
    judgeIds: loaded.doc.judges.map((j) => loaded.ids.judges.get(j.key)!),
    projectIds: loaded.doc.projects.map((p) => loaded.ids.projects.get(p.ref)!),
  };
}

let n = 0;
/** A client-style submission id (what the tablet generates with crypto.getRandomValues). */
export function submissionId(): string {
  return `sub-${Date.now().toString(36)}-${(++n).toString(36).padStart(8, '0')}`;
}
