/**
 * The daily tier census behind ROM compliance (PRODUCT §4: "share of high/alert patient-days with a
 * ROM reading in the previous 7 days"). A patient-day follows the rates' census convention
 * (docs/clinical-rules.md, "Rates"): the patient counts on date D on the ward where they were at the
 * start of D, in that ward's time zone. Each stored assessment upserts the day it falls in, keeping
 * the highest tier of the day; the seed backfills past days from the record. Days before the first
 * row (an installation's first day, or days the server was not running) are unknown, never 0.
 */
import {
  assessPatient,
  censusSpan,
  dateOfEpochDay,
  romWithinDays,
  TIERS,
  zoneCalendar,
  type HoWatchSettings,
  type PatientRecord,
  type RomReading,
  type Stay,
  type Tier,
} from '@ossiwatch/domain';
import { nextLocalMidnight } from './assessments.ts';
import type { DbOrTx } from './db/client.ts';
import { preparedStatement } from './statements.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A patient-day with its tier; `wardId` in the numbering of the record it came from. */
export interface DailyTier {
  readonly wardId: number;
  /** Local date 'YYYY-MM-DD' in the ward's time zone. */
  readonly date: string;
  readonly tier: Tier;
  readonly hadRomWithin7Days: boolean;
}

type CensusStay = Pick<Stay, 'wardId' | 'admittedAt' | 'dischargedAt'>;

/**
 * The census day the instant falls in, with the ward the patient was on at its start; undefined when
 * the patient was on no ward at that day's start (the day of admission, or after discharge).
 */
export function censusDayAt(
  stays: readonly CensusStay[],
  atMs: number,
  timeZoneOf: (wardId: number) => string,
): { readonly wardId: number; readonly timeZone: string; readonly day: number } | undefined {
  for (let i = stays.length - 1; i >= 0; i--) {
    const stay = stays[i];
    if (!stay) continue;
    const timeZone = timeZoneOf(stay.wardId);
    const day = zoneCalendar(timeZone).localDay(atMs);
    const span = censusSpan(stay.admittedAt, stay.dischargedAt, timeZone);
    if (span && span.first <= day && day <= span.last) {
      return { wardId: stay.wardId, timeZone, day };
    }
  }
  return undefined;
}

/** The last millisecond of local epoch day `day` in `timeZone`. */
function endOfLocalDay(day: number, timeZone: string): number {
  const calendar = zoneCalendar(timeZone);
  // UTC noon of the date is within a few hours of local noon; step onto the local day, then find its end.
  let at = day * DAY_MS + 12 * HOUR_MS;
  while (calendar.localDay(at) > day) at -= 6 * HOUR_MS;
  while (calendar.localDay(at) < day) at += 6 * HOUR_MS;
  return nextLocalMidnight(at, timeZone) - 1;
}

/** One dated list of a record, sorted by time once, so the record can be cut at any instant cheaply. */
class TimeOrdered<T> {
  private readonly items: T[];
  private readonly times: number[];

  constructor(items: readonly T[], time: (item: T) => string) {
    const timed = items.map((item) => ({ item, at: Date.parse(time(item)) }));
    timed.sort((a, b) => a.at - b.at);
    this.items = timed.map((t) => t.item);
    this.times = timed.map((t) => t.at);
  }

  /** How many items are dated at or before `atMs` (binary search). */
  private countUpTo(atMs: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.times[mid] ?? Number.POSITIVE_INFINITY) <= atMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The items dated at or before `atMs`. */
  upTo(atMs: number): T[] {
    return this.items.slice(0, this.countUpTo(atMs));
  }

  /** The items dated after `fromMs` and at or before `toMs`. */
  between(fromMs: number, toMs: number): T[] {
    return this.items.slice(this.countUpTo(fromMs), this.countUpTo(toMs));
  }
}

/**
 * The record as it stood at an instant: the dated observations taken by then (the HO watch looks at
 * no others), so an assessment of a past day reads only what was known that day, and a long history
 * is not filtered again for every day of the backfill.
 */
function recordCutter(record: PatientRecord): {
  readonly at: (atMs: number) => PatientRecord;
  readonly rom: TimeOrdered<RomReading>;
} {
  const rom = new TimeOrdered(record.romReadings, (r) => r.takenAt);
  const spasticity = new TimeOrdered(record.spasticity, (x) => x.takenAt);
  const mobility = new TimeOrdered(record.mobility, (x) => x.takenAt);
  const braden = new TimeOrdered(record.braden, (x) => x.takenAt);
  const joints = new TimeOrdered(record.jointObservations, (x) => x.takenAt);
  const vitals = new TimeOrdered(record.vitalsAndLabs, (x) => x.takenAt);
  const imaging = new TimeOrdered(record.imaging, (x) => x.takenAt);
  return {
    rom,
    at: (atMs) => ({
      ...record,
      romReadings: rom.upTo(atMs),
      spasticity: spasticity.upTo(atMs),
      mobility: mobility.upTo(atMs),
      braden: braden.upTo(atMs),
      jointObservations: joints.upTo(atMs),
      vitalsAndLabs: vitals.upTo(atMs),
      imaging: imaging.upTo(atMs),
    }),
  };
}

