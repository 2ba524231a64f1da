import type { ServerConfig } from './config.ts';
import { applyMigrations, openDatabase, type OssiwatchDb } from './db/client.ts';
import { appRouter } from './router.ts';
import { createCallerFactory, createContextInner } from './trpc.ts';

/** An in-memory database with every migration applied: what router tests run against. */
export function migratedMemoryDb(): OssiwatchDb {
  const db = openDatabase(':memory:');
  applyMigrations(db);
  return db;
}

export const testConfig: ServerConfig = {
  port: 0,
  host: '127.0.0.1',
  databasePath: ':memory:',
  mode: 'demo',
  webDistDir: '/nonexistent',
};

const createCaller = createCallerFactory(appRouter);

/** A tRPC caller over the given database, with a clock the test controls. */
export function callerFor(
  db: OssiwatchDb,
  now: () => Date = () => new Date(),
): ReturnType<typeof createCaller> {
  return createCaller(createContextInner({ db, config: testConfig, now }));
}
