import { buildApp } from './app.ts';
import { ConfigError, readConfig } from './config.ts';
import { applyMigrations, openDatabase } from './db/client.ts';
import { demoAccountLines, seedDemoIfEmpty } from './seed/demo.ts';

async function main(): Promise<void> {
  const config = readConfig();
  const db = openDatabase(config.databasePath);
  const migrations = applyMigrations(db);
  const seeded = config.mode === 'demo' ? await seedDemoIfEmpty(db, new Date()) : undefined;
  const app = await buildApp({ db, config });
  const address = await app.listen({ port: config.port, host: config.host });

  const lines = [
    `OssiWatch is running at ${address.replace('[::1]', 'localhost')} (${config.mode} mode)`,
    `database: ${config.databasePath}${migrations > 0 ? ` (${migrations} migration(s) applied)` : ''}${seeded ? `, seeded with the demo hospital (${seeded.patients} patients, ${seeded.romReadings} ROM readings in ${(seeded.millis / 1000).toFixed(1)} s)` : ''}`,
    ...(config.mode === 'demo' ? demoAccountLines() : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: finishing requests and closing the database\n`);
    app
      .close()
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
