/**
 * WAL checkpoints on a thread of their own.
 *
 * In WAL mode a commit appends to the `-wal` file; a checkpoint copies those pages back into the
 * database file and, with `synchronous=FULL`, flushes it to the disk. SQLite runs one automatically
 * inside the commit that crosses 1,000 pages, on the connection that commits: here, the server's
 * event loop, which then stands still for the copy and the flush (tens of milliseconds) while every
 * waiting request queues behind it.
 *
 * The server therefore checkpoints from a worker thread with its own connection: a few times a second,
 * when other connections have committed since its last look (`PRAGMA data_version`), it runs a PASSIVE
 * checkpoint, which copies what it can without blocking the writer or any reader. Durability does not
 * depend on it: a commit is on the disk (in the WAL) before it is acknowledged. The server's own
 * connection keeps a much larger automatic threshold, so the WAL stays bounded even if this thread
 * stops.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker looks for new commits. */
export const CHECKPOINT_INTERVAL_MS = 200;

/**
 * The main connection's own automatic checkpoint threshold, in pages, while the worker runs: a safety
 * net (40 MB of WAL at SQLite's 4 KiB pages), not the usual path.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

// Plain JavaScript run by the worker (no TypeScript loader needed in the thread).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 100');
db.pragma('synchronous = FULL');
const dataVersion = db.prepare('PRAGMA data_version').pluck();
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
// The first turn always checkpoints: commits made before the thread started count too.
let seen = -1;
const timer = setInterval(() => {
  try {
    const now = dataVersion.get();
    if (now === seen) return;
    seen = now;
    checkpoint.run();
  } catch {
    // Busy (a backup holds the database) or a full disk: the next turn, or the server's own
    // automatic checkpoint, catches up.
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the thread and closes its connection. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `databasePath` from a worker thread and raises the automatic threshold of
 * `connection` (the server's) to the fallback; should the thread fail, `connection` goes back to
 * SQLite's default and `onError` is told. Returns null for an in-memory database.
 */
export function startCheckpointer(
  databasePath: string,
  connection: { pragma(source: string): unknown },
  onError: (error: Error) => void,
): Checkpointer | null {
  if (databasePath === ':memory:' || databasePath === '') return null;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, path: databasePath, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  worker.unref();
  connection.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  worker.on('error', (error) => {
    // Without the thread, the server's connection checkpoints for itself again, at SQLite's default.
    connection.pragma('wal_autocheckpoint = 1000');
    onError(error);
  });
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        worker.once('exit', () => {
          resolve();
        });
        worker.postMessage('stop');
      });
      return stopped;
    },
  };
}
