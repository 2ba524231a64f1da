/**
 * `rates.summary` (PRODUCT §4, §6): complication rates per ward and month for managers. Aggregates
 * only: the result names wards, months and counts, never a patient.
 *
 * The domain's `computeRates` does the counting, one ward at a time, and `combineWardRates` adds the
 * wards up. This file loads what it needs with one query per table, only the columns it reads, for
 * the wards and dates asked (no query per patient). HO detection lead time needs each confirmed
 * site's ROM series before its confirmation: those events are computed once and kept per database,
 * and refreshed for the patients that have new readings since.
 *
 * Counting three years of 40 wards takes about half a second; PRODUCT §9 asks for 200 ms. So the
 * rows and each ward's figures are kept between requests (see KeptFigures below): triggers
 * (migrations 0007–0008) note every write to stays, catheter episodes, complications and imaging
 * with its patient, whatever process made it; the next request reads those patients' rows again and
 * counts only the wards they touch. A past month therefore changes at the first request after a
 * backdated write, exactly as if everything had been counted again.
 *
 * ROM compliance (PRODUCT §4: share of high/alert patient-days with a ROM reading in the previous 7
 * days) reads the daily tier census (`daily_tiers`, src/daily-tiers.ts): each stored assessment
 * records the day's highest tier on the ward where the patient was at the start of the day, and the
 * seed backfills its last 8 weeks. Compliance is therefore known only from the first recorded day
 * onward: the result says whether any day in the range was recorded (`complianceAvailable`) and the
 * first one (`complianceFrom`); days before it, or days the server did not run, are not counted
 * at all (unknown, never 0).
 */
import {
  computeRates,
  isIsoDate,
  localDate,
  romDeclineAt,
  type CatheterEpisode,
  type Complication,
  type DetectionEvent,
  type HoDiagnosisEvent,
  type HoWatchSettings,
  type JointSite,
  type RatesResult,
  type RomReading,
  type Side,
  type Stay,
  type TierDayCount,
  withCompliance,
  zoneCalendar,
  combineWardRates,
} from '@ossiwatch/domain';
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { loadHoWatchSettings } from '../assessments.ts';
import { queueAudit } from '../audit.ts';
import type { OssiwatchDb } from '../db/client.ts';
import { CURRENT_RECORD } from '../db/schema/corrections.ts';
import { preparedStatement } from '../statements.ts';
import { roleProcedure } from '../trpc.ts';
import * as overview from '../features/rates/overview.ts';

const DAY_MS = 86_400_000;
/** A manager looks back over years, not decades; the bound keeps one request's work bounded. */
export const MAX_RANGE_DAYS = 5 * 366;
/** Margin around the range when selecting rows by instant: local days differ from UTC days by < 1. */
const MARGIN_MS = 2 * DAY_MS;

const dateOrInstant = z
  .string()
  .max(40)
  .refine(
    (value) => isIsoDate(value) || /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value),
    {
      message: 'must be a date (YYYY-MM-DD) or an ISO 8601 instant',
    },
  )
  .refine((value) => isIsoDate(value) || Number.isFinite(Date.parse(value)), {
    message: 'is not a real instant',
  });

export const ratesSummaryInput = z.strictObject({
  from: dateOrInstant,
  to: dateOrInstant,
  wardIds: z.array(z.number().int().positive()).max(500).optional(),
});

/** An instant becomes the local date it falls on in the ward's zone; a date stays as it is. */
function toLocalDate(value: string, timeZone: string): string {
  return isIsoDate(value) ? value : localDate(new Date(Date.parse(value)).toISOString(), timeZone);
}

// ---- detection lead time: first ROM alert before each site's confirmation -----------------------

interface Confirmation {
  readonly patientId: number;
  readonly site: JointSite;
  readonly side: Side;
  readonly confirmedAt: string;
}

interface DetectionCache {
  /** The settings the declines were found with (decline thresholds, look-back). */
  settingsKey: string;
  /** Every ROM reading with an id up to this one has been seen. */
  readingWatermark: number;
  /** `${patientId}|${site}|${side}|${confirmedAt}` → first alert, or null when none preceded it. */
  readonly firstAlert: Map<string, string | null>;
}

const detectionCaches = new WeakMap<OssiwatchDb, DetectionCache>();

const confirmationKey = (c: Confirmation): string =>
  `${c.patientId}|${c.site}|${c.side}|${c.confirmedAt}`;

/**
 * The first ROM decline (PRODUCT §3) at the site in the vigilance window before its confirmation, for
 * each confirmation; computed for those not known yet, in one query over their readings.
 */
