import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import fs from 'node:fs';
import path from 'node:path';
import * as schema from './schema.ts';

export type OssiwatchDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../drizzle');

/**
 * Opens the database with the settings clinical writes need:
 * - WAL so readers (the ward board) never wait for a writer;
 * - synchronous=FULL so an acknowledged write survives a crash or power loss: WAL's default (NORMAL)
 *   may lose the last commits, and a ward cannot re-measure yesterday's joints (PRODUCT §8);
 * - foreign keys on (SQLite leaves them off by default);
 * - a busy timeout so a second process (backup, CLI) waits rather than failing at once.
 */
export function openDatabase(databasePath: string): OssiwatchDb {
  if (databasePath !== ':memory:') {
    fs.mkdirSync(path.dirname(databasePath), { recursive: true });
  }
  const sqlite = new Database(databasePath);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return drizzle(sqlite, { schema });
}

/** Applies the committed migrations that this database has not seen yet; returns how many ran. */
export function applyMigrations(db: OssiwatchDb): number {
  const countApplied = (): number => {
    const exists = db.$client
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
      .get();
    if (!exists) return 0;
    const row = db.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as {
      n: number;
    };
    return row.n;
  };
  const before = countApplied();
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return countApplied() - before;
}

/** A transaction on the database: what a write's synchronous `db.transaction((tx) => …)` hands over. */
export type OssiwatchTx = Parameters<Parameters<OssiwatchDb['transaction']>[0]>[0];

/** Either the database or a transaction on it: read and write helpers accept both. */
export type DbOrTx = OssiwatchDb | OssiwatchTx;
