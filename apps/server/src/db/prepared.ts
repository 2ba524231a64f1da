/**
 * Statements prepared once per connection, for the few queries that run on every request (the
 * session behind a cookie, the audit row). drizzle builds and prepares a query's SQL again at each
 * call; on the ward board's path that cost more than the board itself.
 */
import type Database from 'better-sqlite3';
import type { DbOrTx } from './client.ts';

/**
 * The better-sqlite3 connection under a drizzle database or a transaction on it: one connection per
 * database, so a statement prepared on it runs inside whatever transaction is open there.
 */
export function connectionOf(handle: DbOrTx): Database.Database {
  if ('$client' in handle) return handle.$client;
  const session = (handle as unknown as { session?: { client?: Database.Database } }).session;
  if (!session?.client) throw new Error('not a better-sqlite3 drizzle handle');
  return session.client;
}

/** `sql` prepared at its first use on each connection and reused after. */
export function preparedStatement<Params extends unknown[], Row = unknown>(
  sql: string,
): (handle: DbOrTx) => Database.Statement<Params, Row> {
  const byConnection = new WeakMap<Database.Database, Database.Statement<Params, Row>>();
  return (handle) => {
    const connection = connectionOf(handle);
    let statement = byConnection.get(connection);
    if (!statement) {
      statement = connection.prepare<Params, Row>(sql);
      byConnection.set(connection, statement);
    }
    return statement;
  };
}
