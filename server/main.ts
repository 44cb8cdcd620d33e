/**
 * Process entry: config → open the database (pragmas) → back up → migrate → first owner →
 * demo on an empty database → createApp → audience process (when configured) → listen →
 * graceful shutdown on SIGINT/SIGTERM.
 */
import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { backupDatabase, hasPendingMigrations, migrateToLatest, openSqlite } from '../db/database.js';
import { createApp } from './app.js';
import { seedDemoIfEmpty } from './services/demo.service.js';
import { startAudienceProcess } from './realtime/audience-process.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const opened = openSqlite(config.databaseFile);
  if (await hasPendingMigrations(opened.db)) {
    const backup = await backupDatabase(opened, path.join(config.dataDir, 'backups'));
    if (backup) logger.info({ backup }, 'backed up the database before migrating');
    const ran = await migrateToLatest(opened.db);
    logger.info({ migrations: ran }, 'migrated');
  }

  const built = createApp({ config, db: opened.db, logger });
  const owner = await built.services.users.ensureOwner();
  const demo = await seedDemoIfEmpty(built.services);
  const rearmed = await built.services.stage.rearm();
  if (rearmed) logger.info({ rearmed }, 're-armed automatic scoring closes');
  const audience = config.audience
    ? await startAudienceProcess(built, config.audience, { host: config.host, publicUrl: config.publicUrl, logger })
    : null;

  await new Promise<void>((resolve) => built.httpServer.listen(config.port, config.host, resolve));
  const url = config.publicUrl;
  logger.info({ url }, 'listening');
  const lines = [``, `  路演评审系统 Roadshow is running: ${url}`, `  Organizer console: ${url}/admin/login`];
  if (demo) lines.push(`  Demo contest: ${url}/admin/contests/${demo.slug}`);
  if (config.audience) lines.push(`  Audience (/screen) served from: ${config.audience.url}`);
  if (owner) {
    lines.push(`  First owner account (one-time password, shown only now):`);
    lines.push(`    email:    ${owner.email}`, `    password: ${owner.password}`);
  }
  console.log(lines.join('\n') + '\n');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    built.httpServer.closeIdleConnections?.();
    await audience?.close();
    await built.close();
    await opened.db.destroy();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
