/**
 * `backup`: an online backup of the live database (safe while judges are scoring: SQLite's
 * backup API copies a consistent snapshot) plus a copy of the uploaded decks, then a check of
 * the copy. `backup:verify <file>`
 * checks any copy: PRAGMA integrity_check and every contest's ledger chain.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { openSqlite } from '../../db/database.js';
import { systemClock } from '../../server/services/clock.js';
import { createLedgerService } from '../../server/services/ledger.service.js';
import { CliError, withContext } from './context.js';

export interface BackupCheck {
  file: string;
  integrity: string;
  ledgers: { contestId: number; ok: boolean; count?: number; head?: string; seq?: number; reason?: string }[];
  ok: boolean;
}

/** Opens a database copy and checks its integrity and every ledger chain. */
export async function checkBackup(file: string): Promise<BackupCheck> {
  if (!fs.existsSync(file)) throw new CliError(`no such file: ${file}`);
  const opened = openSqlite(file);
  try {
    const integrity = (opened.sqlite.pragma('integrity_check', { simple: true }) as string) ?? 'unknown';
    const ledger = createLedgerService(opened.db, systemClock);
    const ledgers: BackupCheck['ledgers'] = [];
    for (const contestId of await ledger.contestIds()) ledgers.push({ contestId, ...(await ledger.verify(contestId)) });
    return { file, integrity, ledgers, ok: integrity === 'ok' && ledgers.every((l) => l.ok) };
  } finally {
    await opened.db.destroy();
  }
}

function report(check: BackupCheck, print: (line: string) => void): void {
  print(`integrity_check: ${check.integrity}`);
  for (const l of check.ledgers) {
    print(
      l.ok
        ? `ledger contest ${l.contestId}: ok (${l.count} entries, head ${l.head})`
        : `ledger contest ${l.contestId}: BAD at seq ${l.seq} (${l.reason})`,
    );
  }
  print(check.ok ? 'backup verified' : 'backup FAILED verification');
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('Online backup of the database into DATA_DIR/backups (or --out), then verify the copy')
    .option('--out <file>', 'where to write the backup')
    .action(async (options: { out?: string }) => {
      await withContext(async ({ config, opened, print }) => {
        if (opened.file === ':memory:') throw new CliError('an in-memory database cannot be backed up');
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const target = path.resolve(options.out ?? path.join(config.dataDir, 'backups', `roadshow-manual-${stamp}.db`));
        if (fs.existsSync(target)) throw new CliError(`refusing to overwrite ${target}`);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        await opened.sqlite.backup(target);
        print(`backup written: ${target}`);
        // Pitch decks live beside the database; copy them next to the backup (the database holds their hashes).
        const uploads = path.join(config.dataDir, 'uploads');
        if (fs.existsSync(uploads)) {
          fs.cpSync(uploads, `${target}.uploads`, { recursive: true });
          print(`uploads copied: ${target}.uploads`);
        }
        const check = await checkBackup(target);
        report(check, print);
        if (!check.ok) process.exitCode = 1;
      });
    });

  program
    .command('backup:verify <file>')
    .description('Check a backup copy: integrity and every ledger chain')
    .action(async (file: string) => {
      const check = await checkBackup(path.resolve(file));
      report(check, (line) => console.log(line));
      if (!check.ok) process.exitCode = 1;
    });
}
