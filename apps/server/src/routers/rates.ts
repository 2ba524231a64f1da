/**
 * `rates.summary` (PRODUCT §4, §6): complication rates per ward and month for managers. Aggregates
 * only: the result names wards, months and counts, never a patient.
 *
 * The domain's `computeRates` does the counting; this file loads what it needs with one query per
 * table, only the columns it reads, for the wards and dates asked (no query per patient). HO detection
 * lead time needs each confirmed site's ROM series before its confirmation: those events are computed
 * once and kept per database, and refreshed for the patients that have new readings since.
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
} from '@ossiwatch/domain';
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { loadHoWatchSettings } from '../assessments.ts';
import { queueAudit } from '../audit.ts';
import type { OssiwatchDb } from '../db/client.ts';
import { preparedStatement } from '../db/prepared.ts';
import { roleProcedure } from '../trpc.ts';

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

/** Everything computeRates needs for these wards between two instants (with margins). */
function loadRatesInput(
  db: OssiwatchDb,
  wards: readonly WardRow[],
  fromMs: number,
  toMs: number,
  settings: HoWatchSettings,
) {
  const wardIds = JSON.stringify(wards.map((w) => w.id));
  const lower = new Date(fromMs - MARGIN_MS).toISOString();
  const upper = new Date(toMs + MARGIN_MS).toISOString();
  const c = db.$client;
  const stays = c
    .prepare(
      `SELECT id, patient_id AS patientId, ward_id AS wardId, NULL AS bedLabel,
         admitted_at AS admittedAt, discharged_at AS dischargedAt
       FROM stays
       WHERE ward_id IN (SELECT value FROM json_each(?)) AND admitted_at <= ?
         AND (discharged_at IS NULL OR discharged_at >= ?)`,
    )
    .all(wardIds, upper, lower) as Stay[];
  // A stay discharged in the range may have had its pressure injury long before the range began.
  const earliestAdmission = stays.reduce(
    (min, stay) => (stay.admittedAt < min ? stay.admittedAt : min),
    lower,
  );
  const catheterEpisodes = c
    .prepare(
      `SELECT id, patient_id AS patientId, ward_id AS wardId, inserted_at AS insertedAt,
         removed_at AS removedAt
       FROM catheter_episodes
       WHERE ward_id IN (SELECT value FROM json_each(?)) AND inserted_at <= ?
         AND (removed_at IS NULL OR removed_at >= ?)`,
    )
    .all(wardIds, upper, earliestAdmission) as (CatheterEpisode & {
    patientId: number;
    wardId: number;
  })[];
  const complications = (
    c
      .prepare(
        `SELECT id, patient_id AS patientId, ward_id AS wardId, kind, onset_at AS onsetAt,
           resolved_at AS resolvedAt, present_on_admission AS poa, stage, body_site AS bodySite,
           device_related AS deviceRelated
         FROM complications
         WHERE ward_id IN (SELECT value FROM json_each(?)) AND onset_at BETWEEN ? AND ?
           AND present_on_admission = 0`,
      )
      .all(wardIds, earliestAdmission, upper) as {
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
    }[]
  ).map((row): Complication & { patientId: number } => {
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
  });

  // HO confirmed: the first positive imaging of a site, counted on the ward of the stay it fell in.
  const confirmations = c
    .prepare(
      `SELECT patient_id AS patientId, site, side, min(taken_at) AS confirmedAt
       FROM imaging WHERE result = 'positive'
       GROUP BY patient_id, site, side
       HAVING min(taken_at) BETWEEN ? AND ?`,
    )
    .all(lower, upper) as Confirmation[];
  const staysByPatient = new Map<number, Stay[]>();
  for (const stay of stays) {
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
  for (const confirmation of confirmations) {
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
  return { stays, catheterEpisodes, complications, hoDiagnoses, detections };
}

const tierDayCountsStatement = preparedStatement<[string, string, string], TierDayCount>(
  `SELECT ward_id AS wardId, min(date) AS date, count(*) AS days,
     sum(had_rom_within_7_days) AS romDays
   FROM daily_tiers
   WHERE ward_id IN (SELECT value FROM json_each(?)) AND date BETWEEN ? AND ?
     AND tier IN ('alert', 'high')
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
 * count for compliance), and the first date of the range with any recorded day.
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
 * The figures of one request (all rates but ROM compliance), kept while nothing they count from has
 * changed: the same wards, range and settings; no write to stays, catheter episodes, complications
 * or imaging (`rates_data_version`, raised by triggers at every write); no new ROM reading of a
 * patient with a confirmed site (the detection lead time); and a clock still before the next change
 * it brings alone (the next local midnight counts open stays and catheters one more day; a discharge,
 * admission, insertion or removal recorded ahead of time counts once its instant has passed).
 */
interface KeptFigures {
  readonly dataVersion: number;
  readingWatermark: number;
  readonly confirmedPatients: ReadonlySet<number>;
  readonly computedAtMs: number;
  readonly validUntilMs: number;
  readonly result: RatesResult;
}

/** A manager asks for a few ranges at a time (a page, a CSV): the last ones asked are kept. */
const KEPT_PER_DATABASE = 4;
const keptFigures = new WeakMap<OssiwatchDb, Map<string, KeptFigures>>();

const dataVersionStatement = preparedStatement<[], { version: number }>(
  'SELECT version FROM rates_data_version WHERE id = 1',
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

/** The next instant the clock alone may change the figures (see KeptFigures). */
function validUntil(
  loaded: ReturnType<typeof loadRatesInput>,
  nowMs: number,
  timeZone: string,
): number {
  let until = nextLocalMidnight(nowMs, timeZone);
  const consider = (instant: string | null): void => {
    if (instant === null) return;
    const ms = Date.parse(instant);
    if (ms > nowMs && ms < until) until = ms;
  };
  for (const stay of loaded.stays) {
    consider(stay.admittedAt);
    consider(stay.dischargedAt);
  }
  for (const episode of loaded.catheterEpisodes) {
    consider(episode.insertedAt);
    consider(episode.removedAt);
  }
  return until;
}

function keptFor(
  db: OssiwatchDb,
  key: string,
  dataVersion: number,
  readingWatermark: number,
  nowMs: number,
): KeptFigures | undefined {
  const kept = keptFigures.get(db)?.get(key);
  if (!kept || kept.dataVersion !== dataVersion) return undefined;
  if (nowMs < kept.computedAtMs || nowMs >= kept.validUntilMs) return undefined;
  if (readingWatermark !== kept.readingWatermark) {
    // Readings are appended, never edited: only a patient with newer readings can have a new alert.
    const changed = patientsWithReadingsAfterStatement(db).all(kept.readingWatermark);
    if (changed.some((row) => kept.confirmedPatients.has(row.p))) return undefined;
    kept.readingWatermark = readingWatermark;
  }
  return kept;
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
  const nowMs = now.getTime();
  const key = JSON.stringify([wards, fromDate, toDate, settings]);
  const dataVersion = dataVersionStatement(db).get()?.version ?? 0;
  const readingWatermark = readingWatermarkStatement(db).get()?.id ?? 0;
  let kept = keptFor(db, key, dataVersion, readingWatermark, nowMs);
  if (!kept) {
    const loaded = loadRatesInput(db, wards, fromMs, toMs, settings);
    kept = {
      dataVersion,
      readingWatermark,
      confirmedPatients: new Set(loaded.hoDiagnoses.map((d) => d.patientId)),
      computedAtMs: nowMs,
      validUntilMs: validUntil(loaded, nowMs, timeZone),
      result: computeRates({
        timeZone,
        from: fromDate,
        to: toDate,
        asOf: now.toISOString(),
        wards: wards.map(({ id, name }) => ({ id, name })),
        ...loaded,
        pressureInjury: settings,
      }),
    };
    keep(db, key, kept);
  }
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
      return summary;
    }),
} satisfies TRPCRouterRecord;
