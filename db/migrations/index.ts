/**
 * The explicit, ordered list of migrations. Names are dated and never change once shipped;
 * append new entries at the end.
 */
import type { Migration } from 'kysely';
import * as m0001 from './2026-11-23-0001-contest-setup.js';
import * as m0002 from './2026-11-23-0002-registration-schedule.js';
import * as m0003 from './2026-11-23-0003-live-judging.js';
import * as m0004 from './2026-11-23-0004-results-awards.js';
import * as m0005 from './2026-11-23-0005-audience.js';

export const migrations: Record<string, Migration> = {
  '2026-11-23-0001-contest-setup': m0001,
  '2026-11-23-0002-registration-schedule': m0002,
  '2026-11-23-0003-live-judging': m0003,
  '2026-11-23-0004-results-awards': m0004,
  '2026-11-23-0005-audience': m0005,
};

export const latestMigration = Object.keys(migrations).at(-1)!;
