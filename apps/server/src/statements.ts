/**
 * SQL statements compiled once per connection and reused, for the hot write paths (a ROM save, and
 * the reassessment every clinical write runs). Building a drizzle query, and having SQLite compile it
 * again, at every call cost more than running it: a ROM save ran about twenty such queries.
 */
import Database from 'better-sqlite3';
import type { DbOrTx } from './db/client.ts';

type Connection = Database.Database;

/** The SQLite connection under a drizzle database, or under a transaction on one. */
export function connectionOf(db: DbOrTx): Connection {
  if ('$client' in db) return db.$client;
  // drizzle-orm/better-sqlite3 hands a transaction its database's session, whose client is the
  // connection (the transaction itself is a BEGIN on that same connection).
  const client = (db as unknown as { session?: { client?: unknown } }).session?.client;
  if (!(client instanceof Database)) {
    throw new Error('connectionOf: no better-sqlite3 connection under this database handle');
  }
  return client;
}

/**
 * A statement compiled on first use on each connection and kept for the connection's life. It runs
 * inside whatever transaction is open on the connection, like the drizzle queries beside it. Rows
 * come back as plain objects keyed by the SQL's column names (alias them to the domain's names).
 */
export function preparedStatement<Params extends unknown[], Row = never>(
  sql: string,
): (db: DbOrTx) => Database.Statement<Params, Row> {
  const byConnection = new WeakMap<Connection, Database.Statement<Params, Row>>();
  return (db) => {
    const connection = connectionOf(db);
    let statement = byConnection.get(connection);
    if (!statement) {
      statement = connection.prepare<Params, Row>(sql);
      byConnection.set(connection, statement);
    }
    return statement;
  };
}

/**
 * As preparedStatement, with each row read as an array of its columns in SELECT order: for long
 * lists (a patient's ROM series), where building the objects in JavaScript is about twice as fast
 * as the driver building them.
 */
export function preparedRowsStatement<Params extends unknown[], Row extends readonly unknown[]>(
  sql: string,
): (db: DbOrTx) => Database.Statement<Params, Row> {
  const byConnection = new WeakMap<Connection, Database.Statement<Params, Row>>();
  return (db) => {
    const connection = connectionOf(db);
    let statement = byConnection.get(connection);
    if (!statement) {
      statement = connection.prepare<Params, Row>(sql).raw(true);
      byConnection.set(connection, statement);
    }
    return statement;
  };
}

/** A boolean stored as 0/1 (the CHECKs allow nothing else), null when not recorded. */
export function booleanOf(value: number | null): boolean | null {
  return value === null ? null : value === 1;
}
