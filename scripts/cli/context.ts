/**
 * What every CLI command shares: opening the database the way the server does (config →
 * SQLite → backup when migrations are pending → migrate), the service container, and the
 * error convention: bad input is one line on stderr and exit code 2; anything else is a bug.
 */
import path from 'node:path';
import { z } from 'zod';
import {
  backupDatabase,
  hasPendingMigrations,
  migrateToLatest,
  openSqlite,
  type OpenedDatabase,
} from '../../db/database.js';
import { ConfigError, loadConfig, type Config } from '../../server/config.js';
import { AppError } from '../../server/errors.js';
import { translator } from '../../server/i18n/catalog.js';
import { systemClock } from '../../server/services/clock.js';
import { createServices, type Services } from '../../server/services/index.js';

export const EXIT_BAD_INPUT = 2;

/** An error caused by the user's input; printed as one line, exit code 2. */
export class CliError extends Error {}

export interface CliContext {
  config: Config;
  /** The open database (for commands that work on the file itself, such as backup). */
  opened: OpenedDatabase;
  services: Services;
  /** Prints a line to stdout (commands print results, never log lines). */
  print(line?: string): void;
}

/** Opens the database and services, runs `action`, and closes the database whatever happens. */
export async function withContext<T>(action: (ctx: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const opened = openSqlite(config.databaseFile);
  try {
    if (await hasPendingMigrations(opened.db)) {
      const backup = await backupDatabase(opened, path.join(config.dataDir, 'backups'));
      if (backup) console.error(`Backed up the database to ${backup} before migrating.`);
      await migrateToLatest(opened.db);
    }
    const services = createServices(opened.db, systemClock, config);
    return await action({ config, opened, services, print: (line = '') => console.log(line) });
  } finally {
    await opened.db.destroy();
  }
}

/** Validates command options with Zod; a failure becomes a one-line CliError naming the option. */
export function parseOptions<T extends z.ZodType>(
  schema: T,
  input: unknown,
  nameOf: (key: string) => string = (key) => `--${key}`,
): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const option = issue?.path.length ? `${nameOf(String(issue.path[0]))}: ` : '';
  throw new CliError(`${option}${issue?.message ?? 'invalid input'}`);
}

/** Turns a service's AppError with one of `codes` into a CliError with a message that says what went wrong. */
export async function rethrowAs<T>(promise: Promise<T>, codes: string[], message: string): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof AppError && codes.includes(err.code)) throw new CliError(message);
    throw err;
  }
}

/** A service's "not found" as a CliError naming what was missing. */
export const orNotFound = <T>(promise: Promise<T>, message: string) =>
  rethrowAs(promise, ['not-found', 'contest-not-found'], message);

const t = translator('en');

/** The one-line message for an input error, or null when `err` is not one (a bug: print the stack). */
export function inputErrorMessage(err: unknown): string | null {
  if (err instanceof CliError) return err.message;
  if (err instanceof ConfigError) return err.message.replace(/\n\s*/g, ' ');
  if (err instanceof z.ZodError) {
    const issue = err.issues[0];
    return `${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`;
  }
  if (err instanceof AppError) {
    const fields = err.fields.map((f) => `${f.path}: ${f.code}`).join(', ');
    return `${t(`error.${err.code}`, err.params)} (${err.code}${fields ? `; ${fields}` : ''})`;
  }
  return null;
}
