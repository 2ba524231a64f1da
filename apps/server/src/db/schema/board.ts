import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { isInstant, oneOf } from './sql-helpers.ts';
import { patients } from './patients.ts';
import { users } from './users.ts';
import { wards } from './wards.ts';

/** When each person last opened each ward's board: what "new since you last looked" compares with. */
export const boardViews = sqliteTable(
  'board_views',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    wardId: integer('ward_id')
      .notNull()
      .references(() => wards.id, { onDelete: 'cascade' }),
    viewedAt: text('viewed_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.wardId] }),
    check('board_views_viewed_at_instant', isInstant(table.viewedAt)),
  ],
);

export const ASSESSMENT_CHANGE_KINDS = [
  'tier_rose',
  'suspected',
  'advisory',
  'recheck',
  'complication',
] as const;
export type AssessmentChangeKind = (typeof ASSESSMENT_CHANGE_KINDS)[number];

/**
 * What became worse in a patient's stored assessment, written when it is recomputed (the write's own
 * transaction): the board compares these instants with a person's last view instead of keeping and
 * re-assessing past versions of the record.
 */
export const assessmentChanges = sqliteTable(
  'assessment_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: integer('patient_id')
      .notNull()
      .references(() => patients.id, { onDelete: 'cascade' }),
    at: text('at').notNull(),
    kind: text('kind', { enum: ASSESSMENT_CHANGE_KINDS }).notNull(),
    /** In words, e.g. "Tier rose from High to Alert". */
    detail: text('detail').notNull(),
  },
  (table) => [
    index('assessment_changes_patient_at').on(table.patientId, table.at),
    check('assessment_changes_kind', oneOf(table.kind, ASSESSMENT_CHANGE_KINDS)),
    check('assessment_changes_at_instant', isInstant(table.at)),
  ],
);

/**
 * A clinician's acknowledgement of a patient's Alert or High row, one current per patient (history
 * is in the audit log). `version` guards two people acknowledging at once.
 */
export const boardAcknowledgements = sqliteTable(
  'board_acknowledgements',
  {
    patientId: integer('patient_id')
      .primaryKey()
      .references(() => patients.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The acknowledging person's name as shown then (the user may later be renamed or removed). */
    byName: text('by_name').notNull(),
    note: text('note').notNull(),
    acknowledgedAt: text('acknowledged_at').notNull(),
  },
  (table) => [
    check('board_acknowledgements_version', sql`${table.version} >= 1`),
    check('board_acknowledgements_note_length', sql`length(${table.note}) BETWEEN 1 AND 500`),
    check('board_acknowledgements_at_instant', isInstant(table.acknowledgedAt)),
  ],
);
