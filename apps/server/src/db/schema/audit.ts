import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { isInstant, oneOf } from './sql-helpers.ts';

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * Who did what to which patient's data, and when (HIPAA §164.312(b)). Rows are append-only (triggers
 * refuse UPDATE and DELETE) and chained: `hash` = SHA-256 over `prev_hash` and the row, so removing or
 * editing a row breaks the chain. No foreign keys: the trail outlives the users and patients it names.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    userId: integer('user_id'),
    username: text('username'),
    /** The procedure or event, e.g. `rom.recordSession`, `auth.login`. */
    action: text('action').notNull(),
    patientId: integer('patient_id'),
    /** `read`, `write`, `auth`, `admin`, `settings`. */
    category: text('category').notNull(),
    outcome: text('outcome', { enum: AUDIT_OUTCOMES }).notNull(),
    clientIp: text('client_ip'),
    detail: text('detail', { mode: 'json' }),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull().unique(),
  },
  (table) => [
    index('audit_log_at').on(table.at),
    index('audit_log_patient').on(table.patientId, table.at),
    index('audit_log_user').on(table.userId, table.at),
    check('audit_log_at_instant', isInstant(table.at)),
    check('audit_log_outcome', oneOf(table.outcome, AUDIT_OUTCOMES)),
    check('audit_log_detail_json', sql`${table.detail} IS NULL OR json_valid(${table.detail})`),
    check(
      'audit_log_hash_length',
      sql`length(${table.hash}) = 64 AND length(${table.prevHash}) = 64`,
    ),
  ],
);