/**
 * The patient-days of the last `days` local dates before today and today itself (up to `nowMs`), each
 * with the tier of an assessment at the end of that day (today: at `nowMs`) on the record cut at that
 * instant, and whether a ROM reading fell on that date or the 7 before. For the seed's backfill.
 */
export function pastDailyTiers(
  record: PatientRecord,
  nowMs: number,
  days: number,
  timeZoneOf: (wardId: number) => string,
  settings: HoWatchSettings,
): DailyTier[] {
  const out: DailyTier[] = [];
  let cut: ReturnType<typeof recordCutter> | undefined;
  for (const stay of record.stays) {
    const timeZone = timeZoneOf(stay.wardId);
    const today = zoneCalendar(timeZone).localDay(nowMs);
    const span = censusSpan(stay.admittedAt, stay.dischargedAt, timeZone, nowMs);
    if (!span) continue;
    const first = Math.max(span.first, today - days);
    const last = Math.min(span.last, today);
    if (first > last) continue;
    const assessWith = { ...settings, timeZone: settings.timeZone ?? timeZone };
    cut ??= recordCutter(record);
    // Only readings that can fall in the 7-day look-back of some day of the span are worth scanning
    // (local days lie within a day of UTC days).
    const readings = cut.rom.between((first - 9) * DAY_MS, (last + 2) * DAY_MS);
    for (let day = first; day <= last; day++) {
      const at = Math.min(endOfLocalDay(day, timeZone), nowMs);
      const date = dateOfEpochDay(day);
      out.push({
        wardId: stay.wardId,
        date,
        tier: assessPatient(cut.at(at), new Date(at).toISOString(), assessWith).tier,
        hadRomWithin7Days: romWithinDays(readings, date, timeZone),
      });
    }
  }
  return out;
}

/** SQL rank of a tier: 0 = alert … 3 = low, from the domain's order (constants, never user input). */
function tierRankSql(column: string): string {
  return `CASE ${column} ${TIERS.map((tier, rank) => `WHEN '${tier}' THEN ${rank}`).join(' ')} END`;
}

const selectWardZone = preparedStatement<[number], { timeZone: string }>(
  'SELECT time_zone AS timeZone FROM wards WHERE id = ?',
);

/** The time zone of each ward the stays were on (a ward that is gone is left out). */
export function wardTimeZones(
  db: DbOrTx,
  stays: readonly Pick<Stay, 'wardId'>[],
): ReadonlyMap<number, string> {
  const zones = new Map<number, string>();
  for (const { wardId } of stays) {
    if (zones.has(wardId)) continue;
    const ward = selectWardZone(db).get(wardId);
    if (ward) zones.set(wardId, ward.timeZone);
  }
  return zones;
}

// Keeps the day's highest tier and any ROM reading already seen on an earlier save of the day; the
// ward is the one the census gives now (a backdated transfer moves the day).
const upsertDailyTier = preparedStatement<[number, number, string, Tier, number]>(
  `INSERT INTO daily_tiers (patient_id, ward_id, date, tier, had_rom_within_7_days)
   VALUES (?, ?, ?, ?, ?)
   ON CONFLICT (patient_id, date) DO UPDATE SET
     ward_id = excluded.ward_id,
     tier = CASE WHEN ${tierRankSql('excluded.tier')} < ${tierRankSql('daily_tiers.tier')}
       THEN excluded.tier ELSE daily_tiers.tier END,
     had_rom_within_7_days = max(excluded.had_rom_within_7_days, daily_tiers.had_rom_within_7_days)`,
);

/**
 * Upserts the patient-day that `now` falls in with the tier just assessed, keeping the day's highest
 * tier and any ROM reading already seen; does nothing when the patient was on no ward at the start of
 * the day. Call inside the transaction that stores the assessment; `zones` are the time zones of the
 * record's wards when the caller has them already.
 */
export function recordDailyTier(
  tx: DbOrTx,
  record: PatientRecord,
  tier: Tier,
  now: Date,
  zones: ReadonlyMap<number, string> = wardTimeZones(tx, record.stays),
): void {
  if (record.stays.length === 0) return;
  const census = censusDayAt(record.stays, now.getTime(), (id) => zones.get(id) ?? 'UTC');
  if (!census) return;
  const date = dateOfEpochDay(census.day);
  upsertDailyTier(tx).run(
    record.patient.id,
    census.wardId,
    date,
    tier,
    romWithinDays(record.romReadings, date, census.timeZone) ? 1 : 0,
  );
}