function firstAlerts(
  db: OssiwatchDb,
  confirmations: readonly Confirmation[],
  settings: HoWatchSettings,
): Map<string, string | null> {
  const settingsKey = JSON.stringify([
    settings.romDeclineDegrees,
    settings.romDeclinePercent,
    settings.romLookbackDays,
    settings.vigilanceEndDay,
    settings.timeZone ?? null,
    // A reading withdrawn or replaced (rare) changes what came first: every first alert is found again.
    (
      db.$client
        .prepare(
          `SELECT count(*) AS n FROM rom_readings WHERE status IN ('superseded', 'entered-in-error')`,
        )
        .get() as { n: number }
    ).n,
  ]);
  const watermark =
    (db.$client.prepare('SELECT max(id) AS id FROM rom_readings').get() as { id: number | null })
      .id ?? 0;
  let cache = detectionCaches.get(db);
  if (!cache || cache.settingsKey !== settingsKey) {
    cache = { settingsKey, readingWatermark: watermark, firstAlert: new Map() };
    detectionCaches.set(db, cache);
  } else if (watermark !== cache.readingWatermark) {
    // Readings are appended, never edited: only patients with newer readings can have a new answer.
    const changed = new Set(
      (
        db.$client
          .prepare('SELECT DISTINCT patient_id AS p FROM rom_readings WHERE id > ?')
          .all(cache.readingWatermark) as { p: number }[]
      ).map((row) => row.p),
    );
    for (const key of cache.firstAlert.keys()) {
      if (changed.has(Number(key.slice(0, key.indexOf('|'))))) cache.firstAlert.delete(key);
    }
    cache.readingWatermark = watermark;
  }
  const missing = confirmations.filter((c) => !cache.firstAlert.has(confirmationKey(c)));
  if (missing.length > 0) {
    // The window: HO shows from about day 14 to month 4 (CR §2.3); an older decline is another story.
    const windowMs = settings.vigilanceEndDay * DAY_MS;
    const rows = db.$client
      .prepare(
        `WITH wanted(patient_id, site, side, confirmed_at, window_start) AS (
           SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?)
         )
         SELECT w.confirmed_at AS confirmedAt, r.patient_id AS patientId, r.site, r.side,
           r.movement, r.mode, r.degrees, r.taken_at AS takenAt, r.id, r.session_id AS sessionId
         FROM wanted w
         JOIN rom_readings r ON r.patient_id = w.patient_id AND r.site = w.site AND r.side = w.side
           AND r.${CURRENT_RECORD}
           AND r.taken_at >= w.window_start AND r.taken_at <= w.confirmed_at
         ORDER BY r.patient_id, r.site, r.side, w.confirmed_at, r.movement, r.mode, r.taken_at, r.id`,
      )
      .all(
        JSON.stringify(
          missing.map((c) => [
            c.patientId,
            c.site,
            c.side,
            c.confirmedAt,
            new Date(Date.parse(c.confirmedAt) - windowMs).toISOString(),
          ]),
        ),
      ) as (RomReading & { confirmedAt: string; patientId: number })[];
    for (const c of missing) cache.firstAlert.set(confirmationKey(c), null);
    let start = 0;
    while (start < rows.length) {
      const first = rows[start];
      if (!first) break;
      let end = start;
      const sameSeries = (r: (typeof rows)[number]): boolean =>
        r.patientId === first.patientId &&
        r.site === first.site &&
        r.side === first.side &&
        r.confirmedAt === first.confirmedAt &&
        r.movement === first.movement &&
        r.mode === first.mode;
      for (let next = rows[end]; next && sameSeries(next); next = rows[end]) end += 1;
      const series = rows.slice(start, end);
      const key = confirmationKey({ ...first, confirmedAt: first.confirmedAt });
      for (let i = 1; i < series.length; i++) {
        if (romDeclineAt(series, i, settings)) {
          const at = series[i]?.takenAt;
          const known = cache.firstAlert.get(key);
          if (at && (known === null || known === undefined || at < known)) {
            cache.firstAlert.set(key, at);
          }
          break;
        }
      }
      start = end;
    }
  }
  return cache.firstAlert;
}

// ---- loading -----------------------------------------------------------------------------------

interface WardRow {
  readonly id: number;
  readonly name: string;
  readonly timeZone: string;
}

type LoadedCatheter = CatheterEpisode & { patientId: number; wardId: number };
type LoadedComplication = Complication & { patientId: number };

