/**
 * What the fuzzer throws at an endpoint: mutations of a valid body (fields removed, replaced
 * with the wrong type, huge strings, deep nesting, odd unicode, prototype-pollution keys as own
 * properties) and the raw request around it (content types, charsets, encodings, malformed
 * JSON, bytes that are not UTF-8). All as fast-check arbitraries, so a finding shrinks.
 */
import fc from 'fast-check';

/** Keys that must never reach an object's prototype or break a lookup. */
export const DANGEROUS_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'then',
  '',
  '$where',
  'length',
];

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uD83D',
  '\u202Eevil',
  '\u200B\u200D\uFEFF',
  '😀👨‍👩‍👧‍👦',
  'e\u0301\u0301\u0301',
  '𠮷野家',
  '路演评审',
  '<script>alert(1)</script>',
  "'; DROP TABLE score_version; --",
  '{{constructor.constructor("return process")()}}',
  '../../etc/passwd',
  '%00',
  '\r\nSet-Cookie: x=1',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'true',
  'null',
  '[]',
  '{}',
];

const ODD_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.1,
  0.005,
  1e-7,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e21,
  1e308,
  -1e308,
  5e-324,
];

/** Values of every JSON type, weighted towards the ones that break naive code. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 4, arbitrary: fc.constantFrom<unknown>(...ODD_STRINGS, ...ODD_NUMBERS, null, true, false, [], {}) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 12 }).map((n) => '长'.repeat(n * 1000)) },
  { weight: 1, arbitrary: fc.constantFrom(70_000, 300_000).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 3000 }).map(nestedArray) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 2000 }).map(nestedObject) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => i)) },
);

export function nestedArray(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

export function nestedObject(depth: number): unknown {
  let v: unknown = 'deep';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Sets an own, enumerable property even for `__proto__` (so JSON.stringify writes it). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = [], out: Path[] = [], depth = 0): Path[] {
  out.push(prefix);
  if (depth > 6 || value === null || typeof value !== 'object') return out;
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  for (const [k, v] of entries.slice(0, 40)) paths(v, [...prefix, k], out, depth + 1);
  return out;
}

const clone = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

export type Op =
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'add-key'; at: number; key: string; value: unknown }
  | { kind: 'wrap'; at: number }
  | { kind: 'to-string'; at: number }
  | { kind: 'duplicate-array'; at: number; times: number };

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: junkValue }),
  fc.record({
    kind: fc.constant('add-key' as const),
    at: fc.nat(),
    key: fc.oneof(fc.constantFrom(...DANGEROUS_KEYS), fc.string({ unit: 'binary', maxLength: 20 })),
    value: fc.oneof(
      junkValue,
      fc.constant({ isAdmin: true, role: 'owner', polluted: 'yes' }),
      fc.constant({ prototype: { polluted: 'yes' } }),
    ),
  }),
  fc.record({ kind: fc.constant('wrap' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('to-string' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-array' as const), at: fc.nat(), times: fc.integer({ min: 2, max: 600 }) }),
);

/** Applies mutations to a copy of `value`. */
export function mutate(value: unknown, ops: Op[]): unknown {
  let root: unknown = clone(value);
  for (const op of ops) {
    const all = paths(root);
    const path = all[op.at % all.length]!;
    const parentPath = path.slice(0, -1);
    const key = path.at(-1);
    let parent: unknown = root;
    for (const k of parentPath) parent = (parent as Record<string | number, unknown>)[k];
    const get = () => (key === undefined ? root : (parent as Record<string | number, unknown>)[key]);
    const set = (v: unknown) => {
      if (key === undefined) root = v;
      else if (Array.isArray(parent)) parent[key as number] = v;
      else setOwn(parent as Record<string, unknown>, String(key), v);
    };
    switch (op.kind) {
      case 'delete':
        if (key === undefined) root = undefined;
        else if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete (parent as Record<string, unknown>)[String(key)];
        break;
      case 'replace':
        set(clone(op.value));
        break;
      case 'add-key': {
        const target = get();
        if (target && typeof target === 'object' && !Array.isArray(target))
          setOwn(target as Record<string, unknown>, op.key, clone(op.value));
        else set({ [op.key === '__proto__' ? 'x' : op.key]: clone(op.value) });
        break;
      }
      case 'wrap':
        set([get()]);
        break;
      case 'to-string':
        set(typeof get() === 'string' ? Number(get()) : (JSON.stringify(get()) ?? 'undefined'));
        break;
      case 'duplicate-array': {
        const target = get();
        if (Array.isArray(target) && target.length)
          set(Array.from({ length: op.times }, (_, i) => target[i % target.length]));
        break;
      }
    }
  }
  return root;
}

