/**
 * Backups and restores (PRODUCT §8).
 *
 * A backup is taken online with SQLite's backup API while the server keeps writing. It is copied in a
 * single step: one read transaction over the whole file, so it is one consistent moment of the ward's
 * record (in WAL mode that read transaction never blocks the writers), and a stream of writes cannot
 * restart it over and over as a page-by-page copy would be. The copy is written beside its final name,
 * checked with `PRAGMA integrity_check`, flushed to disk and only then renamed: a file that carries a
 * backup's name is a complete, checked backup.
 *
 * A restore replaces the database of a stopped installation. It refuses a file that fails the integrity
 * check or is not an OssiWatch database, and refuses while any process (the server, another command)
 * has the database open. The database it replaces is kept beside it.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config.ts';

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly pages: number;
  readonly millis: number;
}

/** Why a file cannot be used, in words an operator can act on. */
export class BackupRefused extends Error {}

/** Nothing is written over an existing file: an old backup is never lost to a typo. */
function refuseExisting(file: string): void {
  if (fs.existsSync(file))
    throw new BackupRefused(`${file} already exists; choose a new file name`);
}

function fsyncPath(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename durable: the directory entry itself is flushed. */
function fsyncDirectory(dir: string): void {
  try {
    fsyncPath(dir);
  } catch {
    // Some file systems refuse to open a directory for fsync; the rename is still atomic there.
  }
}

export type FileCheck =
  | { readonly ok: true; readonly tables: number; readonly migrations: number }
  | { readonly ok: false; readonly problem: string };

/**
 * Checks that a file is a sound OssiWatch database: SQLite can open it, `PRAGMA integrity_check`
 * answers `ok`, and it carries the migrations table the server writes.
 */
export function checkDatabaseFile(file: string): FileCheck {
  if (!fs.existsSync(file)) return { ok: false, problem: `${file} does not exist` };
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.prepare('PRAGMA integrity_check').pluck().all() as string[];
    if (rows.length !== 1 || rows[0] !== 'ok') {
      return {
        ok: false,
        problem: `integrity check failed: ${rows.slice(0, 5).join('; ')}${rows.length > 5 ? '; …' : ''}`,
      };
    }
    const tables = db
      .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .get() as number;
    const hasMigrations = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
      .get();
    if (!hasMigrations) return { ok: false, problem: 'it is not an OssiWatch database' };
    const migrations = db
      .prepare('SELECT count(*) FROM __drizzle_migrations')
      .pluck()
      .get() as number;
    return { ok: true, tables, migrations };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: `SQLite cannot read it (${message})` };
  } finally {
    db?.close();
  }
}

export interface BackupOptions {
  /**
   * Pages copied per step. Unset: the whole file in one step (one consistent snapshot, used by the
   * command, whose connection is not the one writing). The server's own schedule copies in steps so
   * that requests are served between them; SQLite carries the server's writes made between steps
   * into the copy, because they go through the same connection.
   */
  readonly pagesPerStep?: number;
}

