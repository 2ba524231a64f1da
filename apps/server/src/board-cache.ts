/**
 * The ward board, kept in memory per ward between changes. Every user of a ward sees the same board
 * (what differs per user, the audit row of who read which patients, is written by the caller at each
 * read), and 32 clients refreshing one ward would otherwise rebuild it 32 times for nothing.
 *
 * A ward's board is forgotten:
 * - at any event on that ward's bus (every committed patient write publishes one; a settings change
 *   publishes one on every ward);
 * - when time alone could change it (`wardBoardUntil`: the earliest validity of its stored
 *   assessments, the ward's local midnight, the UTC midnight), judged by the request's clock, so a
 *   test clock moved forward is honoured;
 * - when another process has committed to the database (SQLite's `data_version`): the CLI or a
 *   restore writes without this process's events;
 * - at `forgetWardBoards`, for this process's writes that publish no event (a ward renamed).
 */
import type Database from 'better-sqlite3';
import { wardBoardUntil, type WardBoard } from './board.ts';
import type { OssiwatchDb } from './db/client.ts';
import { eventBusFor } from './events.ts';

interface Entry {
  readonly board: WardBoard;
  readonly builtAtMs: number;
  readonly validUntilMs: number;
  readonly dataVersion: number;
}

interface BoardCache {
  readonly entries: Map<number, Entry>;
  readonly dataVersion: Database.Statement<[], number>;
}

const cacheByDb = new WeakMap<OssiwatchDb, BoardCache>();

function cacheOf(db: OssiwatchDb): BoardCache {
  let cache = cacheByDb.get(db);
  if (!cache) {
    const entries = new Map<number, Entry>();
    eventBusFor(db).subscribe((event) => entries.delete(event.wardId));
    cache = {
      entries,
      dataVersion: db.$client.prepare<[], number>('PRAGMA data_version').pluck(),
    };
    cacheByDb.set(db, cache);
  }
  return cache;
}

/** The board of one ward at `now`, rebuilt only when something it shows may have changed. */
export function cachedWardBoard(db: OssiwatchDb, wardId: number, now: Date): WardBoard | undefined {
  const cache = cacheOf(db);
  const nowMs = now.getTime();
  const dataVersion = cache.dataVersion.get() ?? 0;
  const entry = cache.entries.get(wardId);
  if (
    entry &&
    entry.dataVersion === dataVersion &&
    nowMs >= entry.builtAtMs &&
    nowMs < entry.validUntilMs
  ) {
    return entry.board;
  }
  const built = wardBoardUntil(db, wardId, now);
  if (!built) {
    cache.entries.delete(wardId);
    return undefined;
  }
  // Building may refresh stale assessments: a write of this connection, which leaves data_version
  // alone, so the version read before building still describes what was built.
  cache.entries.set(wardId, {
    board: built.board,
    builtAtMs: nowMs,
    validUntilMs: built.validUntilMs,
    dataVersion,
  });
  return built.board;
}

/** Forgets every cached board of this database (writes that publish no ward event). */
export function forgetWardBoards(db: OssiwatchDb): void {
  cacheByDb.get(db)?.entries.clear();
}
