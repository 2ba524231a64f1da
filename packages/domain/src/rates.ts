/**
 * Rates for managers (PRODUCT §4, CR §5.4–5.5): per ward and calendar month, and per ward over the whole
 * range, each with numerator, denominator and an exact Poisson 95% interval; u-charts over the months.
 *
 * Conventions (docs/clinical-rules.md, "Rates"):
 * - Patient-days: the local midnights (start of each local day, in `timeZone`) at which the patient was
 *   on the ward. A day counts for date D when the patient was present at the start of D. Daylight-saving
 *   days still count once each: the census is of midnights, not of hours.
 * - Catheter-days: the same census for an indwelling urinary catheter, on the ward where the patient was
 *   at that midnight.
 * - Admissions and discharges: stays starting / ending on the ward on a local date in the period
 *   (a transfer in is an admission to the receiving ward).
 * - Events count on the ward of onset (`complication.wardId`) in the period of their local onset date;
 *   present-on-admission events are not hospital-acquired and are never counted. With NHSN's transfer
 *   rule (`transferRule`, default on) an infection (pneumonia, UTI, CAUTI) whose onset date is the
 *   local date of a transfer into its ward or the day after counts on the ward the patient came from,
 *   followed back through transfers on those two days (`transferAttribution`).
 * - Catheter-days follow the patient: an episode without `wardId` counts each midnight on the ward of
 *   the stay that covers it, whichever ward it was inserted on.
 * - CAUTI is derived (NHSN, CR §5.4): a hospital-acquired UTI whose onset date D had an indwelling
 *   catheter in place for more than 2 consecutive calendar days (insertion day is day 1) and in place on
 *   D or removed on D − 1.
 */
import type { Tier } from './assessment-types.ts';
import {
  censusSpan,
  epochDay,
  isIsoDate,
  monthSlices,
  overlapDays,
  zoneCalendar,
} from './calendar.ts';
import type { JointSite, Side } from './joints.ts';
import type { CatheterEpisode, Complication, Instant, PressureInjuryStage, Stay } from './model.ts';
import { DEFAULT_HO_WATCH_SETTINGS } from './settings.ts';
import type { HoWatchSettings } from './settings.ts';
import {
  clopperPearsonInterval,
  exactPoissonInterval,
  medianIqr,
  pChart,
  uChart,
} from './statistics.ts';
import type { MedianIqr, UChart } from './statistics.ts';

/** NHSN: the catheter must have been in place more than 2 consecutive calendar days (CR §5.4). */
const CAUTI_MIN_CATHETER_CALENDAR_DAYS = 3;

export interface HoDiagnosisEvent {
  readonly patientId: number;
  /** The ward the patient was on when HO was confirmed. */
  readonly wardId: number;
  readonly site: JointSite;
  readonly side: Side;
  /** First positive imaging of the site. */
  readonly diagnosedAt: Instant;
}

export interface DetectionEvent {
  readonly patientId: number;
  /** The ward the patient was on at confirmation. */
  readonly wardId: number;
  readonly site: JointSite;
  readonly side: Side;
  /** First ROM alert (decline) at the site. */
  readonly firstRomAlertAt: Instant;
  /** First positive imaging of the site: the event is counted in the period of this date. */
  readonly confirmedAt: Instant;
}

/** One patient-day on a ward with the patient's tier that day, for ROM compliance (PRODUCT §4). */
export interface TierDay {
  readonly patientId: number;
  readonly wardId: number;
  /** Local date, 'YYYY-MM-DD'. */
  readonly date: string;
  readonly tier: Tier;
  /** Whether a ROM reading was taken in the 7 days before (and including) this date. */
  readonly romInPrevious7Days: boolean;
}

