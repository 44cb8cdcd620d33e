/**
 * Rows of a contest's configuration (tracks, rounds with scoring rules and criteria, prize tiers,
 * judges, projects, conflicts) mapped to and from the contest document's types. Points are
 * converted to integer hundredths and weights to thousandths here and nowhere else.
 */
import type { Db } from '../../db/database.js';
import { prepareQuery } from '../../db/prepared-query.js';
import {
  ScoringRules,
  type Conflict,
  type Criterion,
  type Judge,
  type PrizeTier,
  type Project,
  type Round,
  type Track,
} from '../domain/contest-document.js';
import { CENTI, MILLI, fromUnits, toUnits } from '../domain/units.js';

/** Exact after validation (the schema refuses values that would need rounding). */
function units(value: number, scale: number): number {
  const u = toUnits(value, scale);
  if (u === null) throw new Error(`value ${value} is not exact in 1/${scale} units`);
  return u;
}
const points = (v: number) => units(v, CENTI);
const fromPoints = (u: number) => fromUnits(u, CENTI);

// ---- tracks
const tracksOf = prepareQuery((db: Db, $: { contestId: number }) =>
  db
    .selectFrom('track')
    .selectAll()
    .where('contest_id', '=', $.contestId)
    .orderBy('position'),
);

export async function listTracks(db: Db, contestId: number) {
  const rows = await tracksOf.all(db, { contestId });
  return rows.map((r) => ({
    id: r.id,
    item: { key: r.key, name: { zh: r.name_zh, en: r.name_en }, description: r.description } satisfies Track,
  }));
}
const trackRow = (t: Track) => ({ key: t.key, name_zh: t.name.zh, name_en: t.name.en, description: t.description });
export async function insertTrack(db: Db, contestId: number, t: Track, position: number): Promise<number> {
  return (
    await db
      .insertInto('track')
      .values({ contest_id: contestId, position, ...trackRow(t) })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}
export async function updateTrack(db: Db, id: number, t: Track): Promise<void> {
  await db.updateTable('track').set(trackRow(t)).where('id', '=', id).execute();
}
export async function deleteTrack(db: Db, id: number): Promise<void> {
  await db.deleteFrom('track').where('id', '=', id).execute();
}

// ---- rounds (with their scoring rule) and criteria
const roundsOf = prepareQuery((db: Db, $: { contestId: number }) =>
  db
    .selectFrom('round')
    .innerJoin('scoring_rule', 'scoring_rule.round_id', 'round.id')
    .selectAll()
    .where('round.contest_id', '=', $.contestId)
    .orderBy('round.position'),
);

export async function listRounds(db: Db, contestId: number) {
  const rows = await roundsOf.all(db, { contestId });
  return rows.map((r) => ({
    id: r.id,
    item: {
      key: r.key,
      name: { zh: r.name_zh, en: r.name_en },
      kind: r.kind,
      pitchSeconds: r.pitch_seconds,
      qaSeconds: r.qa_seconds,
      combine: { mode: r.combine_mode, priorWeightPercent: r.prior_weight_percent },
      advancement: { mode: r.advancement_mode, count: r.advancement_count, tieAtCutoff: r.tie_at_cutoff },
      scoring: ScoringRules.parse({
        method: r.method,
        trim: r.trim,
        minJudgesForTrim: r.min_judges_for_trim,
        decimals: r.decimals,
        tieBreaks: JSON.parse(r.tie_breaks),
        missingScore: r.missing_score,
        normalization: r.normalization,
        groupWeights: r.group_weights ? JSON.parse(r.group_weights) : null,
      }),
      criteria: [] as Criterion[],
    } satisfies Round,
  }));
}
const roundRow = (r: Round) => ({
  key: r.key,
  name_zh: r.name.zh,
  name_en: r.name.en,
  kind: r.kind,
  pitch_seconds: r.pitchSeconds,
  qa_seconds: r.qaSeconds,
  combine_mode: r.combine.mode,
  prior_weight_percent: r.combine.priorWeightPercent,
  advancement_mode: r.advancement.mode,
  advancement_count: r.advancement.count,
  tie_at_cutoff: r.advancement.tieAtCutoff,
});
const ruleRow = (s: ScoringRules) => ({
  method: s.method,
  trim: s.trim,
  min_judges_for_trim: s.minJudgesForTrim,
  decimals: s.decimals,
  tie_breaks: JSON.stringify(s.tieBreaks),
  missing_score: s.missingScore,
  normalization: s.normalization,
  group_weights: s.groupWeights ? JSON.stringify(s.groupWeights) : null,
});
export async function insertRound(db: Db, contestId: number, r: Round, position: number): Promise<number> {
  const { id } = await db
    .insertInto('round')
    .values({ contest_id: contestId, position, ...roundRow(r) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('scoring_rule')
    .values({ round_id: id, ...ruleRow(r.scoring) })
    .execute();
  return id;
}
export async function updateRound(db: Db, id: number, r: Round): Promise<void> {
  await db.updateTable('round').set(roundRow(r)).where('id', '=', id).execute();
  await db.updateTable('scoring_rule').set(ruleRow(r.scoring)).where('round_id', '=', id).execute();
}
export async function deleteRound(db: Db, id: number): Promise<void> {
  await db.deleteFrom('round').where('id', '=', id).execute();
}

const criteriaOf = prepareQuery((db: Db, $: { contestId: number }) =>
  db
    .selectFrom('criterion')
    .innerJoin('round', 'round.id', 'criterion.round_id')
    .selectAll('criterion')
    .where('round.contest_id', '=', $.contestId)
    .orderBy('criterion.round_id')
    .orderBy('criterion.position'),
);

export async function listCriteria(db: Db, contestId: number) {
  const rows = await criteriaOf.all(db, { contestId });
  return rows.map((r) => ({
    id: r.id,
    roundId: r.round_id,
    item: {
      key: r.key,
      name: { zh: r.name_zh, en: r.name_en },
      description: r.description,
      levels: JSON.parse(r.levels) as Criterion['levels'],
      min: fromPoints(r.min_centi),
      max: fromPoints(r.max_centi),
      step: fromPoints(r.step_centi),
      weight: fromUnits(r.weight_milli, MILLI),
    } satisfies Criterion,
  }));
}
const criterionRow = (c: Criterion) => ({
  key: c.key,
  name_zh: c.name.zh,
  name_en: c.name.en,
  description: c.description,
  levels: JSON.stringify(c.levels),
  min_centi: points(c.min),
  max_centi: points(c.max),
  step_centi: points(c.step),
  weight_milli: units(c.weight, MILLI),
});
export async function insertCriterion(db: Db, roundId: number, c: Criterion, position: number): Promise<number> {
  return (
    await db
      .insertInto('criterion')
      .values({ round_id: roundId, position, ...criterionRow(c) })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}
export async function updateCriterion(db: Db, id: number, c: Criterion): Promise<void> {
  await db.updateTable('criterion').set(criterionRow(c)).where('id', '=', id).execute();
}
export async function deleteCriterion(db: Db, id: number): Promise<void> {
  await db.deleteFrom('criterion').where('id', '=', id).execute();
}

// ---- prize tiers
const prizeTiersOf = prepareQuery((db: Db, $: { contestId: number }) =>
  db
    .selectFrom('prize_tier')
    .selectAll()
    .where('contest_id', '=', $.contestId)
    .orderBy('position'),
);

export async function listPrizeTiers(db: Db, contestId: number) {
  const rows = await prizeTiersOf.all(db, { contestId });
  return rows.map((r) => ({
    id: r.id,
    item: {
      key: r.key,
      name: { zh: r.name_zh, en: r.name_en },
      scope: r.scope,
      quotaKind: r.quota_kind,
      quota: r.quota,
      minScore: r.min_score_centi === null ? null : fromPoints(r.min_score_centi),
      precedence: r.precedence,
      audience: r.audience === 1,
    } satisfies PrizeTier,
  }));
}
const tierRow = (p: PrizeTier) => ({
  key: p.key,
  name_zh: p.name.zh,
  name_en: p.name.en,
  scope: p.scope,
  quota_kind: p.quotaKind,
  quota: p.quota,
  min_score_centi: p.minScore === null ? null : points(p.minScore),
  precedence: p.precedence,
  audience: p.audience ? 1 : 0,
});
export async function insertPrizeTier(db: Db, contestId: number, p: PrizeTier, position: number): Promise<number> {
  return (
    await db
      .insertInto('prize_tier')
      .values({ contest_id: contestId, position, ...tierRow(p) })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}
export async function updatePrizeTier(db: Db, id: number, p: PrizeTier): Promise<void> {
  await db.updateTable('prize_tier').set(tierRow(p)).where('id', '=', id).execute();
}
export async function deletePrizeTier(db: Db, id: number): Promise<void> {
  await db.deleteFrom('prize_tier').where('id', '=', id).execute();
}

// ---- judges
const judgesOf = prepareQuery((db: Db, $: { contestId: number }) =>
  db
    .selectFrom('judge')
    .selectAll()
    .where('contest_id', '=', $.contestId)
    .orderBy('position'),
);

export async function listJudges(db: Db, contestId: number) {
  const rows = await judgesOf.all(db, { contestId });
  return rows.map((r) => ({
    id: r.id,
    item: {
      key: r.key,
      name: r.name,
      title: r.title,
      institution: r.institution,
      group: r.judge_group,
      isHeadJudge: r.is_head_judge === 1,
      email: r.email,
      phone: r.phone,
    } satisfies Judge,
  }));
}
const judgeRow = (j: Judge) => ({
  key: j.key,
  name: j.name,
  title: j.title,
  institution: j.institution,
  judge_group: j.group,
  is_head_judge: j.isHeadJudge ? 1 : 0,
  email: j.email,
  phone: j.phone,
});
export async function insertJudge(db: Db, contestId: number, j: Judge, position: number): Promise<number> {
  return (
    await db
      .insertInto('judge')
      .values({ contest_id: contestId, position, ...judgeRow(j) })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}
export async function updateJudge(db: Db, id: number, j: Judge): Promise<void> {
  await db.updateTable('judge').set(judgeRow(j)).where('id', '=', id).execute();
}
export async function deleteJudge(db: Db, id: number): Promise<void> {
  await db.deleteFrom('judge').where('id', '=', id).execute();
}

// ---- projects
const projectsOf = prepareQuery((db: Db, $: { contestId: number }) =>
  db
    .selectFrom('project')
    .innerJoin('track', 'track.id', 'project.track_id')
    .selectAll('project')
    .select('track.key as track_key')
    .where('project.contest_id', '=', $.contestId)
    .orderBy('project.position'),
);

export async function listProjects(db: Db, contestId: number) {
  const rows = await projectsOf.all(db, { contestId });
  return rows.map((r) => ({
    id: r.id,
    item: {
      ref: r.ref,
      title: r.title,
      trackKey: r.track_key,
      institution: r.institution,
      leader: { name: r.leader_name, phone: r.leader_phone, email: r.leader_email },
      members: JSON.parse(r.members) as Project['members'],
      stage: r.stage,
      summary: r.summary,
      status: r.status,
      outOfCompetition: r.out_of_competition === 1,
    } satisfies Project,
  }));
}
const projectRow = (p: Project, trackId: number) => ({
  ref: p.ref,
  title: p.title,
  track_id: trackId,
  institution: p.institution,
  leader_name: p.leader.name,
  leader_phone: p.leader.phone,
  leader_email: p.leader.email,
  members: JSON.stringify(p.members),
  stage: p.stage,
  summary: p.summary,
  status: p.status,
  out_of_competition: p.outOfCompetition ? 1 : 0,
});
export async function insertProject(
  db: Db,
  contestId: number,
  p: Project,
  trackId: number,
  position: number,
  now: string,
): Promise<number> {
  const values = { contest_id: contestId, position, created_at: now, updated_at: now, ...projectRow(p, trackId) };
  return (await db.insertInto('project').values(values).returning('id').executeTakeFirstOrThrow()).id;
}
export async function updateProject(db: Db, id: number, p: Project, trackId: number, now: string): Promise<void> {
  await db
    .updateTable('project')
    .set({ ...projectRow(p, trackId), updated_at: now })
    .where('id', '=', id)
    .execute();
}
export async function deleteProject(db: Db, id: number): Promise<void> {
  await db.deleteFrom('project').where('id', '=', id).execute();
}

// ---- conflicts
const conflictsOf = prepareQuery((db: Db, $: { contestId: number }) =>
  db
    .selectFrom('judge_conflict')
    .innerJoin('judge', 'judge.id', 'judge_conflict.judge_id')
    .innerJoin('project', 'project.id', 'judge_conflict.project_id')
    .select([
      'judge_conflict.id',
      'judge.key as judge_key',
      'project.ref as project_ref',
      'judge_conflict.reason',
      'judge_conflict.source',
    ])
    .where('judge.contest_id', '=', $.contestId)
    .where('judge_conflict.waived_at', 'is', null)
    .orderBy('judge.position')
    .orderBy('project.position'),
);

export async function listConflicts(db: Db, contestId: number) {
  const rows = await conflictsOf.all(db, { contestId });
  return rows.map((r) => ({
    id: r.id,
    item: { judgeKey: r.judge_key, projectRef: r.project_ref, reason: r.reason, source: r.source } satisfies Conflict,
  }));
}
/** Adds a conflict, or reinstates a waived one for the same pair (rows are kept for the record). */
export async function insertConflict(db: Db, judgeId: number, projectId: number, c: Conflict, now: string): Promise<number> {
  const values = { judge_id: judgeId, project_id: projectId, reason: c.reason, source: c.source, created_at: now };
  const row = await db
    .insertInto('judge_conflict')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['judge_id', 'project_id']).doUpdateSet({ reason: c.reason, source: c.source, waived_at: null, waived_reason: '' }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
export async function updateConflict(
  db: Db,
  id: number,
  judgeId: number,
  projectId: number,
  c: Conflict,
): Promise<void> {
  await db
    .updateTable('judge_conflict')
    .set({ judge_id: judgeId, project_id: projectId, reason: c.reason, source: c.source })
    .where('id', '=', id)
    .execute();
}
/** Lifts a conflict: the row stays, marked waived (the conflicts page records a reason the same way). */
export async function deleteConflict(db: Db, id: number, now: string): Promise<void> {
  await db
    .updateTable('judge_conflict')
    .set({ waived_at: now, waived_reason: 'removed in the contest editor' })
    .where('id', '=', id)
    .execute();
}