/** The rows computeRates counts from, for these wards between two instants (with margins). */
interface LoadedRows {
  stays: Stay[];
  catheterEpisodes: LoadedCatheter[];
  complications: LoadedComplication[];
  confirmations: Confirmation[];
}

/**
 * Each query selects the rows of the wards in the window, and optionally only those of some
 * patients (after a write): `@patients` is null for all patients, else a JSON array of their ids.
 */
interface RowParams {
  wardIds: string;
  upper: string;
  lower: string;
  patients: string | null;
}
// Rates follow the patient (PRODUCT §4): every row of a patient with a stay on a requested ward in
// the window is read, whichever ward it names, so a catheter put in on another ward counts toward a
// CAUTI here, device days are counted on the ward of each midnight, and the transfer rule can see
// the stay a patient came from. The domain counts only on the requested wards.
const PATIENTS_OF_WARDS = `patient_id IN (
     SELECT patient_id FROM stays
     WHERE ward_id IN (SELECT value FROM json_each(@wardIds)) AND admitted_at <= @upper
       AND (discharged_at IS NULL OR discharged_at >= @lower)
       AND (@patients IS NULL OR patient_id IN (SELECT value FROM json_each(@patients))))`;
const staysStatement = preparedStatement<[RowParams], Stay>(
  `SELECT id, patient_id AS patientId, ward_id AS wardId, NULL AS bedLabel,
     admitted_at AS admittedAt, discharged_at AS dischargedAt
   FROM stays
   WHERE ${PATIENTS_OF_WARDS} AND admitted_at <= @upper
     AND (discharged_at IS NULL OR discharged_at >= @lower)`,
);
const cathetersStatement = preparedStatement<[RowParams & { from: string }], LoadedCatheter>(
  `SELECT id, patient_id AS patientId, ward_id AS wardId, inserted_at AS insertedAt,
     removed_at AS removedAt
   FROM catheter_episodes
   WHERE ${CURRENT_RECORD} AND ${PATIENTS_OF_WARDS} AND inserted_at <= @upper
     AND (removed_at IS NULL OR removed_at >= @from)`,
);
interface ComplicationRow {
  id: number;
  patientId: number;
  wardId: number;
  kind: Complication['kind'];
  onsetAt: string;
  resolvedAt: string | null;
  poa: number;
  stage: Extract<Complication, { kind: 'pressure_injury' }>['stage'] | null;
  bodySite: string | null;
  deviceRelated: number | null;
}
const complicationsStatement = preparedStatement<[RowParams & { from: string }], ComplicationRow>(
  `SELECT id, patient_id AS patientId, ward_id AS wardId, kind, onset_at AS onsetAt,
     resolved_at AS resolvedAt, present_on_admission AS poa, stage, body_site AS bodySite,
     device_related AS deviceRelated
   FROM complications
   WHERE ${CURRENT_RECORD} AND ${PATIENTS_OF_WARDS} AND onset_at BETWEEN @from AND @upper
     AND present_on_admission = 0`,
);
// HO confirmed: the first positive imaging of a site, counted on the ward of the stay it fell in.
const confirmationsStatement = preparedStatement<[Omit<RowParams, 'wardIds'>], Confirmation>(
  `SELECT patient_id AS patientId, site, side, min(taken_at) AS confirmedAt
   FROM imaging WHERE result = 'positive' AND ${CURRENT_RECORD}
     AND (@patients IS NULL OR patient_id IN (SELECT value FROM json_each(@patients)))
   GROUP BY patient_id, site, side
   HAVING min(taken_at) BETWEEN @lower AND @upper`,
);

function toComplication(row: ComplicationRow): LoadedComplication {
  const base = {
    id: row.id,
    patientId: row.patientId,
    wardId: row.wardId,
    onsetAt: row.onsetAt,
    resolvedAt: row.resolvedAt,
    presentOnAdmission: row.poa === 1,
  };
  switch (row.kind) {
    case 'pressure_injury':
      return {
        ...base,
        kind: 'pressure_injury',
        stage: row.stage ?? 'unstageable',
        bodySite: row.bodySite ?? '',
        deviceRelated: row.deviceRelated === 1,
      };
    case 'pneumonia':
      return { ...base, kind: 'pneumonia' };
    case 'uti':
      return { ...base, kind: 'uti' };
    case 'dvt':
      return { ...base, kind: 'dvt', site: null, side: null };
  }
}