export interface RatesInput {
  /** IANA time zone of the hospital, e.g. 'Europe/London'. */
  readonly timeZone: string;
  /** First local date of the range, 'YYYY-MM-DD', inclusive. */
  readonly from: string;
  /** Last local date of the range, 'YYYY-MM-DD', inclusive. */
  readonly to: string;
  /** Open stays and catheters are counted only up to this instant (usually now); default: no limit. */
  readonly asOf?: Instant;
  readonly wards: readonly { readonly id: number; readonly name: string }[];
  readonly stays: readonly Stay[];
  /** Catheter episodes; with `wardId` they count on that ward, otherwise on the ward of each stay. */
  readonly catheterEpisodes: readonly (CatheterEpisode & {
    readonly patientId: number;
    readonly wardId?: number;
  })[];
  readonly complications: readonly (Complication & { readonly patientId: number })[];
  /** Newly confirmed HO, one entry per patient and site. */
  readonly hoDiagnoses?: readonly HoDiagnosisEvent[];
  /** Sites with both a first ROM alert and an imaging confirmation: the detection lead time. */
  readonly detections?: readonly DetectionEvent[];
  /** Patient-days with their tier, for ROM compliance. */
  readonly tierDays?: readonly TierDay[];
  /** NHSN's transfer rule for infections (see above); default on. */
  readonly transferRule?: boolean;
  /** Which pressure injuries count as stage ≥ 2; defaults to the HO watch's settings. */
  readonly pressureInjury?: Pick<
    HoWatchSettings,
    'pressureInjuryMinStage' | 'pressureInjuryCountUnstageable' | 'pressureInjuryCountDeepTissue'
  >;
}

export interface RateValue {
  readonly numerator: number;
  readonly denominator: number;
  /** The rate is per this many units of the denominator (1000 patient-days, 100 admissions…). */
  readonly per: number;
  /** null when the denominator is 0: unknown, not zero. */
  readonly value: number | null;
  /** Exact 95% interval: Poisson (Garwood) for a rate, binomial (Clopper–Pearson) for a proportion. */
  readonly lower: number | null;
  readonly upper: number | null;
}

export const RATE_KEYS = [
  'pneumonia',
  'uti',
  'cauti',
  'hapi',
  'hapiStays',
  'ho',
  'compliance',
] as const;
export type RateKey = (typeof RATE_KEYS)[number];

/**
 * The proportions among the rates (PRODUCT §4): a share of stays, admissions or patient-days, with an
 * exact binomial (Clopper–Pearson) interval and a p-chart; the others are Poisson rates and u-charts.
 */
export const PROPORTION_KEYS: ReadonlySet<RateKey> = new Set<RateKey>([
  'hapiStays',
  'ho',
  'compliance',
]);

/** What each rate means, for table headers and CSV. */
export const RATE_LABELS: Readonly<Record<RateKey, string>> = {
  pneumonia: 'Hospital-acquired pneumonia per 1,000 patient-days',
  uti: 'Hospital-acquired urinary tract infection per 1,000 patient-days',
  cauti: 'Catheter-associated UTI per 1,000 catheter-days',
  hapi: 'Hospital-acquired pressure injury stage 2+ per 1,000 patient-days',
  hapiStays: '% of discharged stays with a new stage 2+ pressure injury',
  ho: 'Newly confirmed HO per 100 admissions',
  compliance: '% of high/alert patient-days with a ROM reading in the previous 7 days',
};

export interface RatesRow {
  /** null in the all-wards rows. */
  readonly wardId: number | null;
  readonly wardName: string;
  /** 'YYYY-MM', or 'all' for the whole range. */
  readonly month: string;
  /** First and last local date covered (a month is clipped to the range). */
  readonly from: string;
  readonly to: string;
  readonly patientDays: number;
  readonly catheterDays: number;
  readonly admissions: number;
  readonly discharges: number;
  /** Catheter-days ÷ patient-days (CR §5.5), null with no patient-days. */
  readonly deviceUtilisation: number | null;
  readonly rates: Readonly<Record<RateKey, RateValue>>;
  /** Days from first ROM alert to imaging confirmation, for sites confirmed in the period. */
  readonly leadTimeDays: MedianIqr;
}

export interface UChartSeries {
  readonly wardId: number | null;
  readonly rate: RateKey;
  /** u-chart for a rate, p-chart for a proportion (PROPORTION_KEYS). */
  readonly kind: 'u' | 'p';
  readonly months: readonly string[];
  readonly chart: UChart;
}

export interface RatesResult {
  readonly timeZone: string;
  readonly from: string;
  readonly to: string;
  /** Per ward: one row per month, then the 'all' row; wards in input order. */
  readonly rows: readonly RatesRow[];
  /** The same for all wards together. */
  readonly hospital: readonly RatesRow[];
  /** Monthly u-charts per ward (and for all wards, wardId null) for every rate. */
  readonly uCharts: readonly UChartSeries[];
}

