import { sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

/** The SQL list `('a', 'b')` of a vocabulary; the values are our own constants, never user input. */
function quotedList(values: readonly string[]): SQL {
  return sql.raw(`(${values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ')})`);
}

/** CHECK that a coded column holds one of the vocabulary's codes (nulls pass; NOT NULL says the rest). */
export function oneOf(column: AnySQLiteColumn, values: readonly string[]): SQL {
  return sql`${column} IN ${quotedList(values)}`;
}

/** CHECK that a boolean stored as an integer is 0 or 1. */
export function isBoolean(column: AnySQLiteColumn): SQL {
  return sql`${column} IN (0, 1)`;
}

/** CHECK that an instant is an ISO 8601 UTC string as written by `Date.toISOString()`. */
export function isInstant(column: AnySQLiteColumn): SQL {
  return sql`${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'`;
}

/** The default for created/updated columns: now, as an ISO 8601 UTC instant. */
export const nowInstant = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

export { quotedList };

/**
 * A CHECK made of OR-ed branches must fail when no branch holds. SQLite lets a CHECK pass when it is
 * NULL, and `NULL IN (…)` or `NULL > 0` are NULL, so a branch with a missing field would otherwise slip
 * through: COALESCE turns "not proven true" into false.
 */
export function strictly(condition: SQL): SQL {
  return sql`COALESCE((${condition}), 0)`;
}
