/**
 * The explicit, ordered list of migrations. Names are dated and never change once shipped;
 * append new entries at the end.
 */
import type { Migration } from 'kysely';
import * as m0001 from './2026-11-23-0001-contest-setup.js';

export const migrations: Record<string, Migration> = {
  '2026-11-23-0001-contest-setup': m0001,
};

export const latestMigration = Object.keys(migrations).at(-1)!;
