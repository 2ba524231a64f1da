/**
 * The daily tier census (`daily_tiers`, behind ROM compliance) follows the stays as they are now, not
 * as they were when each day was written: a backdated discharge, transfer or admission moves, removes
 * or adds the patient-days it changes. A patient-day is on the ward the patient was on at the start of
 * the local day (docs/clinical-rules.md, "Rates"); a day the patient no longer occupies is deleted, a
 * day now on another ward moves there, and a day newly occupied within the census window is written
 * with the tier an assessment at the end of that day gives (as the seed's backfill does).
 */
import { censusSpan, dateOfEpochDay, zoneCalendar } from '@ossiwatch/domain';
import { loadHoWatchSettings } from '../../assessments.ts';
import { pastDailyTiers, wardTimeZones } from '../../daily-tiers.ts';
import type { DbOrTx } from '../../db/client.ts';
import { loadPatientRecord } from '../../record.ts';
import { preparedStatement } from '../../statements.ts';

/** How far back a stay change rewrites missing patient-days: the seed's backfill window. */
export const CENSUS_REWRITE_DAYS = 56;

const selectDays = preparedStatement<[number], { date: string; wardId: number }>(
  'SELECT date, ward_id AS wardId FROM daily_tiers WHERE patient_id = ?',
);
const deleteDay = preparedStatement<[number, string]>(
  'DELETE FROM daily_tiers WHERE patient_id = ? AND date = ?',
);
const moveDay = preparedStatement<[number, number, string]>(
  'UPDATE daily_tiers SET ward_id = ? WHERE patient_id = ? AND date = ?',
);
const insertDay = preparedStatement<[number, number, string, string, number]>(
  `INSERT INTO daily_tiers (patient_id, ward_id, date, tier, had_rom_within_7_days)
   VALUES (?, ?, ?, ?, ?)`,
);

/**
 * The ward of each local date the patient occupies up to `nowMs` (census at local midnight, in each
 * ward's zone); later stays win a date two zones would both give.
 */
export function occupiedDays(
  stays: readonly { wardId: number; admittedAt: string; dischargedAt: string | null }[],
  nowMs: number,
  timeZoneOf: (wardId: number) => string,
): Map<string, number> {
  const days = new Map<string, number>();
  for (const stay of stays) {
    const timeZone = timeZoneOf(stay.wardId);
    const span = censusSpan(stay.admittedAt, stay.dischargedAt, timeZone, nowMs);
    if (!span) continue;
    const last = Math.min(span.last, zoneCalendar(timeZone).localDay(nowMs));
    for (let day = span.first; day <= last; day++) days.set(dateOfEpochDay(day), stay.wardId);
  }
  return days;
}

/** Brings the patient's rows of `daily_tiers` in line with their stays; call inside the write. */
export function reconcileDailyTiers(tx: DbOrTx, patientId: number, now: Date): void {
  const record = loadPatientRecord(tx, patientId);
  if (!record) return;
  const zones = wardTimeZones(tx, record.stays);
  const zoneOf = (wardId: number): string => zones.get(wardId) ?? 'UTC';
  const nowMs = now.getTime();
  const occupied = occupiedDays(record.stays, nowMs, zoneOf);
  const written = new Set<string>();
  for (const row of selectDays(tx).all(patientId)) {
    const wardId = occupied.get(row.date);
    if (wardId === undefined) deleteDay(tx).run(patientId, row.date);
    else if (wardId !== row.wardId) moveDay(tx).run(wardId, patientId, row.date);
    written.add(row.date);
  }
  const missing = [...occupied.keys()].some((date) => !written.has(date));
  if (!missing) return;
  for (const day of pastDailyTiers(
    record,
    nowMs,
    CENSUS_REWRITE_DAYS,
    zoneOf,
    loadHoWatchSettings(tx),
  )) {
    if (written.has(day.date) || occupied.get(day.date) !== day.wardId) continue;
    insertDay(tx).run(patientId, day.wardId, day.date, day.tier, day.hadRomWithin7Days ? 1 : 0);
    written.add(day.date);
  }
}