interface Window {
  readonly wardIds: string;
  readonly lower: string;
  readonly upper: string;
  /** The earliest admission of a stay in the window: its catheters and injuries count too. */
  readonly earliestAdmission: string;
}

function windowOf(wards: readonly WardRow[], fromMs: number, toMs: number): Window {
  const lower = new Date(fromMs - MARGIN_MS).toISOString();
  return {
    wardIds: JSON.stringify(wards.map((w) => w.id)),
    lower,
    upper: new Date(toMs + MARGIN_MS).toISOString(),
    earliestAdmission: lower,
  };
}

/** The earliest of the window's lower bound and the stays' admissions. */
const earliestAdmissionOf = (stays: readonly Stay[], lower: string): string =>
  stays.reduce((min, stay) => (stay.admittedAt < min ? stay.admittedAt : min), lower);

/**
 * The rows of the window, of all patients (null) or of some (a JSON array of ids); all patients'
 * stays set the window's earliest admission, some patients' are read with the one already set.
 */
function loadRows(
  db: OssiwatchDb,
  base: Window,
  patients: string | null,
): { rows: LoadedRows; window: Window } {
  const { wardIds, lower, upper } = base;
  const stays = staysStatement(db).all({ wardIds, upper, lower, patients });
  const window =
    patients === null ? { ...base, earliestAdmission: earliestAdmissionOf(stays, lower) } : base;
  // A stay discharged in the range may have had its pressure injury long before the range began.
  const earliest = window.earliestAdmission;
  return {
    window,
    rows: {
      stays,
      catheterEpisodes: cathetersStatement(db).all({
        wardIds,
        upper,
        lower,
        from: earliest,
        patients,
      }),
      complications: complicationsStatement(db)
        .all({ wardIds, upper, lower, from: earliest, patients })
        .map(toComplication),
      confirmations: confirmationsStatement(db).all({ lower, upper, patients }),
    },
  };
}

/**
 * The settings a ROM decline is found with in the rates: on the wards' calendar (their time zone),
 * as the assessments count the look-back days, unless the settings fix a zone for the whole hospital.
 */
function onWardCalendar(settings: HoWatchSettings, timeZone: string): HoWatchSettings {
  return settings.timeZone ? settings : { ...settings, timeZone };
}

/** HO diagnoses and detection events of confirmations on a ward of the selection. */
function eventsOf(
  db: OssiwatchDb,
  rows: LoadedRows,
  settings: HoWatchSettings,
): { hoDiagnoses: HoDiagnosisEvent[]; detections: DetectionEvent[] } {
  const staysByPatient = new Map<number, Stay[]>();
  for (const stay of rows.stays) {
    const list = staysByPatient.get(stay.patientId) ?? [];
    list.push(stay);
    staysByPatient.set(stay.patientId, list);
  }
  const wardAt = (patientId: number, instant: string): number | undefined =>
    (staysByPatient.get(patientId) ?? []).find(
      (s) => s.admittedAt <= instant && (s.dischargedAt === null || s.dischargedAt >= instant),
    )?.wardId;
  const hoDiagnoses: HoDiagnosisEvent[] = [];
  const onWard: (Confirmation & { wardId: number })[] = [];
  for (const confirmation of rows.confirmations) {
    const wardId = wardAt(confirmation.patientId, confirmation.confirmedAt);
    if (wardId === undefined) continue;
    onWard.push({ ...confirmation, wardId });
    hoDiagnoses.push({
      patientId: confirmation.patientId,
      wardId,
      site: confirmation.site,
      side: confirmation.side,
      diagnosedAt: confirmation.confirmedAt,
    });
  }
  const alerts = firstAlerts(db, onWard, settings);
  const detections: DetectionEvent[] = onWard.flatMap((confirmation) => {
    const firstRomAlertAt = alerts.get(confirmationKey(confirmation));
    return firstRomAlertAt
      ? [
          {
            patientId: confirmation.patientId,
            wardId: confirmation.wardId,
            site: confirmation.site,
            side: confirmation.side,
            firstRomAlertAt,
            confirmedAt: confirmation.confirmedAt,
          },
        ]
      : [];
  });
  return { hoDiagnoses, detections };
}

/**
 * Each ward's computation gets its own stays, catheters, complications and HO events, and every
 * row of the patients in them (a UTI's catheter or a stay's pressure injury may be on another ward).
 */
