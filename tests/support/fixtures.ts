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

/** One judge's sheet [innovation, team] for one project (0-based indexes), through the score service. */
export function recordScore(
  services: Services,
  f: LiveFixture,
  judgeIndex: number,
  projectIndex: number,
  [innovation, team]: [number, number],
) {
  return services.scores.record(
    { judgeId: f.judgeIds[judgeIndex]!, contestId: f.contestId },
    {
      submissionId: submissionId(),
      roundId: f.roundId,
      projectId: f.projectIds[projectIndex],
      marks: { innovation, team },
    },
  );
}

/** [innovation, team] per judge in panel order, per project number (1-based); null = no sheet. */
export type Sheets = Record<number, ([number, number] | null)[]>;

/** Lets the stage's auto-close and the broadcaster's timers run. */
export const settle = () => new Promise((r) => setTimeout(r, 30));

/**
 * For each project in `sheets`: call it, open scoring, record every judge's sheet through the
 * score service, and close scoring unless it closed by itself (auto-close after the last sheet).
 */
export async function recordSheets(
  services: Services,
  f: LiveFixture,
  actor: { kind: 'organizer'; id: number },
  sheets: Sheets,
): Promise<void> {
  for (const [pi, perJudge] of Object.entries(sheets)) {
    const projectId = f.projectIds[Number(pi) - 1]!;
    await services.stage.act(f.slug, actor, { kind: 'call', roundId: f.roundId, projectId });
    await services.stage.act(f.slug, actor, { kind: 'open-scoring' });
    for (const [ji, sheet] of perJudge.entries()) {
      if (sheet) await recordScore(services, f, ji, Number(pi) - 1, sheet);
    }
    await settle();
    if ((await services.stage.view(f.slug)).phase === 'scoring')
      await services.stage.act(f.slug, actor, { kind: 'close-scoring' });
  }
  await settle();
}
