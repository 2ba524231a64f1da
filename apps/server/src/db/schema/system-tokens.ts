import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { isInstant, strictly } from './sql-helpers.ts';
import { users } from './users.ts';

/**
 * A bearer token another system (a registry, an interface engine) calls the FHIR API with (PRODUCT §11
 * "Who may call"). Only the token's SHA-256 is kept: a copy of this table does not let anyone call.
 * A token is never edited, only revoked: what it may do is fixed when it is issued.
 */
export const systemTokens = sqliteTable(
  'system_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Who the token is for, e.g. `registry`; unique among the tokens not revoked. */
    name: text('name').notNull(),
    /** SHA-256 (hex) of the whole token as printed (features/tokens/tokens.ts says why SHA-256). */
    tokenHash: text('token_hash').notNull().unique(),
    /** JSON array of scopes, e.g. `["fhir:read"]`. */
    scopes: text('scopes', { mode: 'json' }).notNull().$type<string[]>(),
    /**
     * JSON array of ward ids whose patients it may read; NULL means every ward. Kept as values, not
     * rows with foreign keys, so removing a ward can never turn a one-ward token into an all-ward one.
     */
    wardIds: text('ward_ids', { mode: 'json' }).$type<number[]>(),
    createdAt: text('created_at').notNull(),
    /** The administrator's username, or `cli:<os user>` for the command line. */
    createdBy: text('created_by').notNull(),
    createdByUserId: integer('created_by_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    lastUsedAt: text('last_used_at'),
    revokedAt: text('revoked_at'),
    revokedBy: text('revoked_by'),
  },
  (table) => [
    uniqueIndex('system_tokens_active_name')
      .on(table.name)
      .where(sql`${table.revokedAt} IS NULL`),
    index('system_tokens_created').on(table.createdAt),
    check(
      'system_tokens_name_shape',
      sql`length(${table.name}) BETWEEN 1 AND 64 AND ${table.name} NOT GLOB '*[^A-Za-z0-9._-]*'`,
    ),
    check('system_tokens_hash_is_sha256', sql`length(${table.tokenHash}) = 64`),
    check(
      'system_tokens_scopes_array',
      strictly(
        sql`json_valid(${table.scopes}) AND json_type(${table.scopes}) = 'array' AND json_array_length(${table.scopes}) > 0`,
      ),
    ),
    check(
      'system_tokens_ward_ids_array',
      sql`${table.wardIds} IS NULL OR (json_valid(${table.wardIds}) AND json_type(${table.wardIds}) = 'array' AND json_array_length(${table.wardIds}) > 0)`,
    ),
    check('system_tokens_created_at_instant', isInstant(table.createdAt)),
    check(
      'system_tokens_last_used_at_instant',
      sql`${table.lastUsedAt} IS NULL OR ${isInstant(table.lastUsedAt)}`,
    ),
    check(
      'system_tokens_revoked',
      strictly(
        sql`(${table.revokedAt} IS NULL AND ${table.revokedBy} IS NULL) OR (${isInstant(table.revokedAt)} AND ${table.revokedBy} IS NOT NULL)`,
      ),
    ),
  ],
);