function wardInputs(
  rows: LoadedRows,
  events: { hoDiagnoses: HoDiagnosisEvent[]; detections: DetectionEvent[] },
  wardIds: ReadonlySet<number>,
) {
  const patientsOf = new Map<number, Set<number>>();
  const patients = new Set<number>();
  const touch = (row: { wardId: number; patientId: number }): void => {
    if (!wardIds.has(row.wardId)) return;
    const set = patientsOf.get(row.wardId) ?? new Set<number>();
    set.add(row.patientId);
    patientsOf.set(row.wardId, set);
    patients.add(row.patientId);
  };
  rows.stays.forEach(touch);
  rows.catheterEpisodes.forEach(touch);
  rows.complications.forEach(touch);
  const byPatient = new Map<
    number,
    { stays: Stay[]; catheters: LoadedCatheter[]; complications: LoadedComplication[] }
  >();
  const of = (patientId: number) => {
    let entry = byPatient.get(patientId);
    if (!entry) {
      entry = { stays: [], catheters: [], complications: [] };
      byPatient.set(patientId, entry);
    }
    return entry;
  };
  for (const stay of rows.stays) {
    if (patients.has(stay.patientId)) of(stay.patientId).stays.push(stay);
  }
  for (const episode of rows.catheterEpisodes) {
    if (patients.has(episode.patientId)) of(episode.patientId).catheters.push(episode);
  }
  for (const event of rows.complications) {
    if (patients.has(event.patientId)) of(event.patientId).complications.push(event);
  }
  return (wardId: number) => {
    const stays: Stay[] = [];
    const catheterEpisodes: LoadedCatheter[] = [];
    const complications: LoadedComplication[] = [];
    for (const patientId of patientsOf.get(wardId) ?? []) {
      const entry = byPatient.get(patientId);
      if (!entry) continue;
      stays.push(...entry.stays);
      catheterEpisodes.push(...entry.catheters);
      complications.push(...entry.complications);
    }
    return {
      stays,
      // Without the ward of insertion: each catheter-day counts on the ward of the stay it falls in.
      catheterEpisodes: catheterEpisodes.map(({ wardId: _insertedOn, ...episode }) => episode),
      complications,
      hoDiagnoses: events.hoDiagnoses.filter((d) => d.wardId === wardId),
      detections: events.detections.filter((d) => d.wardId === wardId),
    };
  };
}

/** The wards a patient's rows touch (stays, catheters, complications, HO events). */
function wardsOfPatients(
  rows: LoadedRows,
  events: { hoDiagnoses: HoDiagnosisEvent[] },
  patients: ReadonlySet<number>,
  into: Set<number>,
): void {
  for (const list of [rows.stays, rows.catheterEpisodes, rows.complications, events.hoDiagnoses]) {
    for (const row of list) if (patients.has(row.patientId)) into.add(row.wardId);
  }
}

const tierDayCountsStatement = preparedStatement<[string, string, string], TierDayCount>(
  `SELECT ward_id AS wardId, min(date) AS date, sum(days) AS days, sum(rom_days) AS romDays
   FROM daily_tier_counts
   WHERE ward_id IN (SELECT value FROM json_each(?)) AND date BETWEEN ? AND ?
   GROUP BY ward_id, substr(date, 1, 7)`,
);
/** Each ward's first recorded date by a seek on the (ward, date) index, then the earliest. */
const firstTierDateStatement = preparedStatement<
  [string, string, string],
  { firstDate: string | null }
>(
  `SELECT min(first) AS firstDate FROM (
     SELECT (SELECT min(date) FROM daily_tiers
             WHERE ward_id = w.value AND date BETWEEN ? AND ?) AS first
     FROM json_each(?) w
   )`,
);

/**
 * The high/alert patient-days of these wards per ward and month between two local dates (only those
 * count for compliance; `daily_tier_counts` holds them per ward and date), and the first date of the
 * range with any recorded day.
 */
function loadTierDayCounts(
  db: OssiwatchDb,
  wards: readonly WardRow[],
  fromDate: string,
  toDate: string,
): { counts: TierDayCount[]; firstDate: string | null } {
  const wardIds = JSON.stringify(wards.map((w) => w.id));
  const counts = tierDayCountsStatement(db).all(wardIds, fromDate, toDate);
  const first = firstTierDateStatement(db).get(fromDate, toDate, wardIds);
  return { counts, firstDate: first?.firstDate ?? null };
}

export type RatesSummary = RatesResult & {
  readonly wards: readonly { readonly id: number; readonly name: string }[];
  /**
   * Whether any patient-day of the range has a recorded tier. ROM compliance needs each day's tier,
   * kept from the first recorded day onward (the installation's first day, or the seed's 8 weeks of
   * backfill): without one, its denominator is 0 and its value null (unknown, never 0).
   */
  readonly complianceAvailable: boolean;
  /**
   * The first local date of the range with a recorded tier ('YYYY-MM-DD'), or null: compliance covers
   * the days from here on, and says nothing about the days of the range before it.
   */
  readonly complianceFrom: string | null;
};

