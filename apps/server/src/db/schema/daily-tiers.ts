import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { TIERS } from '@ossiwatch/domain';
import { isBoolean, oneOf } from './sql-helpers.ts';
import { patients } from './patients.ts';
import { wards } from './wards.ts';

/**
 * One row per patient and local day on a ward: the highest HO watch tier the patient had that day and
 * whether a ROM reading was taken on that date or the 7 dates before. ROM compliance (PRODUCT §4: "share
 * of high/alert patient-days with a ROM reading in the previous 7 days") needs each past day's tier,
 * which the stored assessment (today's only) cannot give. Written with every stored assessment, and
 * backfilled by the seed; compliance is known from the first date recorded here onward.
 */
export const dailyTiers = sqliteTable(
  'daily_tiers',
  {
    patientId: integer('patient_id')
      .notNull()
      .references(() => patients.id, { onDelete: 'cascade' }),
    /** The ward the patient was on at the first assessment of the day. */
    wardId: integer('ward_id')
      .notNull()
      .references(() => wards.id, { onDelete: 'restrict' }),
    /** Local date 'YYYY-MM-DD' in the ward's time zone. */
    date: text('date').notNull(),
    /** The highest tier of the day (alert > high > elevated > low). */
    tier: text('tier', { enum: TIERS }).notNull(),
    hadRomWithin7Days: integer('had_rom_within_7_days', { mode: 'boolean' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.patientId, table.date] }),
    index('daily_tiers_ward_date').on(table.wardId, table.date),
    check('daily_tiers_tier', oneOf(table.tier, TIERS)),
    check('daily_tiers_had_rom', isBoolean(table.hadRomWithin7Days)),
    check(
      'daily_tiers_date',
      sql`${table.date} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND date(${table.date}) IS NOT NULL`,
    ),
  ],
);

/**
 * The high/alert patient-days of each ward and date in `daily_tiers`, and how many had a ROM reading
 * in the 7 days before: ROM compliance over years reads one row per ward and date instead of one per
 * patient and date. Kept by triggers on `daily_tiers` (migration 0009), whatever process writes it.
 */
export const dailyTierCounts = sqliteTable(
  'daily_tier_counts',
  {
    wardId: integer('ward_id').notNull(),
    /** Local date 'YYYY-MM-DD' in the ward's time zone, as in `daily_tiers`. */
    date: text('date').notNull(),
    /** High/alert patient-days. */
    days: integer('days').notNull(),
    /** Of those, the days with a ROM reading on the date or the 7 dates before. */
    romDays: integer('rom_days').notNull(),
  },
  (table) => [primaryKey({ columns: [table.wardId, table.date] })],
);
