/**
 * Zod schemas of the JSON API's requests and responses. They shape what public endpoints send
 * (responses are parsed through them, so a field not listed here never leaves the server) and
 * generate the OpenAPI components. Register a schema in `responseSchemas` (output side) or
 * `requestSchemas` (input side) to make it a named component; the rest are inlined.
 */
import { z } from 'zod';
import {
  ContestDocument,
  ContestStatus,
  LocalizedName,
  PrizeTier,
  Round,
  Track,
} from '../../domain/contest-document.js';

export interface ComponentMeta {
  id: string;
  description: string;
}

/** Named components described on the output side (what the server sends). */
export const responseSchemas = z.registry<ComponentMeta>();
/** Named components described on the input side (what a client may send: defaults optional). */
export const requestSchemas = z.registry<ComponentMeta>();
/** Component descriptions by id (kept apart: z.toJSONSchema reads descriptions from the global registry). */
export const componentDescriptions = new Map<string, string>();

function register(registry: typeof responseSchemas, schema: z.ZodType, meta: ComponentMeta): void {
  registry.add(schema, meta);
  componentDescriptions.set(meta.id, meta.description);
}

const IsoDate = z.iso.date();

export const FieldErrorBody = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
});

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(FieldErrorBody),
  }),
});
register(responseSchemas, ErrorBody, {
  id: 'Error',
  description:
    'Every error: a stable kebab-case `code`, a message in the caller’s language, and field errors whose `path` names the bad spot (`rounds[0].criteria[1].max`).',
});

export const ContestSummary = z.object({
  slug: z.string(),
  name: LocalizedName,
  theme: z.object({ zh: z.string(), en: z.string() }),
  organizer: z.string(),
  venue: z.string(),
  startsOn: IsoDate.nullable(),
  endsOn: IsoDate.nullable(),
  status: ContestStatus,
});
export type ContestSummary = z.infer<typeof ContestSummary>;
register(responseSchemas, ContestSummary, { id: 'ContestSummary', description: 'The public fields of a contest.' });

export const ContestList = z.object({ contests: z.array(ContestSummary) });
register(responseSchemas, ContestList, {
  id: 'ContestList',
  description: 'Contests, newest first. Draft contests are listed only to signed-in organizers.',
});

export const ContestDetail = ContestSummary.extend({
  tracks: z.array(z.object({ key: Track.shape.key, name: LocalizedName, description: Track.shape.description })),
  rounds: z.array(
    z.object({
      key: Round.shape.key,
      name: LocalizedName,
      kind: Round.shape.kind,
      pitchSeconds: Round.shape.pitchSeconds,
      qaSeconds: Round.shape.qaSeconds,
    }),
  ),
  prizeTiers: z.array(z.object({ key: PrizeTier.shape.key, name: LocalizedName })),
});
export type ContestDetail = z.infer<typeof ContestDetail>;
register(responseSchemas, ContestDetail, {
  id: 'ContestDetail',
  description: 'A contest’s public fields with its tracks, rounds (names, kind, timings) and prize tier names.',
});

export const ContestCreated = z.object({ id: z.number().int(), slug: z.string(), url: z.url() });
register(responseSchemas, ContestCreated, {
  id: 'ContestCreated',
  description: 'The imported contest and its API URL.',
});

register(responseSchemas, ContestDocument, {
  id: 'ContestDocument',
  description: 'A whole contest configuration as exported (every field present).',
});
register(requestSchemas, ContestDocument, {
  id: 'ContestDocumentInput',
  description: 'A whole contest configuration to import; fields with defaults may be left out.',
});

export const Health = z.object({
  status: z.enum(['ok', 'error']),
  database: z.enum(['ok', 'error']),
  schemaVersion: z.string().nullable(),
  appVersion: z.string(),
});
export type Health = z.infer<typeof Health>;
register(responseSchemas, Health, {
  id: 'Health',
  description: 'Liveness and readiness: the database answers, and which migration it is at.',
});

/** A JSON document described elsewhere (a JSON Schema, an OpenAPI document). */
export const JsonDocument = z.record(z.string(), z.unknown());
