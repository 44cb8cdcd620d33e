/**
 * fast-check arbitraries from JSON Schema (as `z.toJSONSchema` writes it for the API's Zod
 * bodies): values that mostly satisfy the schema, so the fuzzer gets past the first validation
 * layer and mutations then probe the deeper ones. Strings are kept short (the mutations add the
 * huge ones); recursion is cut off at a fixed depth.
 */
import fc from 'fast-check';

export type JsonSchema = Record<string, unknown>;

const MAX_DEPTH = 8;

function resolveRef(root: JsonSchema, ref: string): JsonSchema | null {
  if (!ref.startsWith('#/')) return null;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node && typeof node === 'object' ? (node as JsonSchema) : null;
}

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  const maxLength = Math.max(minLength, Math.min(typeof s.maxLength === 'number' ? s.maxLength : 24, minLength + 24));
  if (s.format === 'email') return fc.emailAddress();
  if (s.format === 'date')
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  if (s.format === 'date-time')
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (s.format === 'uri' || s.format === 'url') return fc.webUrl();
  if (typeof s.pattern === 'string') {
    try {
      return fc
        .stringMatching(new RegExp(s.pattern))
        .filter((v) => v.length >= minLength && v.length <= Math.max(maxLength, minLength + 64));
    } catch {
      // A pattern fast-check cannot generate from: plain strings (the server will mostly refuse them).
    }
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo =
    typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : -1e6;
  const hi =
    typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : 1e6;
  const min = Math.max(lo, -1e9);
  const max = Math.min(hi, 1e9);
  if (integer) {
    const a = Math.ceil(min + (typeof s.exclusiveMinimum === 'number' ? 1e-9 : 0));
    const b = Math.floor(max - (typeof s.exclusiveMaximum === 'number' ? 1e-9 : 0));
    return fc.integer({ min: Math.min(a, b), max: Math.max(a, b) });
  }
  return fc.oneof(
    fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
    fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: Math.ceil(min * 2), max: Math.floor(max * 2) }).map((n) => n / 2),
  );
}

/** An arbitrary for `schema` (resolving `$ref`s against `root`). */
export function arbitraryFromSchema(schema: JsonSchema, root: JsonSchema = schema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH) return fc.constant(null);
  const next = (s: unknown) => arbitraryFromSchema((s ?? {}) as JsonSchema, root, depth + 1);
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(root, schema.$ref);
    return target ? arbitraryFromSchema(target, root, depth + 1) : fc.jsonValue({ maxDepth: 2 });
  }
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length) return fc.oneof(...alternatives.map(next));
  if (Array.isArray(schema.allOf) && schema.allOf.length) return next(schema.allOf[0]);
  const type = schema.type;
  if (Array.isArray(type)) return fc.oneof(...type.map((t) => next({ ...schema, type: t })));
  switch (type) {
    case 'string':
      return stringArb(schema);
    case 'integer':
      return numberArb(schema, true);
    case 'number':
      return numberArb(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const maxLength = Math.max(
        minLength,
        Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : 4, minLength + 4),
      );
      if (Array.isArray(schema.prefixItems)) return fc.tuple(...schema.prefixItems.map(next));
      return fc.array(next(schema.items), { minLength, maxLength });
    }
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, unknown>;
      const required = new Set((schema.required ?? []) as string[]);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(props)) record[key] = next(sub);
      const requiredKeys = Object.keys(props).filter((k) => required.has(k));
      const fixed = fc.record(record, { requiredKeys }) as fc.Arbitrary<Record<string, unknown>>;
      const extra = schema.additionalProperties;
      if (extra && typeof extra === 'object' && Object.keys(props).length === 0) {
        const keys = schema.propertyNames
          ? (next(schema.propertyNames) as fc.Arbitrary<string>)
          : fc.string({ maxLength: 12 });
        return fc.dictionary(
          keys.filter((k) => typeof k === 'string'),
          next(extra),
          { maxKeys: 4 },
        );
      }
      return fixed;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