// ---- figures kept between requests ------------------------------------------------------------

/**
 * The figures of one request (all rates but ROM compliance) and the rows they were counted from,
 * kept per ward for the same wards, range and settings, while the clock has not reached the next
 * change it brings alone (the next local midnight counts open stays and catheters one more day; a
 * discharge, admission, insertion or removal recorded ahead of time counts once its instant has
 * passed). A write to stays, catheter episodes, complications or imaging raises
 * `rates_data_version` and records its patient (triggers, whatever wrote it); a new ROM reading of
 * a patient with a confirmed site may move a lead time. Those patients' rows are read again and the
 * wards they touch counted again; the other wards keep their figures.
 */
interface KeptFigures {
  readonly dataVersion: number;
  readonly readingWatermark: number;
  readonly computedAtMs: number;
  readonly validUntilMs: number;
  readonly window: Window;
  readonly rows: LoadedRows;
  readonly events: { hoDiagnoses: HoDiagnosisEvent[]; detections: DetectionEvent[] };
  readonly perWard: ReadonlyMap<number, RatesResult>;
  readonly result: RatesResult;
}

/** A manager asks for a few ranges at a time (a page, a CSV): the last ones asked are kept. */
const KEPT_PER_DATABASE = 4;
/** With more patients written since, reading everything again is about as quick. */
const MAX_PATCHED_PATIENTS = 500;
const keptFigures = new WeakMap<OssiwatchDb, Map<string, KeptFigures>>();

const dataVersionStatement = preparedStatement<[], { version: number }>(
  'SELECT version FROM rates_data_version WHERE id = 1',
);
const changedPatientsStatement = preparedStatement<[number], { p: number }>(
  'SELECT patient_id AS p FROM rates_changed_patients WHERE version > ?',
);
const readingWatermarkStatement = preparedStatement<[], { id: number | null }>(
  'SELECT max(id) AS id FROM rom_readings',
);
const patientsWithReadingsAfterStatement = preparedStatement<[number], { p: number }>(
  'SELECT DISTINCT patient_id AS p FROM rom_readings WHERE id > ?',
);

/** The first instant after `nowMs` at which the local date in `timeZone` changes. */
function nextLocalMidnight(nowMs: number, timeZone: string): number {
  const zone = zoneCalendar(timeZone);
  const today = zone.localDay(nowMs);
  // Days are at most 25 hours long (daylight saving): the next one starts within 26 hours.
  let lo = nowMs;
  let hi = nowMs + 26 * 3_600_000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.localDay(mid) > today) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The next instant the clock alone may change the figures of these rows (see KeptFigures). */
function validUntil(rows: LoadedRows, nowMs: number, timeZone: string): number {
  let until = nextLocalMidnight(nowMs, timeZone);
  const consider = (instant: string | null): void => {
    if (instant === null) return;
    const ms = Date.parse(instant);
    if (ms > nowMs && ms < until) until = ms;
  };
  for (const stay of rows.stays) {
    consider(stay.admittedAt);
    consider(stay.dischargedAt);
  }
  for (const episode of rows.catheterEpisodes) {
    consider(episode.insertedAt);
    consider(episode.removedAt);
  }
  return until;
}

interface Request {
  readonly db: OssiwatchDb;
  readonly wards: readonly WardRow[];
  readonly timeZone: string;
  readonly fromDate: string;
  readonly toDate: string;
  readonly now: Date;
  readonly settings: HoWatchSettings;
  readonly dataVersion: number;
  readonly readingWatermark: number;
}

/** Counts the given wards again from the rows and combines them with the others' kept figures. */
function figures(
  request: Request,
  rows: LoadedRows,
  events: KeptFigures['events'],
  kept: { perWard: ReadonlyMap<number, RatesResult>; wardIds: ReadonlySet<number> } | null,
): Pick<KeptFigures, 'perWard' | 'result'> {
  const { wards, timeZone, fromDate, toDate, now, settings } = request;
  const base = {
    timeZone,
    from: fromDate,
    to: toDate,
    asOf: now.toISOString(),
    pressureInjury: settings,
    transferRule: settings.nhsnTransferRule,
  };
  const inputsOf = wardInputs(rows, events, kept ? kept.wardIds : new Set(wards.map((w) => w.id)));
  const perWard = new Map(kept?.perWard ?? []);
  for (const ward of wards) {
    if (kept && !kept.wardIds.has(ward.id)) continue;
    perWard.set(
      ward.id,
      computeRates({ ...base, wards: [{ id: ward.id, name: ward.name }], ...inputsOf(ward.id) }),
    );
  }
  const result = combineWardRates(
    { ...base, wards: wards.map(({ id, name }) => ({ id, name })), detections: events.detections },
    perWard,
  );
  return { perWard, result };
}

