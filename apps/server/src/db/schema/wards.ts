import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { nowInstant } from './sql-helpers.ts';

/** A ward of the rehabilitation unit; every stay, event and rate belongs to one. */
export const wards = sqliteTable('wards', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /** IANA time zone of the ward: local midnight is when the census is taken (PRODUCT §4). */
  timeZone: text('time_zone').notNull().default('Europe/London'),
  version: integer('version').notNull().default(1),
  createdAt: text('created_at').notNull().default(nowInstant),
});

/** A bed on a ward. Labels are unique within the ward. */
export const beds = sqliteTable(
  'beds',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    wardId: integer('ward_id')
      .notNull()
      .references(() => wards.id, { onDelete: 'restrict' }),
    label: text('label').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (table) => [
    uniqueIndex('beds_ward_label').on(table.wardId, table.label),
    index('beds_ward').on(table.wardId),
    check('beds_label_not_empty', sql`length(${table.label}) > 0`),
  ],
);
