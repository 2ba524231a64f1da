import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { nowInstant } from './sql-helpers.ts';
import { users } from './users.ts';

/** Configurable thresholds (e.g. key `ho_watch`), stored as JSON, each with a version. */
export const settings = sqliteTable(
  'settings',
  {
    key: text('key').primaryKey(),
    value: text('value', { mode: 'json' }).notNull(),
    version: integer('version').notNull().default(1),
    updatedAt: text('updated_at').notNull().default(nowInstant),
    updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (table) => [check('settings_value_json', sql`json_valid(${table.value})`)],
);

/** Every version a setting has had: the thresholds' change history (PRODUCT §5 Admin). */
export const settingsHistory = sqliteTable(
  'settings_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    value: text('value', { mode: 'json' }).notNull(),
    version: integer('version').notNull(),
    changedAt: text('changed_at').notNull().default(nowInstant),
    changedBy: integer('changed_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (table) => [
    index('settings_history_key').on(table.key, table.version),
    check('settings_history_value_json', sql`json_valid(${table.value})`),
  ],
);
