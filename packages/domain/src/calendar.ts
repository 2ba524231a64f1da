/**
 * Calendar days in a ward's IANA time zone. Temporal (polyfill) answers every time-zone question, so
 * daylight-saving changes are right by construction; a per-zone cache of UTC offsets by UTC day keeps a
 * three-year rate report fast (a day whose offset changes is always asked of Temporal directly).
 *
 * Dates are 'YYYY-MM-DD' strings at the edges and "epoch days" (days since 1970-01-01) inside.
 */
import { Temporal } from 'temporal-polyfill';
import type { Instant } from './model.ts';

const DAY_MS = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `date` is a real calendar date written 'YYYY-MM-DD'. */
export function isIsoDate(date: string): boolean {
  const m = DATE_RE.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const back = new Date(Date.UTC(y, mo - 1, d));
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d;
}

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date. Throws on anything else. */
export function epochDay(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** The 'YYYY-MM-DD' date of an epoch day. */
export function dateOfEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM' of a date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** The calendar months touched by [from, to], each clipped to the range, in order. */
export function monthSlices(
  from: string,
  to: string,
): { month: string; from: string; to: string }[] {
  const slices: { month: string; from: string; to: string }[] = [];
  let start = epochDay(from);
  const end = epochDay(to);
  while (start <= end) {
    const date = dateOfEpochDay(start);
    const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
    const nextMonth = Math.round(Date.UTC(y, m, 1) / DAY_MS);
    const last = Math.min(nextMonth - 1, end);
    slices.push({ month: monthOf(date), from: date, to: dateOfEpochDay(last) });
    start = last + 1;
  }
  return slices;
}

interface ZoneCalendar {
  /** Epoch day of the local calendar date the instant falls on. */
  localDay(ms: number): number;
  /** Whether the instant is exactly the start of its local day (midnight, or the first instant of a day whose midnight is skipped). */
  isStartOfDay(ms: number): boolean;
}

const zones = new Map<string, ZoneCalendar>();

/** A time zone's calendar; throws RangeError for a name that is not an IANA zone. */
export function zoneCalendar(timeZone: string): ZoneCalendar {
  const known = zones.get(timeZone);
  if (known) return known;
  const exact = (ms: number) =>
    Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
  const offsetMs = (ms: number) => exact(ms).offsetNanoseconds / 1e6;
  offsetMs(0); // fails fast on an unknown zone
  /** Offset of a UTC day when constant over the whole day, or null on a day with a transition. */
  const byUtcDay = new Map<number, number | null>();
  const steadyOffset = (ms: number): number | null => {
    const d = Math.floor(ms / DAY_MS);
    let cached = byUtcDay.get(d);
    if (cached === undefined) {
      const a = offsetMs(d * DAY_MS);
      // Compared with the first instant of the next day, so a change exactly at 00:00 UTC is caught.
      const b = offsetMs((d + 1) * DAY_MS);
      cached = a === b ? a : null;
      byUtcDay.set(d, cached);
    }
    return cached;
  };
  const calendar: ZoneCalendar = {
    localDay(ms) {
      const offset = steadyOffset(ms);
      if (offset !== null) return Math.floor((ms + offset) / DAY_MS);
      return epochDay(exact(ms).toPlainDate().toString());
    },
    isStartOfDay(ms) {
      const offset = steadyOffset(ms);
      // Away from transition days only local 00:00:00.000 starts a day.
      if (offset !== null && steadyOffset(ms - 2 * 3_600_000) === offset) {
        return (((ms + offset) % DAY_MS) + DAY_MS) % DAY_MS === 0;
      }
      const zdt = exact(ms);
      return zdt.startOfDay().epochMilliseconds === ms;
    },
  };
  zones.set(timeZone, calendar);
  return calendar;
}

/** The local calendar date ('YYYY-MM-DD') of an instant in a time zone. */
export function localDate(instant: Instant, timeZone: string): string {
  return dateOfEpochDay(zoneCalendar(timeZone).localDay(Date.parse(instant)));
}

/** The wall clock of a time zone at an instant, to the second ('YYYY-MM-DDTHH:MM:SS'). */
export function wallClockAt(ms: number, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(ms)
    .toZonedDateTimeISO(timeZone)
    .toPlainDateTime()
    .round({ smallestUnit: 'second', roundingMode: 'floor' })
    .toString();
}

/**
 * The instant (epoch ms) at which a time zone's wall clock reads `local` ('YYYY-MM-DDTHH:MM' with
 * optional seconds): the first of the two when the clocks go back and it happens twice; null when the
 * clocks go forward over it and it never happens. Throws RangeError for text that is no date-time.
 */
export function instantOfWallClock(local: string, timeZone: string): number | null {
  const wall = Temporal.PlainDateTime.from(local, { overflow: 'reject' });
  const zoned = wall.toZonedDateTime(timeZone, { disambiguation: 'earlier' });
  // In a gap, 'earlier' answers with a different wall time: that reading never happens.
  return Temporal.PlainDateTime.compare(zoned.toPlainDateTime(), wall) === 0
    ? zoned.epochMilliseconds
    : null;
}

/**
 * The local dates whose midnight (start of day) falls inside [start, end): the census days of a stay or
 * a catheter episode. Admitted at 14:00 on the 3rd and discharged at 10:00 on the 5th counts the 4th
 * and the 5th; admitted exactly at midnight counts that day; discharged exactly at midnight does not.
 * An open interval (end null) runs to `openUntil` (epoch ms). Returns epoch days, or null when none.
 */
export function censusSpan(
  start: Instant,
  end: Instant | null,
  timeZone: string,
  openUntil: number = Number.POSITIVE_INFINITY,
): { first: number; last: number } | null {
  const zone = zoneCalendar(timeZone);
  const a = Date.parse(start);
  const b = Math.min(end === null ? Number.POSITIVE_INFINITY : Date.parse(end), openUntil);
  if (!Number.isFinite(a) || Number.isNaN(b) || b <= a) return null;
  const aDay = zone.localDay(a);
  const first = zone.isStartOfDay(a) ? aDay : aDay + 1;
  let last: number;
  if (b === Number.POSITIVE_INFINITY) {
    last = Number.POSITIVE_INFINITY;
  } else {
    const bDay = zone.localDay(b);
    last = zone.isStartOfDay(b) ? bDay - 1 : bDay;
  }
  return first <= last ? { first, last } : null;
}

/** How many days of [first, last] fall inside [from, to] (all epoch days, inclusive). */
export function overlapDays(
  span: { first: number; last: number } | null,
  from: number,
  to: number,
): number {
  if (!span) return 0;
  return Math.max(0, Math.min(span.last, to) - Math.max(span.first, from) + 1);
}

/**
 * Patient-days of one stay (or catheter-days of one episode) between two local dates, inclusive:
 * the number of local midnights in that range at which the patient was on the ward.
 * `asOf` ends an open stay (defaults to counting every date up to `to`).
 */
export function censusDays(
  interval: { admittedAt: Instant; dischargedAt: Instant | null },
  timeZone: string,
  from: string,
  to: string,
  asOf?: Instant,
): number {
  const span = censusSpan(
    interval.admittedAt,
    interval.dischargedAt,
    timeZone,
    asOf === undefined ? Number.POSITIVE_INFINITY : Date.parse(asOf),
  );
  return overlapDays(span, epochDay(from), epochDay(to));
}
