/**
 * Storage trouble (PRODUCT §8): a full disk, a database file that has become read-only, a failing disk
 * or a lock held too long. None of these is the caller's fault or a bug: the write was rolled back as a
 * whole (every write is one transaction), reads keep working, and the same request succeeds once the
 * trouble is fixed. So the caller gets a 503 (SERVICE_UNAVAILABLE) saying what is wrong and that nothing
 * was saved, instead of a bare 500.
 */

export type StorageProblemKind = 'full' | 'read_only' | 'io' | 'busy' | 'corrupt';

export interface StorageProblem {
  readonly kind: StorageProblemKind;
  /** SQLite's (extended) result code, e.g. `SQLITE_FULL`, `SQLITE_IOERR_FSYNC`. */
  readonly sqliteCode: string;
  /** What the person at the screen reads. */
  readonly message: string;
}

const NOTHING_SAVED = 'nothing was saved';

const MESSAGES: Record<StorageProblemKind, string> = {
  full: `The server's storage is full: ${NOTHING_SAVED}. The record can still be read; please tell IT, and save again once space has been freed.`,
  read_only: `The server's database is read-only at the moment: ${NOTHING_SAVED}. The record can still be read; please tell IT, and save again once it is writable.`,
  io: `The server could not write to its disk (an input/output error): ${NOTHING_SAVED}. Please try again; if it keeps happening, tell IT.`,
  busy: `The database is busy (a backup or maintenance task is holding it): ${NOTHING_SAVED}. Please try again in a moment.`,
  corrupt: `The server's database file is damaged: ${NOTHING_SAVED}. Please tell IT; it needs to be restored from a backup.`,
};

/** Maps SQLite's primary result code (the part before the first `_` suffix) to a kind of trouble. */
function kindOfCode(code: string): StorageProblemKind | undefined {
  if (code === 'SQLITE_FULL') return 'full';
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_')) return 'read_only';
  // SQLITE_CANTOPEN: the file (or its -wal/-shm) vanished or lost its permissions under the server.
  if (code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_')) return 'io';
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_CANTOPEN_')) return 'io';
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return 'busy';
  if (code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_LOCKED_')) return 'busy';
  if (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_')) return 'corrupt';
  if (code === 'SQLITE_NOTADB') return 'corrupt';
  return undefined;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * The storage problem behind an error, if any. Follows `cause` (tRPC wraps the thrown error, drizzle
 * wraps better-sqlite3's `SqliteError`), a few levels deep.
 */
export function storageProblemOf(error: unknown): StorageProblem | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth += 1) {
    const code = codeOf(current);
    if (code) {
      const kind = kindOfCode(code);
      return kind ? { kind, sqliteCode: code, message: MESSAGES[kind] } : undefined;
    }
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return undefined;
}

/**
 * A description of an error that is safe to log: the innermost cause's class, SQLite code and message.
 * Drizzle's wrapper is skipped on purpose: its message lists the query's parameters, which are patient
 * data (names, MRNs), and logs must carry none (PRODUCT §7).
 */
export function loggableError(error: unknown): {
  type: string;
  code?: string;
  message: string;
  /** The call frames only: a stack's first line repeats the message. */
  stack: string;
} {
  let current: unknown = error;
  let innermost: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth += 1) {
    innermost = current;
    current = (current as { cause?: unknown }).cause;
  }
  if (!(innermost instanceof Error)) {
    return { type: typeof innermost, message: 'non-error thrown', stack: '' };
  }
  const code = codeOf(innermost);
  const isDrizzleWrapper = innermost.message.startsWith('Failed query:');
  return {
    type: innermost.name,
    ...(code ? { code } : {}),
    message: isDrizzleWrapper ? 'database query failed' : innermost.message,
    stack: (innermost.stack ?? '')
      .split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .join('\n'),
  };
}