/** Takes an online backup of `source` into `target`, checks it, and makes it durable. */
export async function backupDatabase(
  source: Database.Database,
  target: string,
  options: BackupOptions = {},
): Promise<BackupResult> {
  const file = path.resolve(target);
  refuseExisting(file);
  if (!fs.existsSync(path.dirname(file))) {
    throw new BackupRefused(`the folder ${path.dirname(file)} does not exist`);
  }
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  const started = performance.now();
  const pagesPerStep = options.pagesPerStep ?? 0x7fffffff;
  let pages = 0;
  try {
    const progress = await source.backup(partial, {
      progress: ({ totalPages }) => {
        pages = totalPages;
        return pagesPerStep;
      },
    });
    pages = Math.max(pages, progress.totalPages);
    // The copy carries the source's WAL flag; a backup is a single self-contained file, so it is
    // switched to a rollback journal (the server turns WAL back on when it opens a restored file).
    const copy = new Database(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const check = checkDatabaseFile(partial);
    if (!check.ok) throw new BackupRefused(`the copy failed its check: ${check.problem}`);
    fsyncPath(partial);
    refuseExisting(file);
    fs.renameSync(partial, file);
    fsyncDirectory(path.dirname(file));
  } finally {
    for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`]) {
      fs.rmSync(leftover, { force: true });
    }
  }
  return {
    file,
    bytes: fs.statSync(file).size,
    pages,
    millis: Math.round(performance.now() - started),
  };
}

/**
 * Whether a process has the database open. Every connection to a WAL database holds a shared lock on
 * it while open, even when idle; an exclusive lock is granted only when no other connection exists.
 * Returns a connection that holds the exclusive lock (the caller closes it), or undefined when in use.
 */
function lockExclusively(databasePath: string): Database.Database | undefined {
  const db = new Database(databasePath, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return db;
  } catch (error) {
    db.close();
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_BUSY')) {
      return undefined;
    }
    throw error;
  }
}

/** True when the server (or another command) has this database open. */
export function isDatabaseInUse(databasePath: string): boolean {
  if (!fs.existsSync(databasePath)) return false;
  const lock = lockExclusively(databasePath);
  lock?.close();
  return lock === undefined;
}

export interface RestoreResult {
  readonly databasePath: string;
  readonly bytes: number;
  /** Where the database that was replaced is kept, if there was one. */
  readonly previous: string | null;
  readonly migrations: number;
}

function timestamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * Restores `backupFile` as the database at `databasePath`, for a stopped installation. Refuses an
 * unsound file and a database in use. The replaced database (with its WAL folded in) is kept as
 * `<database>.before-restore-<time>`.
 */
export function restoreDatabase(
  backupFile: string,
  databasePath: string,
  now: Date = new Date(),
): RestoreResult {
  const source = path.resolve(backupFile);
  const check = checkDatabaseFile(source);
  if (!check.ok) throw new BackupRefused(`${source} cannot be restored: ${check.problem}`);
  const target = path.resolve(databasePath);
  if (source === target) throw new BackupRefused('the backup is the database itself');
  fs.mkdirSync(path.dirname(target), { recursive: true });

  let previous: string | null = null;
  if (fs.existsSync(target)) {
    const lock = lockExclusively(target);
    if (!lock) {
      throw new BackupRefused(
        `${target} is in use: stop the OssiWatch server (and any other ossiwatch command) first`,
      );
    }
    try {
      // Folds the WAL into the file, so the copy kept below holds every committed write.
      lock.pragma('wal_checkpoint(TRUNCATE)');
      previous = `${target}.before-restore-${timestamp(now)}`;
      fs.copyFileSync(target, previous, fs.constants.COPYFILE_EXCL);
    } finally {
      lock.close();
    }
  }

  const incoming = `${target}.restoring`;
  fs.copyFileSync(source, incoming);
  fsyncPath(incoming);
  // A WAL left beside the old file would be replayed into the restored one: remove it first.
  fs.rmSync(`${target}-wal`, { force: true });
  fs.rmSync(`${target}-shm`, { force: true });
  fs.renameSync(incoming, target);
  fsyncDirectory(path.dirname(target));
  return {
    databasePath: target,
    bytes: fs.statSync(target).size,
    previous,
    migrations: check.migrations,
  };
}

// Schedule ---------------------------------------------------------------------------------------

export interface BackupSchedule {
  readonly dir: string;
  readonly intervalMinutes: number;
  /** How many scheduled backups to keep (the newest); older ones are deleted. */
  readonly retention: number;
}

const SCHEDULED_NAME = /^ossiwatch-\d{8}T\d{6}Z\.db$/;

/**
 * Reads BACKUP_DIR, BACKUP_INTERVAL_MINUTES (default 60) and BACKUP_RETENTION (default 24). No
 * BACKUP_DIR: no schedule. A value it cannot use is refused by name.
 */
export function readBackupSchedule(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): BackupSchedule | undefined {
  const dir = env.BACKUP_DIR;
  if (dir === undefined || dir === '') return undefined;
  const intervalText = env.BACKUP_INTERVAL_MINUTES ?? '60';
  const intervalMinutes = Number(intervalText);
  if (!Number.isFinite(intervalMinutes) || intervalMinutes <= 0 || intervalMinutes > 10_080) {
    throw new ConfigError(
      `BACKUP_INTERVAL_MINUTES must be a number of minutes from above 0 to 10080, not "${intervalText}"`,
    );
  }
  const retentionText = env.BACKUP_RETENTION ?? '24';
  const retention = Number(retentionText);
  if (!Number.isInteger(retention) || retention < 1) {
    throw new ConfigError(
      `BACKUP_RETENTION must be a whole number of at least 1, not "${retentionText}"`,
    );
  }
  return { dir: path.resolve(cwd, dir), intervalMinutes, retention };
}

/** Deletes scheduled backups beyond the newest `retention`; returns the names deleted. */
export function pruneBackups(dir: string, retention: number): string[] {
  const names = fs
    .readdirSync(dir)
    .filter((name) => SCHEDULED_NAME.test(name))
    .sort();
  const doomed = names.slice(0, Math.max(0, names.length - retention));
  for (const name of doomed) fs.rmSync(path.join(dir, name), { force: true });
  return doomed;
}

interface ScheduleLog {
  info(detail: object, message: string): void;
  error(detail: object, message: string): void;
}

/**
 * Takes a backup every `intervalMinutes` from the server's own connection and keeps the newest
 * `retention`. A failed backup is logged and the next one tried as usual: it never stops the server.
 */
export function startBackupSchedule(
  source: Database.Database,
  schedule: BackupSchedule,
  log: ScheduleLog,
  now: () => Date = () => new Date(),
): { stop(): Promise<void> } {
  fs.mkdirSync(schedule.dir, { recursive: true });
  let running: Promise<void> | undefined;
  const runOnce = async (): Promise<void> => {
    const file = path.join(schedule.dir, `ossiwatch-${timestamp(now())}.db`);
    try {
      const result = await backupDatabase(source, file, { pagesPerStep: 1024 });
      const pruned = pruneBackups(schedule.dir, schedule.retention);
      log.info({ backup: result, pruned: pruned.length }, 'scheduled backup written');
    } catch (error) {
      log.error(
        { backupFile: file, error: error instanceof Error ? error.message : String(error) },
        'scheduled backup failed',
      );
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = runOnce().finally(() => {
      running = undefined;
    });
  }, schedule.intervalMinutes * 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

// Commands ---------------------------------------------------------------------------------------

interface CommandOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const consoleOutput: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `ossiwatch backup <file>`: an online backup of the database at `databasePath`, checked. */
export async function backupCommand(
  args: readonly string[],
  databasePath: string,
  io: CommandOutput = consoleOutput,
): Promise<number> {
  const [target, ...extra] = args;
  if (target === undefined || extra.length > 0) {
    io.err('usage: pnpm ossiwatch backup <file>');
    return 64;
  }
  if (!fs.existsSync(databasePath)) {
    io.err(`ossiwatch: there is no database at ${databasePath} to back up`);
    return 1;
  }
  // A connection of its own: the server keeps writing through its own while the copy is taken.
  const source = new Database(databasePath, { fileMustExist: true, timeout: 5000 });
  try {
    const result = await backupDatabase(source, target);
    io.out(
      `backup of ${databasePath} written to ${result.file}: ${megabytes(result.bytes)}, ${result.pages} pages, ${result.millis} ms; integrity check ok`,
    );
    return 0;
  } catch (error) {
    if (error instanceof BackupRefused) {
      io.err(`ossiwatch: backup refused: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    source.close();
  }
}

/** `ossiwatch restore <file>`: replaces the (stopped) installation's database with a checked backup. */
export function restoreCommand(
  args: readonly string[],
  databasePath: string,
  io: CommandOutput = consoleOutput,
): number {
  const [source, ...extra] = args;
  if (source === undefined || extra.length > 0) {
    io.err('usage: pnpm ossiwatch restore <file>   (stop the server first)');
    return 64;
  }
  try {
    const result = restoreDatabase(source, databasePath);
    io.out(
      `restored ${path.resolve(source)} (integrity check ok, ${megabytes(result.bytes)}) as ${result.databasePath}`,
    );
    if (result.previous) io.out(`the database it replaced is kept at ${result.previous}`);
    io.out('start the server to continue; it applies any newer migrations at start-up');
    return 0;
  } catch (error) {
    if (error instanceof BackupRefused) {
      io.err(`ossiwatch: restore refused: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