function computeAll(request: Request, fromMs: number, toMs: number): KeptFigures {
  const { db, wards, settings, now, timeZone } = request;
  const { rows, window } = loadRows(db, windowOf(wards, fromMs, toMs), null);
  const events = eventsOf(db, rows, onWardCalendar(settings, timeZone));
  const nowMs = now.getTime();
  return {
    dataVersion: request.dataVersion,
    readingWatermark: request.readingWatermark,
    computedAtMs: nowMs,
    validUntilMs: validUntil(rows, nowMs, timeZone),
    window,
    rows,
    events,
    ...figures(request, rows, events, null),
  };
}

/** The kept figures brought up to date after writes, or undefined to compute everything again. */
function brought(request: Request, kept: KeptFigures): KeptFigures | undefined {
  const { db, settings, now, timeZone } = request;
  const nowMs = now.getTime();
  if (nowMs < kept.computedAtMs || nowMs >= kept.validUntilMs) return undefined;
  if (
    kept.dataVersion === request.dataVersion &&
    kept.readingWatermark === request.readingWatermark
  )
    return kept;
  const changed = new Set<number>();
  if (kept.dataVersion !== request.dataVersion) {
    for (const row of changedPatientsStatement(db).all(kept.dataVersion)) changed.add(row.p);
  }
  if (kept.readingWatermark !== request.readingWatermark) {
    // Readings are appended, never edited: only a patient with newer readings can have a new alert.
    const confirmed = new Set(kept.events.hoDiagnoses.map((d) => d.patientId));
    for (const row of patientsWithReadingsAfterStatement(db).all(kept.readingWatermark)) {
      if (confirmed.has(row.p)) changed.add(row.p);
    }
  }
  if (changed.size > MAX_PATCHED_PATIENTS) return undefined;
  if (changed.size === 0) {
    // Readings of patients without a confirmed site (most ROM saves): nothing counted has changed.
    return {
      ...kept,
      dataVersion: request.dataVersion,
      readingWatermark: request.readingWatermark,
    };
  }
  const fresh = loadRows(db, kept.window, JSON.stringify([...changed])).rows;
  const others = <T extends { patientId: number }>(list: readonly T[]): T[] =>
    list.filter((row) => !changed.has(row.patientId));
  const rows: LoadedRows = {
    stays: [...others(kept.rows.stays), ...fresh.stays],
    catheterEpisodes: [...others(kept.rows.catheterEpisodes), ...fresh.catheterEpisodes],
    complications: [...others(kept.rows.complications), ...fresh.complications],
    confirmations: [...others(kept.rows.confirmations), ...fresh.confirmations],
  };
  // An earlier admission widens the window of every patient's catheters and injuries.
  if (earliestAdmissionOf(rows.stays, kept.window.lower) !== kept.window.earliestAdmission) {
    return undefined;
  }
  const freshEvents = eventsOf(
    db,
    { ...fresh, stays: rows.stays.filter((s) => changed.has(s.patientId)) },
    onWardCalendar(settings, timeZone),
  );
  const events = {
    hoDiagnoses: [...others(kept.events.hoDiagnoses), ...freshEvents.hoDiagnoses],
    detections: [...others(kept.events.detections), ...freshEvents.detections],
  };
  const wardIds = new Set<number>();
  wardsOfPatients(kept.rows, kept.events, changed, wardIds);
  wardsOfPatients(rows, events, changed, wardIds);
  return {
    dataVersion: request.dataVersion,
    readingWatermark: request.readingWatermark,
    computedAtMs: nowMs,
    validUntilMs: Math.min(kept.validUntilMs, validUntil(fresh, nowMs, timeZone)),
    window: kept.window,
    rows,
    events,
    ...figures(request, rows, events, { perWard: kept.perWard, wardIds }),
  };
}

/** Drops the figures kept for a database (the next summary counts everything from its rows). */
export function forgetKeptRates(db: OssiwatchDb): void {
  keptFigures.delete(db);
}

