import { buildApp } from './app.ts';
import { readBackupSchedule, startBackupSchedule } from './backup.ts';
import { ConfigError, readConfig } from './config.ts';
import { parseAllowList, startMllpListener } from './integration/hl7/listener.ts';
import { startCheckpointer } from './db/checkpointer.ts';
import { applyMigrations, openDatabase } from './db/client.ts';
import { prettyLogStream } from './pretty-log.ts';
import { demoAccountLines, seedDemoIfEmpty } from './seed/demo.ts';
import { clinicalLookbackDays } from './plausibility.ts';
import { emergencyPerDay } from './security/emergency.ts';
import { allowedHostsFromEnv } from './security/request-guard.ts';

/** How long in-flight requests may take to finish after SIGTERM. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = readConfig();
  const backupSchedule = readBackupSchedule();
  const allowedHosts = allowedHostsFromEnv();
  // Read once at start so a bad value stops the server here, naming the variable.
  emergencyPerDay();
  clinicalLookbackDays();
  if (config.mode === 'production' && allowedHosts.length === 0) {
    throw new ConfigError(
      'OSSIWATCH_ALLOWED_HOSTS must name the host names this server is reached by in production (e.g. ossiwatch.hospital.example)',
    );
  }
  // Checked before anything starts: a wrong allow list must not leave a half-started server.
  const mllpAllow = config.mllp ? parseAllowList(config.mllp.allow) : undefined;
  const db = openDatabase(config.databasePath);
  const migrations = applyMigrations(db);
  const seeded = config.mode === 'demo' ? await seedDemoIfEmpty(db, new Date()) : undefined;
  // Demo mode: warnings and errors only, in words, so the banner below stays in view; production: JSON.
  const logger =
    config.mode === 'demo'
      ? { stream: prettyLogStream(process.stdout), level: process.env.LOG_LEVEL ?? 'warn' }
      : true;
  const app = await buildApp({ db, config, logger, allowedHosts });
  const checkpointer = startCheckpointer(config.databasePath, db.$client, (error) => {
    app.log.error(
      { err: error },
      'the checkpoint thread stopped; checkpointing on the server again',
    );
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const mllp =
    config.mllp && mllpAllow
      ? await startMllpListener(db, {
          port: config.mllp.port,
          host: config.host,
          allow: mllpAllow,
          onError: (error) => app.log.error({ err: error }, 'an HL7 message could not be stored'),
        })
      : undefined;

  const lines = [
    `OssiWatch is running at ${address.replace('[::1]', 'localhost')} (${config.mode} mode)`,
    `database: ${config.databasePath}${migrations > 0 ? ` (${migrations} migration(s) applied)` : ''}${seeded ? `, seeded with the demo hospital (${seeded.patients} patients, ${seeded.romReadings} ROM readings in ${(seeded.millis / 1000).toFixed(1)} s)` : ''}`,
    ...(config.mode === 'demo' ? demoAccountLines() : []),
    ...(mllp
      ? [
          `HL7 v2 (MLLP) listening on ${config.host}:${mllp.port} for ${config.mllp?.allow ?? 'loopback'}; to try it:`,
          `  pnpm ossiwatch hl7:send docs/hl7/admit.hl7 --port ${mllp.port}   (answers AE: location 4WEST is not mapped yet)`,
          `  pnpm ossiwatch location:map --code 4WEST --ward 1 && pnpm ossiwatch hl7:queue   (then hl7:replay --id N)`,
          `  pnpm ossiwatch hl7:send docs/hl7/labs.hl7 --port ${mllp.port}   (see docs/hl7.md)`,
        ]
      : ['HL7 v2 (MLLP) listener off (set OSSIWATCH_MLLP_PORT to receive ADT and lab results)']),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const backups = backupSchedule ? startBackupSchedule(db.$client, backupSchedule, app.log) : null;
  if (backupSchedule) {
    process.stdout.write(
      `backups: every ${backupSchedule.intervalMinutes} min into ${backupSchedule.dir}, newest ${backupSchedule.retention} kept\n`,
    );
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: finishing requests and closing the database\n`);
    // A request that has not finished after the grace period is cut off rather than holding the
    // shutdown forever; its transaction, if any, either committed or never began.
    const grace = setTimeout(() => {
      process.stdout.write(`${signal}: grace period over, cutting off unfinished requests\n`);
      app.server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    grace.unref();
    Promise.all([app.close(), mllp?.close(), backups?.stop(), checkpointer?.stop()])
      .then(() => {
        db.$client.close();
        process.exit(0);
      })
      .catch((error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`OssiWatch cannot start: ${error.message}\n`);
  } else {
    process.stderr.write(
      `OssiWatch failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  process.exit(1);
});
