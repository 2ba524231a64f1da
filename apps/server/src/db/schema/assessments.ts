import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { TIERS } from '@ossiwatch/domain';
import { isInstant, oneOf } from './sql-helpers.ts';
import { patients } from './patients.ts';

/**
 * The stored copy of each patient's HO watch assessment: a cache of a pure function of
 * (record, now, settings), rebuilt by `pnpm ossiwatch reassess`. `validUntil` is the earliest instant
 * at which time alone could change it; the board recomputes rows past it.
 */
export const patientAssessments = sqliteTable(
  'patient_assessments',
  {
    patientId: integer('patient_id')
      .primaryKey()
      .references(() => patients.id, { onDelete: 'cascade' }),
    tier: text('tier', { enum: TIERS }).notNull(),
    /** 0 = alert … 3 = low: sorts the board without a CASE expression. */
    tierRank: integer('tier_rank').notNull(),
    assessment: text('assessment', { mode: 'json' }).notNull(),
    /** What the board row shows besides the tier (latest JH-HLM, Braden, complications, catheter). */
    board: text('board', { mode: 'json' }).notNull(),
    assessedAt: text('assessed_at').notNull(),
    validUntil: text('valid_until').notNull(),
  },
  (table) => [
    index('patient_assessments_valid_until').on(table.validUntil),
    check('patient_assessments_tier', oneOf(table.tier, TIERS)),
    check('patient_assessments_tier_rank', sql`${table.tierRank} BETWEEN 0 AND 3`),
    check('patient_assessments_assessment_json', sql`json_valid(${table.assessment})`),
    check('patient_assessments_board_json', sql`json_valid(${table.board})`),
    check('patient_assessments_assessed_at_instant', isInstant(table.assessedAt)),
    check('patient_assessments_valid_until_instant', isInstant(table.validUntil)),
  ],
);
