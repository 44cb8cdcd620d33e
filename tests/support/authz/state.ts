/**
 * "Nothing written": a fingerprint of every table (row count and content hash) plus each
 * contest's revision, read straight from SQLite. Left out: the session store (every visit may
 * touch it) and bookkeeping columns a read may legitimately refresh (last seen / last used).
 */
import crypto from 'node:crypto';
import type SQLite from 'better-sqlite3';

/** Tables never compared, and columns blanked before hashing. */
const SKIP_TABLES = new Set(['session', 'kysely_migration', 'kysely_migration_lock']);
const VOLATILE_COLUMNS: Record<string, string[]> = {
  api_token: ['last_used_at'],
  judge_link: ['last_used_at'],
  judge: ['last_seen_at'],
  organizer_user: ['last_login_at'],
};

export interface Fingerprint {
  tables: Record<string, { rows: number; hash: string }>;
  revisions: Record<string, number>;
}

export function tableNames(sqlite: SQLite.Database): string[] {
  const rows = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
    name: string;
  }[];
  return rows.map((r) => r.name).filter((n) => !SKIP_TABLES.has(n) && !n.startsWith('sqlite_'));
}

export function fingerprint(sqlite: SQLite.Database): Fingerprint {
  const tables: Fingerprint['tables'] = {};
  for (const name of tableNames(sqlite)) {
    const rows = sqlite.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[];
    const volatile = VOLATILE_COLUMNS[name] ?? [];
    const hash = crypto.createHash('sha256');
    const lines = rows.map((row) => {
      const copy: Record<string, unknown> = { ...row };
      for (const c of volatile) delete copy[c];
      return JSON.stringify(copy, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v));
    });
    for (const line of lines.sort()) hash.update(line).update('\n');
    tables[name] = { rows: rows.length, hash: hash.digest('hex').slice(0, 16) };
  }
  const revisions = Object.fromEntries(
    (
      sqlite.prepare('SELECT slug, revision FROM contest ORDER BY slug').all() as { slug: string; revision: number }[]
    ).map((r) => [r.slug, r.revision]),
  );
  return { tables, revisions };
}

/** What changed between two fingerprints, as readable lines (empty when nothing did). */
export function changes(before: Fingerprint, after: Fingerprint): string[] {
  const out: string[] = [];
  for (const name of new Set([...Object.keys(before.tables), ...Object.keys(after.tables)])) {
    const a = before.tables[name];
    const b = after.tables[name];
    if (!a || !b || a.rows !== b.rows) out.push(`${name}: ${a?.rows ?? 0} → ${b?.rows ?? 0} rows`);
    else if (a.hash !== b.hash) out.push(`${name}: contents changed`);
  }
  for (const slug of new Set([...Object.keys(before.revisions), ...Object.keys(after.revisions)])) {
    if (before.revisions[slug] !== after.revisions[slug])
      out.push(`contest ${slug}: revision ${before.revisions[slug]} → ${after.revisions[slug]}`);
  }
  return out;
}