interface Tally {
  patientDays: number;
  catheterDays: number;
  admissions: number;
  discharges: number;
  counts: Record<RateKey, number>;
  denominators: { dischargedStays: number; tierDays: number };
  leadTimes: number[];
}

const addPatientDays = (t: Tally, days: number): void => void (t.patientDays += days);
const addCatheterDays = (t: Tally, days: number): void => void (t.catheterDays += days);
const addAdmission = (t: Tally): void => void (t.admissions += 1);
const addDischarge = (t: Tally): void => void (t.discharges += 1);
const addPneumonia = (t: Tally): void => void (t.counts.pneumonia += 1);
const addUti = (t: Tally): void => void (t.counts.uti += 1);
const addCauti = (t: Tally): void => void (t.counts.cauti += 1);
const addHapi = (t: Tally): void => void (t.counts.hapi += 1);
const addHo = (t: Tally): void => void (t.counts.ho += 1);

function emptyTally(): Tally {
  return {
    patientDays: 0,
    catheterDays: 0,
    admissions: 0,
    discharges: 0,
    counts: { pneumonia: 0, uti: 0, cauti: 0, hapi: 0, hapiStays: 0, ho: 0, compliance: 0 },
    denominators: { dischargedStays: 0, tierDays: 0 },
    leadTimes: [],
  };
}

function rate(key: RateKey, numerator: number, denominator: number, per: number): RateValue {
  const interval = PROPORTION_KEYS.has(key)
    ? clopperPearsonInterval(numerator, denominator, per)
    : exactPoissonInterval(numerator, denominator, per);
  return { numerator, denominator, per, ...interval };
}

/** The month's chart of one rate: a p-chart for a proportion, a u-chart for a rate. */
function chartOf(
  key: RateKey,
  points: readonly { count: number; exposure: number; partial: boolean }[],
  per: number,
): UChart {
  return PROPORTION_KEYS.has(key) ? pChart(points, per) : uChart(points, per);
}

function countsAsStage2Plus(
  stage: PressureInjuryStage,
  rule: NonNullable<RatesInput['pressureInjury']>,
): boolean {
  switch (stage) {
    case 'unstageable':
      return rule.pressureInjuryCountUnstageable;
    case 'deep_tissue':
      return rule.pressureInjuryCountDeepTissue;
    case '1':
    case '2':
    case '3':
    case '4':
      return Number(stage) >= rule.pressureInjuryMinStage;
  }
}

function rowOfTally(
  wardId: number | null,
  wardName: string,
  t: Tally,
  slice: { month: string; from: string; to: string } | undefined,
  range: { from: string; to: string },
): RatesRow {
  return {
    wardId,
    wardName,
    month: slice ? slice.month : 'all',
    from: slice ? slice.from : range.from,
    to: slice ? slice.to : range.to,
    patientDays: t.patientDays,
    catheterDays: t.catheterDays,
    admissions: t.admissions,
    discharges: t.discharges,
    deviceUtilisation: t.patientDays > 0 ? t.catheterDays / t.patientDays : null,
    rates: {
      pneumonia: rate('pneumonia', t.counts.pneumonia, t.patientDays, 1000),
      uti: rate('uti', t.counts.uti, t.patientDays, 1000),
      cauti: rate('cauti', t.counts.cauti, t.catheterDays, 1000),
      hapi: rate('hapi', t.counts.hapi, t.patientDays, 1000),
      hapiStays: rate('hapiStays', t.counts.hapiStays, t.denominators.dischargedStays, 100),
      ho: rate('ho', t.counts.ho, t.admissions, 100),
      compliance: rate('compliance', t.counts.compliance, t.denominators.tierDays, 100),
    },
    leadTimeDays: medianIqr(t.leadTimes),
  };
}

function chartsOfRows(
  wardId: number | null,
  months: readonly string[],
  monthly: readonly RatesRow[],
  partial: readonly boolean[],
): UChartSeries[] {
  return RATE_KEYS.map((key) => ({
    wardId,
    rate: key,
    kind: PROPORTION_KEYS.has(key) ? ('p' as const) : ('u' as const),
    months,
    chart: chartOf(
      key,
      monthly.map((r, i) => ({
        count: r.rates[key].numerator,
        exposure: r.rates[key].denominator,
        partial: partial[i] === true,
      })),
      monthly[0]?.rates[key].per ?? 1000,
    ),
  }));
}

