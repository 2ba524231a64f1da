import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { isBoolean, isInstant, nowInstant, oneOf } from './sql-helpers.ts';
import { wards } from './wards.ts';

export const ROLES = ['nurse', 'therapist', 'physician', 'manager', 'admin'] as const;
/** What a person does on the ward (PRODUCT §1); a person may hold several. */
export type Role = (typeof ROLES)[number];

/** A unique account (HIPAA §164.312(a)(2)(i)). The password is kept only as an argon2id hash. */
export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull().default(nowInstant),
    updatedAt: text('updated_at').notNull().default(nowInstant),
  },
  (table) => [
    // Lower-case letters, digits, dot, dash, underscore: one spelling per person.
    check(
      'users_username_shape',
      sql`length(${table.username}) BETWEEN 1 AND 64 AND ${table.username} NOT GLOB '*[^a-z0-9._-]*'`,
    ),
    check('users_display_name_length', sql`length(${table.displayName}) BETWEEN 1 AND 200`),
    check('users_password_is_argon2id', sql`${table.passwordHash} LIKE '$argon2id$%'`),
    check('users_disabled_boolean', isBoolean(table.disabled)),
  ],
);

export const userRoles = sqliteTable(
  'user_roles',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.role] }),
    check('user_roles_role', oneOf(table.role, ROLES)),
  ],
);

/** The wards a person works on: clinical staff see only these (PRODUCT §1). */
export const userWards = sqliteTable(
  'user_wards',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    wardId: integer('ward_id')
      .notNull()
      .references(() => wards.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.wardId] }),
    index('user_wards_ward').on(table.wardId),
  ],
);

/**
 * A signed-in session. The id is the SHA-256 of the cookie's random token: a copy of this table
 * does not let anyone sign in.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    clientIp: text('client_ip'),
  },
  (table) => [
    index('sessions_user').on(table.userId),
    check('sessions_id_is_sha256', sql`length(${table.id}) = 64`),
    check('sessions_created_at_instant', isInstant(table.createdAt)),
    check('sessions_last_seen_at_instant', isInstant(table.lastSeenAt)),
  ],
);