function keep(db: OssiwatchDb, key: string, figures: KeptFigures): void {
  let kept = keptFigures.get(db);
  if (!kept) {
    kept = new Map();
    keptFigures.set(db, kept);
  }
  kept.delete(key);
  kept.set(key, figures);
  for (const oldest of kept.keys()) {
    if (kept.size <= KEPT_PER_DATABASE) break;
    kept.delete(oldest);
  }
}

/** Computes the summary for wards the caller may see (exported for the benchmark's raw baseline). */
export function ratesSummary(
  db: OssiwatchDb,
  wards: readonly WardRow[],
  from: string,
  to: string,
  now: Date,
): RatesSummary {
  const timeZone = wards[0]?.timeZone ?? 'Europe/London';
  const fromDate = toLocalDate(from, timeZone);
  const toDate = toLocalDate(to, timeZone);
  const fromMs = Date.parse(`${fromDate}T00:00:00.000Z`);
  const toMs = Date.parse(`${toDate}T00:00:00.000Z`) + DAY_MS;
  if (!(fromMs < toMs)) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'to: must not be before from' });
  }
  if ((toMs - fromMs) / DAY_MS > MAX_RANGE_DAYS) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `to: the range may cover at most ${MAX_RANGE_DAYS} days (5 years)`,
    });
  }
  const settings = loadHoWatchSettings(db);
  const request: Request = {
    db,
    wards,
    timeZone,
    fromDate,
    toDate,
    now,
    settings,
    dataVersion: dataVersionStatement(db).get()?.version ?? 0,
    readingWatermark: readingWatermarkStatement(db).get()?.id ?? 0,
  };
  const key = JSON.stringify([wards, fromDate, toDate, settings]);
  const known = keptFigures.get(db)?.get(key);
  const current = known && brought(request, known);
  const kept = current ?? computeAll(request, fromMs, toMs);
  if (kept !== known) keep(db, key, kept);
  // ROM compliance changes with every stored assessment: counted at each request, never kept.
  const { counts, firstDate } = loadTierDayCounts(db, wards, fromDate, toDate);
  return {
    ...withCompliance(kept.result, counts),
    wards: wards.map(({ id, name }) => ({ id, name })),
    complianceAvailable: firstDate !== null,
    complianceFrom: firstDate,
  };
}

export const ratesRouter = {
  /** Rates per ward and month for the caller's wards (managers and administrators). */
  summary: roleProcedure('manager', 'admin')
    .input(ratesSummaryInput)
    .query(({ ctx, input }) => {
      const mine = new Set(ctx.user.wardIds);
      const refused = (input.wardIds ?? []).filter((id) => !mine.has(id));
      if (refused.length > 0) {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: `wardIds: you are not assigned to ward ${refused.join(', ')}`,
        });
      }
      const wanted = new Set(input.wardIds ?? ctx.user.wardIds);
      const wards = (
        ctx.db.$client
          .prepare('SELECT id, name, time_zone AS timeZone FROM wards ORDER BY name, id')
          .all() as WardRow[]
      ).filter((ward) => wanted.has(ward.id));
      // Wards in different time zones count their midnights apart; the request covers one zone.
      const zones = new Set(wards.map((w) => w.timeZone));
      if (zones.size > 1) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `wardIds: choose wards of one time zone (these span ${[...zones].join(', ')})`,
        });
      }
      const summary = ratesSummary(ctx.db, wards, input.from, input.to, ctx.now());
      queueAudit(ctx.db, {
        at: ctx.now(),
        userId: ctx.user.id,
        username: ctx.user.username,
        action: 'rates.summary',
        patientId: null,
        category: 'read',
        outcome: 'success',
        clientIp: ctx.clientIp,
        detail: { from: summary.from, to: summary.to, wardIds: wards.map((w) => w.id) },
      });
      return { ...summary, series: overview.summarySeries(ctx.db, summary, ctx.now()) };
    }),

  /** Wards × measures with the icons of Making Data Count, and each cell's chart (issue 20). */
  overview: roleProcedure('manager', 'admin')
    .input(overview.overviewInput)
    .query(({ ctx, input }) => overview.ratesOverview(ctx, input, ratesSummary)),

  /** Sets or removes a manager's target for a measure, hospital-wide or for one ward. */
  setTarget: roleProcedure('manager', 'admin')
    .input(overview.setTargetInput)
    .mutation(({ ctx, input }) => overview.setRateTarget(ctx, input)),
} satisfies TRPCRouterRecord;