/** How the body goes over the wire. */
export type Encoding =
  | { kind: 'json'; contentType: string }
  | { kind: 'form' }
  | {
      kind: 'malformed';
      how: 'truncate' | 'bom' | 'trailing' | 'flip' | 'comma' | 'single-quotes' | 'open-braces';
      at: number;
    }
  | { kind: 'bytes'; bytes: number[] }
  | { kind: 'empty'; contentType: string | null }
  | { kind: 'gzip-garbage' }
  | { kind: 'charset'; charset: string };

export const encodingArb: fc.Arbitrary<Encoding> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('json' as const),
      contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/JSON'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('json' as const),
      contentType: fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=fuzz',
        'multipart/form-data',
        'application/xml',
        'application/vnd.api+json',
        'application/csp-report',
        '*/*',
        'application/json; boundary=x; charset=utf-8; charset=utf-8',
        ';;;',
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('form' as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('malformed' as const),
      how: fc.constantFrom(
        'truncate',
        'bom',
        'trailing',
        'flip',
        'comma',
        'single-quotes',
        'open-braces',
      ) as fc.Arbitrary<'truncate' | 'bom' | 'trailing' | 'flip' | 'comma' | 'single-quotes' | 'open-braces'>,
      at: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('empty' as const),
      contentType: fc.constantFrom('application/json', null),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('gzip-garbage' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('charset' as const),
      charset: fc.constantFrom('utf-16', 'latin1', 'utf-32', 'koi8-r', 'gbk', 'x-evil'),
    }),
  },
);

/** encodeURIComponent that does not throw on lone surrogates (they become U+FFFD). */
export function safeEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
  }
}

function formEncode(value: unknown): string {
  if (value === null || typeof value !== 'object') return `value=${safeEncode(String(value))}`;
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${safeEncode(k)}=${safeEncode(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`)
    .join('&');
}

/** Bodies are capped a little above the server's 5 MB limit: bigger ones test nothing more. */
export const MAX_BODY_CHARS = 6 * 1024 * 1024;

/** The request body and its headers for a value and an encoding. */
export function encode(value: unknown, enc: Encoding): { body: Buffer | undefined; headers: Record<string, string> } {
  let json = JSON.stringify(value) ?? 'null';
  if (json.length > MAX_BODY_CHARS) {
    json = JSON.stringify({ oversized: 'x'.repeat(MAX_BODY_CHARS) });
    value = JSON.parse(json) as unknown;
  }
  switch (enc.kind) {
    case 'json':
      return { body: Buffer.from(json), headers: { 'content-type': enc.contentType } };
    case 'form':
      return { body: Buffer.from(formEncode(value)), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    case 'malformed': {
      const at = json.length ? enc.at % json.length : 0;
      const text =
        enc.how === 'truncate'
          ? json.slice(0, at)
          : enc.how === 'bom'
            ? '\uFEFF' + json
            : enc.how === 'trailing'
              ? json + '}{"x":'
              : enc.how === 'flip'
                ? json.slice(0, at) + String.fromCharCode(json.charCodeAt(at) ^ 0x20 || 0x41) + json.slice(at + 1)
                : enc.how === 'comma'
                  ? json.replace(/}$/, ',}')
                  : enc.how === 'single-quotes'
                    ? json.replace(/"/g, "'")
                    : '{"a":'.repeat(2000 + (enc.at % 20_000));
      return { body: Buffer.from(text), headers: { 'content-type': 'application/json' } };
    }
    case 'bytes':
      return { body: Buffer.from(enc.bytes), headers: { 'content-type': 'application/json' } };
    case 'empty':
      return { body: Buffer.alloc(0), headers: enc.contentType ? { 'content-type': enc.contentType } : {} };
    case 'gzip-garbage':
      return {
        body: Buffer.from(json),
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      };
    case 'charset':
      return { body: Buffer.from(json), headers: { 'content-type': `application/json; charset=${enc.charset}` } };
  }
}