/**
 * Which months are still being counted: the month holding the local date of `asOf` (and any after
 * it). Their rate is drawn "so far" and kept out of the centre line and the signals, as the
 * managers' overview does (PRODUCT §4). Without `asOf` every month is complete.
 */
function partialMonths(
  input: Pick<RatesInput, 'timeZone' | 'asOf'>,
  slices: readonly { readonly to: string }[],
): boolean[] {
  if (input.asOf === undefined) return slices.map(() => false);
  const zone = zoneCalendar(input.timeZone);
  const today = zone.localDay(Date.parse(input.asOf));
  return slices.map((slice) => epochDay(slice.to) >= today);
}

/**
 * NHSN's transfer rule (PRODUCT §4; NHSN Patient Safety Component Manual, ch. 2): the ward an infection counts on. The event's stay is the patient's
 * stay on the event's ward that holds its onset; while that stay began with a transfer (another stay
 * of the patient ended at the very instant it began) on the onset date D or on D − 1, the infection
 * moves back to the stay the patient came from. Without such a stay the recorded ward stands.
 */
export function transferAttribution(
  stays: readonly Stay[],
  dayOf: (instant: Instant) => number,
): (event: {
  readonly patientId: number;
  readonly wardId: number;
  readonly onsetAt: Instant;
}) => number {
  const byPatient = new Map<number, Stay[]>();
  for (const stay of stays) {
    const list = byPatient.get(stay.patientId) ?? [];
    list.push(stay);
    byPatient.set(stay.patientId, list);
  }
  return (event) => {
    const list = byPatient.get(event.patientId);
    if (!list) return event.wardId;
    let stay = list.find(
      (s) =>
        s.wardId === event.wardId &&
        s.admittedAt <= event.onsetAt &&
        (s.dischargedAt === null || event.onsetAt < s.dischargedAt),
    );
    const onsetDay = dayOf(event.onsetAt);
    // A chain of transfers is finite: each step goes to an earlier stay.
    for (let steps = 0; stay && steps < list.length; steps++) {
      const current = stay;
      if (dayOf(current.admittedAt) < onsetDay - 1) break;
      const from = list.find((s) => s.id !== current.id && s.dischargedAt === current.admittedAt);
      if (!from) break;
      stay = from;
    }
    return stay?.wardId ?? event.wardId;
  };
}

