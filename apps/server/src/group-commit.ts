/**
 * Group commit for the writes of patient data (PRODUCT §8, §9).
 *
 * Every write commits with `synchronous=FULL`: the commit returns only once the WAL is on the disk,
 * a flush that takes longer than the write itself and blocks the event loop while it lasts. Writes
 * that arrive together (in one turn of the event loop) therefore share one transaction and one flush:
 * each write runs in its own savepoint, so a refused write (bad input found late, a version conflict)
 * is undone alone, and every caller is answered only after the shared COMMIT has returned. Nothing is
 * acknowledged before it is on the disk; a failed commit fails every write of the batch, each with the
 * storage error ("nothing was saved").
 *
 * A batch's writes run one after the other in arrival order, so each sees the writes queued before
 * it, as it would have with a transaction of its own.
 */
import type Database from 'better-sqlite3';
import type { OssiwatchDb, OssiwatchTx } from './db/client.ts';

interface QueuedWrite {
  readonly work: (tx: OssiwatchTx) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

interface Queue {
  readonly writes: QueuedWrite[];
  readonly begin: Database.Statement;
  readonly commit: Database.Statement;
  readonly rollback: Database.Statement;
}

const queues = new WeakMap<OssiwatchDb, Queue>();

function queueOf(db: OssiwatchDb): Queue {
  let queue = queues.get(db);
  if (!queue) {
    const sqlite = db.$client;
    queue = {
      writes: [],
      begin: sqlite.prepare('BEGIN'),
      commit: sqlite.prepare('COMMIT'),
      rollback: sqlite.prepare('ROLLBACK'),
    };
    queues.set(db, queue);
  }
  return queue;
}

/**
 * Runs `work` in the next group commit and resolves with its result once the batch is on the disk;
 * rejects with the error `work` threw (its writes undone), or with the commit's error (nothing of the
 * batch saved). `work` is synchronous, like any better-sqlite3 transaction.
 */
export function commitWrite<T>(db: OssiwatchDb, work: (tx: OssiwatchTx) => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const queue = queueOf(db);
    queue.writes.push({ work, resolve: resolve as (value: unknown) => void, reject });
    if (queue.writes.length === 1) {
      setImmediate(() => {
        flushWrites(db);
      });
    }
  });
}

type Outcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * Runs and commits the queued writes now (the next turn does it anyway; shutdown calls it so that no
 * accepted write waits on a closed database).
 */
export function flushWrites(db: OssiwatchDb): void {
  const queue = queues.get(db);
  if (!queue || queue.writes.length === 0) return;
  const writes = queue.writes.splice(0);
  if (!db.$client.open) {
    const closed = new Error('The database is closed; nothing was saved.');
    for (const write of writes) write.reject(closed);
    return;
  }
  const outcomes = runBatch(db, queue, writes);
  writes.forEach((write, index) => {
    const outcome = outcomes[index];
    if (outcome?.ok) write.resolve(outcome.value);
    else write.reject(outcome ? outcome.error : new Error('write not run'));
  });
}

function runBatch(db: OssiwatchDb, queue: Queue, writes: readonly QueuedWrite[]): Outcome[] {
  const sqlite = db.$client;
  if (sqlite.inTransaction) {
    // Called from inside someone's transaction (a test, the CLI): each write joins it, as a
    // savepoint, and is on the disk when that transaction commits.
    return writes.map((write) => attempt(db, write));
  }
  try {
    queue.begin.run();
  } catch (error) {
    return writes.map(() => ({ ok: false, error }));
  }
  const outcomes: Outcome[] = [];
  let batchError: unknown;
  for (const write of writes) {
    if (batchError !== undefined) {
      outcomes.push({ ok: false, error: batchError });
      continue;
    }
    const outcome = attempt(db, write);
    outcomes.push(outcome);
    // SQLite rolls the whole transaction back itself after some errors (a full disk, an I/O
    // error): the writes before this one are gone too, and the rest must not run outside it.
    if (!outcome.ok && !sqlite.inTransaction) batchError = outcome.error;
  }
  if (batchError === undefined) {
    try {
      queue.commit.run();
      return outcomes;
    } catch (error) {
      batchError = error;
    }
  }
  if (sqlite.inTransaction) queue.rollback.run();
  // Nothing of the batch is saved: each write that had succeeded fails with the batch's error.
  return outcomes.map((outcome) => (outcome.ok ? { ok: false, error: batchError } : outcome));
}

/** One write in its own savepoint (better-sqlite3 nests a transaction as one). */
function attempt(db: OssiwatchDb, write: QueuedWrite): Outcome {
  try {
    return { ok: true, value: db.transaction((tx) => write.work(tx)) };
  } catch (error) {
    return { ok: false, error };
  }
}
