/**
 * Turns a flat urlencoded form body (`name.zh`, `scoring.trim`, `isHeadJudge=on`) into the nested
 * object the Zod schemas validate, coercing each field by a declared kind. Values that cannot be
 * coerced are kept as typed so validation names them and the form shows them again.
 */
import { parseChinaTime } from '../services/china-time.js';

export type FieldKind = 'string' | 'int' | 'number' | 'number?' | 'bool' | 'date?' | 'datetime?';
export type FormSpec = Record<string, FieldKind>;

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  parts.forEach((part, i) => {
    if (i === parts.length - 1) {
      node[part] = value;
      return;
    }
    const next = node[part];
    if (next === null || typeof next !== 'object') node[part] = {};
    node = node[part] as Record<string, unknown>;
  });
}

function coerce(kind: FieldKind, raw: unknown): unknown {
  const text = Array.isArray(raw) ? String(raw.at(-1) ?? '') : raw === undefined ? undefined : String(raw);
  switch (kind) {
    case 'bool':
      return text === 'on' || text === 'true' || text === '1';
    case 'string':
      return text ?? '';
    case 'date?':
      return text ? text : null;
    case 'datetime?':
      // China time as typed in a datetime-local input → ISO UTC; kept as typed when it is not one.
      return text?.trim() ? (parseChinaTime(text) ?? text) : null;
    case 'int':
    case 'number':
    case 'number?': {
      if (text === undefined || text.trim() === '') return kind === 'number?' ? null : undefined;
      const n = Number(text.trim());
      return Number.isFinite(n) ? n : text;
    }
  }
}

/** Builds the nested object for `spec` from `body`; fields not in the spec are ignored. */
export function parseForm(body: unknown, spec: FormSpec): Record<string, unknown> {
  const source = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [path, kind] of Object.entries(spec)) {
    const value = coerce(kind, source[path]);
    if (value !== undefined) setPath(out, path, value);
  }
  return out;
}
