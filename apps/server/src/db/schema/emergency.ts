import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { patients } from './patients.ts';
import { isInstant } from './sql-helpers.ts';
import { users } from './users.ts';

/** The shortest reason accepted for emergency access: a word or two is not a reason. */
export const EMERGENCY_REASON_MIN_LENGTH = 10;
export const EMERGENCY_REASON_MAX_LENGTH = 500;

/**
 * Emergency access ("break the glass", HIPAA §164.312(a)(2)(ii)): a clinician opened a patient outside
 * their wards after giving a reason. The grant lasts until `expires_at`; admins review the list. Rows
 * are kept (no cascade): the review needs them after the account or the stay is gone.
 */
export const emergencyAccess = sqliteTable(
  'emergency_access',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    patientId: integer('patient_id')
      .notNull()
      .references(() => patients.id),
    reason: text('reason').notNull(),
    grantedAt: text('granted_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    clientIp: text('client_ip'),
    /**
     * When a second person (an administrator other than the grantee) looked at the grant and its
     * reason; added columns, so the "another person" rule is kept by `access.emergencyReview`.
     */
    reviewedAt: text('reviewed_at'),
    reviewedBy: integer('reviewed_by').references(() => users.id),
  },
  (table) => [
    index('emergency_access_user_patient').on(table.userId, table.patientId, table.expiresAt),
    index('emergency_access_granted').on(table.grantedAt),
    check(
      'emergency_access_reason_length',
      sql`length(trim(${table.reason})) BETWEEN ${sql.raw(String(EMERGENCY_REASON_MIN_LENGTH))} AND ${sql.raw(String(EMERGENCY_REASON_MAX_LENGTH))}`,
    ),
    check('emergency_access_granted_at_instant', isInstant(table.grantedAt)),
    check('emergency_access_expires_at_instant', isInstant(table.expiresAt)),
    check('emergency_access_expires_after_grant', sql`${table.expiresAt} > ${table.grantedAt}`),
    index('emergency_access_unreviewed').on(table.reviewedAt, table.id),
  ],
);