/** Computes every rate of PRODUCT §4 for the range. Throws RangeError on a bad zone or date. */
export function computeRates(input: RatesInput): RatesResult {
  if (!isIsoDate(input.from)) throw new RangeError(`from is not a date: ${input.from}`);
  if (!isIsoDate(input.to)) throw new RangeError(`to is not a date: ${input.to}`);
  const fromDay = epochDay(input.from);
  const toDay = epochDay(input.to);
  if (toDay < fromDay) throw new RangeError('to must not be before from');
  const zone = zoneCalendar(input.timeZone);
  const openUntil = input.asOf === undefined ? Number.POSITIVE_INFINITY : Date.parse(input.asOf);
  const dayOf = (instant: Instant): number => zone.localDay(Date.parse(instant));
  const piRule = input.pressureInjury ?? DEFAULT_HO_WATCH_SETTINGS;

  const slices = monthSlices(input.from, input.to).map((s) => ({
    ...s,
    first: epochDay(s.from),
    last: epochDay(s.to),
  }));
  const periods = slices.length + 1; // months, then 'all'
  const allIndex = slices.length;

  const tallies = new Map<number, Tally[]>();
  const hospital: Tally[] = Array.from({ length: periods }, emptyTally);
  for (const ward of input.wards) {
    tallies.set(ward.id, Array.from({ length: periods }, emptyTally));
  }
  /** Index of the month slice holding an epoch day inside the range (binary search). */
  const sliceOf = (day: number): number => {
    let lo = 0;
    let hi = slices.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((slices[mid]?.last ?? Number.POSITIVE_INFINITY) < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const apply = (
    wardId: number,
    period: number,
    days: number,
    update: (t: Tally, days: number) => void,
  ): void => {
    const a = tallies.get(wardId)?.[period];
    const h = hospital[period];
    if (a) update(a, days);
    if (h) update(h, days);
  };
  /** Counts one event on the local day it happened: in its month and in 'all'. */
  const add = (wardId: number, day: number, update: (t: Tally) => void): void => {
    if (!tallies.has(wardId) || day < fromDay || day > toDay) return;
    apply(wardId, sliceOf(day), 1, update);
    apply(wardId, allIndex, 1, update);
  };
  /** Spreads a span of census days over the months it touches. */
  const addSpan = (
    wardId: number,
    span: { first: number; last: number } | null,
    update: (t: Tally, days: number) => void,
  ): void => {
    if (!span || !tallies.has(wardId)) return;
    const first = Math.max(span.first, fromDay);
    const last = Math.min(span.last, toDay);
    if (first > last) return;
    for (let i = sliceOf(first); i <= sliceOf(last); i++) {
      const s = slices[i];
      if (s) apply(wardId, i, overlapDays(span, s.first, s.last), update);
    }
    apply(wardId, allIndex, last - first + 1, update);
  };

  // ---- stays: patient-days, admissions, discharges ----
  const staysByPatient = new Map<
    number,
    { stay: Stay; span: { first: number; last: number } | null }[]
  >();
  for (const stay of input.stays) {
    const span = censusSpan(stay.admittedAt, stay.dischargedAt, input.timeZone, openUntil);
    const list = staysByPatient.get(stay.patientId) ?? [];
    list.push({ stay, span });
    staysByPatient.set(stay.patientId, list);
    addSpan(stay.wardId, span, addPatientDays);
    add(stay.wardId, dayOf(stay.admittedAt), addAdmission);
    if (stay.dischargedAt !== null && Date.parse(stay.dischargedAt) <= openUntil) {
      add(stay.wardId, dayOf(stay.dischargedAt), addDischarge);
    }
  }

  // ---- catheter-days ----
  const cathetersByPatient = new Map<number, RatesInput['catheterEpisodes'][number][]>();
  for (const episode of input.catheterEpisodes) {
    const list = cathetersByPatient.get(episode.patientId) ?? [];
    list.push(episode);
    cathetersByPatient.set(episode.patientId, list);
    const span = censusSpan(episode.insertedAt, episode.removedAt, input.timeZone, openUntil);
    if (!span) continue;
    if (episode.wardId !== undefined) {
      addSpan(episode.wardId, span, addCatheterDays);
      continue;
    }
    for (const { stay, span: staySpan } of staysByPatient.get(episode.patientId) ?? []) {
      if (!staySpan) continue;
      const first = Math.max(span.first, staySpan.first);
      const last = Math.min(span.last, staySpan.last);
      if (first <= last) addSpan(stay.wardId, { first, last }, addCatheterDays);
    }
  }

  // ---- events on the ward of onset ----
  const isCauti = (patientId: number, onsetDay: number): boolean =>
    (cathetersByPatient.get(patientId) ?? []).some((episode) => {
      const inserted = dayOf(episode.insertedAt);
      const removed =
        episode.removedAt === null ? Number.POSITIVE_INFINITY : dayOf(episode.removedAt);
      if (inserted > onsetDay || removed < onsetDay - 1) return false;
      return Math.min(onsetDay, removed) - inserted + 1 >= CAUTI_MIN_CATHETER_CALENDAR_DAYS;
    });
  const hapiByPatient = new Map<number, number[]>();
  const infectionWard =
    input.transferRule === false
      ? (event: { wardId: number }): number => event.wardId
      : transferAttribution(input.stays, dayOf);
  for (const event of input.complications) {
    if (event.presentOnAdmission) continue;
    const onset = dayOf(event.onsetAt);
    switch (event.kind) {
      case 'pneumonia':
        add(infectionWard(event), onset, addPneumonia);
        break;
      case 'uti': {
        const wardId = infectionWard(event);
        add(wardId, onset, addUti);
        if (isCauti(event.patientId, onset)) add(wardId, onset, addCauti);
        break;
      }
      case 'pressure_injury':
        if (countsAsStage2Plus(event.stage, piRule)) {
          add(event.wardId, onset, addHapi);
          const list = hapiByPatient.get(event.patientId) ?? [];
          list.push(Date.parse(event.onsetAt));
          hapiByPatient.set(event.patientId, list);
        }
        break;
      case 'dvt':
        break;
    }
  }

  // ---- % of discharged stays with a new stage 2+ injury during the stay ----
  for (const stay of input.stays) {
    if (stay.dischargedAt === null || Date.parse(stay.dischargedAt) > openUntil) continue;
    const start = Date.parse(stay.admittedAt);
    const end = Date.parse(stay.dischargedAt);
    const injured = (hapiByPatient.get(stay.patientId) ?? []).some((t) => t >= start && t <= end);
    add(stay.wardId, dayOf(stay.dischargedAt), (t) => {
      t.denominators.dischargedStays += 1;
      if (injured) t.counts.hapiStays += 1;
    });
  }

  for (const d of input.hoDiagnoses ?? []) {
    add(d.wardId, dayOf(d.diagnosedAt), addHo);
  }
  for (const d of input.detections ?? []) {
    const lead = dayOf(d.confirmedAt) - dayOf(d.firstRomAlertAt);
    add(d.wardId, dayOf(d.confirmedAt), (t) => t.leadTimes.push(lead));
  }
  for (const d of input.tierDays ?? []) {
    if (d.tier !== 'high' && d.tier !== 'alert') continue;
    if (!isIsoDate(d.date)) continue;
    add(d.wardId, epochDay(d.date), (t) => {
      t.denominators.tierDays += 1;
      if (d.romInPrevious7Days) t.counts.compliance += 1;
    });
  }

  // ---- rows ----
  const rowOf = (wardId: number | null, wardName: string, t: Tally, p: number): RatesRow =>
    rowOfTally(wardId, wardName, t, slices[p], input);
  const rows: RatesRow[] = [];
  const uCharts: UChartSeries[] = [];
  const months = slices.map((s) => s.month);
  const partial = partialMonths(input, slices);
  const chartsOf = (wardId: number | null, monthly: readonly RatesRow[]) =>
    uCharts.push(...chartsOfRows(wardId, months, monthly, partial));
  for (const ward of input.wards) {
    const t = tallies.get(ward.id) ?? [];
    const wardRows = t.map((tally, p) => rowOf(ward.id, ward.name, tally, p));
    rows.push(...wardRows);
    chartsOf(ward.id, wardRows.slice(0, allIndex));
  }
  const hospitalRows = hospital.map((tally, p) => rowOf(null, 'All wards', tally, p));
  chartsOf(null, hospitalRows.slice(0, allIndex));

  return {
    timeZone: input.timeZone,
    from: input.from,
    to: input.to,
    rows,
    hospital: hospitalRows,
    uCharts,
  };
}

/** High/alert patient-days of one ward on one local date (or month), counted ahead (PRODUCT §4). */
export interface TierDayCount {
  readonly wardId: number;
  /** A local date 'YYYY-MM-DD': the days count in the month (and range) holding this date. */
  readonly date: string;
  /** High/alert patient-days. */
  readonly days: number;
  /** Of those, the days with a ROM reading in the 7 days before (and including) the date. */
  readonly romDays: number;
}

/**
 * The same result with its ROM compliance counted from `counts` instead (the figures and u-charts of
 * every other rate are kept as they are). ROM compliance changes with every stored assessment while
 * the other rates change only with stays, catheters, complications and imaging: the server keeps the
 * rest and counts compliance at each request. `computeRates` with `tierDays` gives the same result as
 * this with those days counted per ward and date.
 */
export function withCompliance(result: RatesResult, counts: readonly TierDayCount[]): RatesResult {
  const months = result.hospital.filter((row) => row.month !== 'all').map((row) => row.month);
  const monthIndex = new Map(months.map((month, i) => [month, i]));
  const allIndex = months.length;
  const wardIds = [...new Set(result.rows.map((row) => row.wardId))];
  const zero = (): { days: number; romDays: number }[] =>
    Array.from({ length: allIndex + 1 }, () => ({ days: 0, romDays: 0 }));
  const byWard = new Map(wardIds.map((id) => [id, zero()]));
  const hospital = zero();
  for (const count of counts) {
    if (!isIsoDate(count.date) || count.date < result.from || count.date > result.to) continue;
    const ward = byWard.get(count.wardId);
    const month = monthIndex.get(count.date.slice(0, 7));
    if (!ward || month === undefined) continue;
    for (const tally of [ward[month], ward[allIndex], hospital[month], hospital[allIndex]]) {
      if (!tally) continue;
      tally.days += count.days;
      tally.romDays += count.romDays;
    }
  }
  const withRate = (row: RatesRow, tallies: readonly { days: number; romDays: number }[]) => {
    const tally = tallies[row.month === 'all' ? allIndex : (monthIndex.get(row.month) ?? -1)];
    return {
      ...row,
      rates: {
        ...row.rates,
        compliance: rate('compliance', tally?.romDays ?? 0, tally?.days ?? 0, 100),
      },
    };
  };
  const rows = result.rows.map((row) => withRate(row, byWard.get(row.wardId) ?? zero()));
  const hospitalRows = result.hospital.map((row) => withRate(row, hospital));
  const monthly = (wardId: number | null): readonly RatesRow[] =>
    (wardId === null ? hospitalRows : rows.filter((row) => row.wardId === wardId)).filter(
      (row) => row.month !== 'all',
    );
  const uCharts = result.uCharts.map((series) =>
    series.rate === 'compliance'
      ? {
          ...series,
          chart: pChart(
            monthly(series.wardId).map((row, i) => ({
              count: row.rates.compliance.numerator,
              exposure: row.rates.compliance.denominator,
              partial: series.chart.points[i]?.partial === true,
            })),
            100,
          ),
        }
      : series,
  );
  return { ...result, rows, hospital: hospitalRows, uCharts };
}

/**
 * The result of `computeRates` for several wards, from each ward's own result (computed with that
 * ward alone): the wards' rows as they are, and the all-wards rows summed from them. A ward's figures
 * depend only on its own stays, catheters and events and on those of its patients, so after a write
 * only the wards of the patients written need computing again. `detections` are those given to the
 * wards' computations: the all-wards lead times are their union. Equal to computing all wards at once.
 */
export function combineWardRates(
  input: Pick<RatesInput, 'timeZone' | 'from' | 'to' | 'wards' | 'detections' | 'asOf'>,
  perWard: ReadonlyMap<number, RatesResult>,
): RatesResult {
  const slices = monthSlices(input.from, input.to).map((s) => ({
    ...s,
    first: epochDay(s.from),
    last: epochDay(s.to),
  }));
  const allIndex = slices.length;
  const months = slices.map((s) => s.month);
  const hospital: Tally[] = Array.from({ length: allIndex + 1 }, emptyTally);
  const rows: RatesRow[] = [];
  const uCharts: UChartSeries[] = [];
  for (const ward of input.wards) {
    const result = perWard.get(ward.id);
    if (!result || result.from !== input.from || result.to !== input.to) {
      throw new RangeError(`no result of ward ${ward.id} for ${input.from} to ${input.to}`);
    }
    const wardRows = result.rows.filter((row) => row.wardId === ward.id);
    rows.push(...wardRows);
    uCharts.push(...result.uCharts.filter((series) => series.wardId === ward.id));
    wardRows.forEach((row, p) => {
      const t = hospital[p];
      if (!t) return;
      t.patientDays += row.patientDays;
      t.catheterDays += row.catheterDays;
      t.admissions += row.admissions;
      t.discharges += row.discharges;
      for (const key of RATE_KEYS) t.counts[key] += row.rates[key].numerator;
      t.denominators.dischargedStays += row.rates.hapiStays.denominator;
      t.denominators.tierDays += row.rates.compliance.denominator;
    });
  }
  const zone = zoneCalendar(input.timeZone);
  const dayOf = (instant: Instant): number => zone.localDay(Date.parse(instant));
  const fromDay = epochDay(input.from);
  const toDay = epochDay(input.to);
  const wardIds = new Set(input.wards.map((w) => w.id));
  for (const d of input.detections ?? []) {
    const day = dayOf(d.confirmedAt);
    if (!wardIds.has(d.wardId) || day < fromDay || day > toDay) continue;
    const lead = day - dayOf(d.firstRomAlertAt);
    const month = slices.findIndex((s) => s.first <= day && day <= s.last);
    hospital[month]?.leadTimes.push(lead);
    hospital[allIndex]?.leadTimes.push(lead);
  }
  const hospitalRows = hospital.map((t, p) => rowOfTally(null, 'All wards', t, slices[p], input));
  uCharts.push(
    ...chartsOfRows(null, months, hospitalRows.slice(0, allIndex), partialMonths(input, slices)),
  );
  return {
    timeZone: input.timeZone,
    from: input.from,
    to: input.to,
    rows,
    hospital: hospitalRows,
    uCharts,
  };
}
