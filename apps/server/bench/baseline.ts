/**
 * The raw SQL the ward board stands on: the statements `wardBoard()` runs, captured from one call, then
 * replayed through better-sqlite3 in this process (prepared once, no HTTP, no tRPC, no JSON parsing).
 */
import type Database from 'better-sqlite3';
import { wardBoard } from '../src/board.ts';
import { openDatabase } from '../src/db/client.ts';
import { msSince, round, summarise, type LatencySummary } from './stats.ts';

interface CapturedStatement {
  readonly sql: string;
  params: unknown[];
  raw: boolean;
  method: 'all' | 'get' | 'run' | 'iterate';
}

const EXECUTING = new Set(['all', 'get', 'run', 'iterate']);

/** The statements `work` prepares and runs on `sqlite`, with the parameters of their last run. */
function captureStatements(sqlite: Database.Database, work: () => void): CapturedStatement[] {
  const captured: CapturedStatement[] = [];
  const original = sqlite.prepare.bind(sqlite);
  const capturing = (source: string): Database.Statement => {
    const statement = original(source);
    const entry: CapturedStatement = { sql: source, params: [], raw: false, method: 'all' };
    captured.push(entry);
    const proxy: Database.Statement = new Proxy(statement, {
      get(target, property, _receiver) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (property === 'raw') entry.raw = args[0] === undefined ? true : Boolean(args[0]);
          if (typeof property === 'string' && EXECUTING.has(property)) {
            entry.method = property as CapturedStatement['method'];
            entry.params = args;
          }
          const returned: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
          return returned === target ? proxy : returned;
        };
      },
    });
    return proxy;
  };
  (sqlite as unknown as { prepare: typeof capturing }).prepare = capturing;
  try {
    work();
  } finally {
    (sqlite as unknown as { prepare: typeof original }).prepare = original;
  }
  return captured;
}

export interface BaselineResult {
  /** What one board costs in SQL alone, called one at a time. */
  readonly single: LatencySummary;
  /**
   * The same statements with `connections` clients sharing the one synchronous connection: each
   * client's latency is its own statements plus those of the clients queued before it, which is what
   * 32 concurrent boards cost without HTTP (better-sqlite3 runs one statement at a time per process).
   */
  readonly atConcurrency: LatencySummary;
  /** `wardBoard()` itself in this process (drizzle, JSON parsing, sorting): no HTTP, no tRPC. */
  readonly boardFunction: LatencySummary;
  readonly statements: readonly string[];
  readonly rows: number;
}

export function measureBaseline(
  databaseFile: string,
  wardId: number,
  options: { readonly iterations: number; readonly connections: number },
): BaselineResult {
  const db = openDatabase(databaseFile);
  try {
    const sqlite = db.$client;
    const now = new Date();
    // Anything stale is refreshed by this first call; the capture then sees the steady-state reads.
    wardBoard(db, wardId, now);
    const captured = captureStatements(sqlite, () => {
      if (!wardBoard(db, wardId, now)) throw new Error(`ward ${wardId} not found`);
    });
    if (captured.some((statement) => statement.method === 'run')) {
      throw new Error(
        'the board wrote during the baseline capture: its stored assessments were stale',
      );
    }
    const prepared = captured.map((statement) => ({
      statement: sqlite.prepare(statement.sql).raw(statement.raw),
      params: statement.params,
      method: statement.method,
    }));
    let rows = 0;
    const replay = (): void => {
      for (const { statement, params, method } of prepared) {
        if (method === 'get') {
          if (statement.get(...params) !== undefined) rows += 1;
        } else {
          rows += statement.all(...params).length;
        }
      }
    };
    for (let i = 0; i < Math.min(200, options.iterations); i += 1) replay();
    const times: number[] = [];
    rows = 0;
    for (let i = 0; i < options.iterations; i += 1) {
      const started = process.hrtime.bigint();
      replay();
      times.push(msSince(started));
    }
    const queued: number[] = [];
    let window = 0;
    times.forEach((time, index) => {
      window += time;
      if (index >= options.connections) window -= times[index - options.connections] ?? 0;
      if (index >= options.connections - 1) queued.push(window);
    });
    const functionTimes: number[] = [];
    const functionIterations = Math.max(50, Math.round(options.iterations / 4));
    for (let i = 0; i < functionIterations; i += 1) {
      const started = process.hrtime.bigint();
      wardBoard(db, wardId, now);
      functionTimes.push(msSince(started));
    }
    return {
      single: summarise(times),
      atConcurrency: summarise(queued),
      boardFunction: summarise(functionTimes),
      statements: captured.map((statement) => statement.sql),
      rows: round(rows / options.iterations, 1),
    };
  } finally {
    db.$client.close();
  }
}
