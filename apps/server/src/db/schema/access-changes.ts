import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { isInstant } from './sql-helpers.ts';
import { users, type Role } from './users.ts';

export const ACCESS_CHANGE_STATES = ['pending', 'confirmed', 'rejected'] as const;
export type AccessChangeState = (typeof ACCESS_CHANGE_STATES)[number];

/** What a pending change would set: the account's new roles, new wards, or both. */
export interface AccessChangeValue {
  readonly roles?: readonly Role[];
  readonly wardIds?: readonly number[];
  /** What the account had when the change was asked for; a change since makes the request stale. */
  readonly before?: { readonly roles?: readonly Role[]; readonly wardIds?: readonly number[] };
}

/**
 * A grant of clinical access (a clinical role or a ward) asked for by one administrator, waiting for a
 * second to confirm it (two-person rule): one administrator alone cannot give anyone, themselves or
 * an account they just made, access to patients. The row stays after the decision, for review.
 */
export const accessChanges = sqliteTable(
  'access_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    change: text('change', { mode: 'json' }).$type<AccessChangeValue>().notNull(),
    /** The account's version when the change was asked for (for review; staleness is `change.before`). */
    userVersion: integer('user_version').notNull(),
    requestedBy: integer('requested_by')
      .notNull()
      .references(() => users.id),
    requestedAt: text('requested_at').notNull(),
    state: text('state', { enum: ACCESS_CHANGE_STATES }).notNull().default('pending'),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: text('decided_at'),
  },
  (table) => [
    index('access_changes_state').on(table.state, table.id),
    check('access_changes_requested_at_instant', isInstant(table.requestedAt)),
    check(
      'access_changes_state_known',
      sql`${table.state} IN ('pending', 'confirmed', 'rejected')`,
    ),
    check(
      'access_changes_decided',
      sql`(${table.state} = 'pending') = (${table.decidedBy} IS NULL AND ${table.decidedAt} IS NULL)`,
    ),
    // The two-person rule, kept by the database as well: nobody decides their own request.
    check(
      'access_changes_second_person',
      sql`${table.decidedBy} IS NULL OR ${table.decidedBy} <> ${table.requestedBy}`,
    ),
  ],
);
