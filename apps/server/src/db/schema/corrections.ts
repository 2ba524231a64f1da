import { inArray, type SQL } from 'drizzle-orm';
import { integer, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { users } from './users.ts';

/**
 * The status of a clinical record, after FHIR's observation status: `final` as written, `amended` a
 * corrected version (it `supersedes` an older row), `superseded` an older version replaced by an
 * amendment, `entered-in-error` withdrawn with a reason. Rows are never deleted: the last two stay
 * stored and visible but leave every rule, assessment, board and rate (PRODUCT §5 "Corrections").
 */
export const RECORD_STATUSES = ['final', 'amended', 'superseded', 'entered-in-error'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** SQL: the row counts (it is the current version of a record that was not entered in error). */
export const CURRENT_RECORD = `status IN ('final', 'amended')`;

/** Drizzle condition: the row counts (see CURRENT_RECORD). */
export function currentRecord(table: { status: AnySQLiteColumn }): SQL {
  return inArray(table.status, ['final', 'amended']);
}

/**
 * The columns every correctable record carries. `statusBy`/`statusAt`/`statusReason` say who withdrew
 * or replaced the row, when and why (a migration trigger refuses either without a reason).
 */
export const correctionColumns = () => ({
  status: text('status', { enum: RECORD_STATUSES }).notNull().default('final'),
  statusReason: text('status_reason'),
  statusBy: integer('status_by').references(() => users.id, { onDelete: 'set null' }),
  statusAt: text('status_at'),
  /** On an amendment: the id of the row it replaced (same table). */
  supersedes: integer('supersedes'),
});
