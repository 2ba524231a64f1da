/**
 * ROM findings per series (PRODUCT §3 "ROM decline"): whether a joint is really losing motion, told
 * apart from goniometry's own error (CR §2.6). Pure functions of one patient's readings and the
 * settings; assess.ts turns them into site states, reasons and the tier.
 */
import { zoneCalendar } from './calendar.ts';
import type { JointSite, Movement, RomMode, Side } from './joints.ts';
import type { Instant, RomReading } from './model.ts';
import type { HoWatchSettings } from './settings.ts';

const parsedInstants = new Map<string, number>();

/**
 * `Date.parse` of an instant, remembered (a bounded cache: the same few thousand timestamps are compared
 * again and again while one patient is assessed, and code that looks at the record right after, such
 * as the server's validity of a stored assessment, parses nothing again).
 */
export function instantMs(instant: Instant): number {
  let t = parsedInstants.get(instant);
  if (t === undefined) {
    if (parsedInstants.size >= 100_000) parsedInstants.clear();
    t = Date.parse(instant);
    parsedInstants.set(instant, t);
  }
  return t;
}

/** Calendar day number of an instant in the settings' time zone (PRODUCT §3 days are ward days). */
export function dayNumberIn(settings: HoWatchSettings): (instant: Instant) => number {
  const calendar = zoneCalendar(settings.timeZone ?? 'UTC');
  return (instant) => calendar.localDay(instantMs(instant));
}

/**
 * The minimal detectable change of a movement: no smaller fall is a decline (CR §2.6: ~10° between
 * raters with a long-arm goniometer, Hancock 2018; inter-rater MDC95 up to 10.4°, 2024).
 */
export function minimalDetectableChange(
  site: JointSite,
  movement: Movement,
  settings: HoWatchSettings,
): number {
  return (
    settings.minimalDetectableChangeByMovement[`${site}:${movement}`] ??
    settings.minimalDetectableChangeDegrees
  );
}

/** A reading that has fallen below its series' baseline by more than measurement error. */
export interface RomDecline {
  readonly reading: RomReading;
  /**
   * The baseline reading: the median of the best three readings of the look-back (with fewer, the
   * best), so one high reading cannot inflate it.
   */
  readonly best: RomReading;
  /** Degrees lost against the baseline (positive). */
  readonly dropDegrees: number;
  /** Percent lost, or null when the baseline is below the relative criterion's minimum. */
  readonly dropPercent: number | null;
}

/**
 * Whether `readings[index]` is a ROM decline: a fall from the baseline of the `romLookbackDays` before
 * it (inclusive of the edge date, strictly earlier in time) of at least `romDeclineDegrees`, or of at
 * least `romDeclinePercent` where the baseline is at least `relativeDeclineMinBaselineDegrees`; and in
 * either case of at least the movement's minimal detectable change. `readings` is one series sorted by
 * time.
 */
export function romDeclineAt(
  readings: readonly RomReading[],
  index: number,
  settings: HoWatchSettings,
): RomDecline | undefined {
  const reading = readings[index];
  if (!reading) return undefined;
  const dayNumber = dayNumberIn(settings);
  const at = instantMs(reading.takenAt);
  const fromDay = dayNumber(reading.takenAt) - settings.romLookbackDays;
  const lookBack: RomReading[] = [];
  for (let i = 0; i < index; i++) {
    const earlier = readings[i];
    if (!earlier || instantMs(earlier.takenAt) >= at || dayNumber(earlier.takenAt) < fromDay) {
      continue;
    }
    lookBack.push(earlier);
  }
  const best = baselineOf(lookBack, settings.romBaselineBestOf);
  if (!best) return undefined;
  const drop = best.degrees - reading.degrees;
  const mdc = minimalDetectableChange(reading.site, reading.movement, settings);
  if (drop <= 0 || drop < mdc) return undefined;
  const relative = best.degrees >= settings.relativeDeclineMinBaselineDegrees;
  const byDegrees = drop >= settings.romDeclineDegrees;
  // Cross-multiplied so that exactly 20% is not lost to floating point.
  const byPercent = relative && drop * 100 >= settings.romDeclinePercent * best.degrees;
  if (!byDegrees && !byPercent) return undefined;
  return {
    reading,
    best,
    dropDegrees: drop,
    dropPercent: relative ? (drop * 100) / best.degrees : null,
  };
}

/**
 * The baseline of a look-back: the median of its `bestOf` highest readings (with fewer readings, the
 * best), so a single reading taken too generously does not become the yardstick. On equal
 * degrees the most recent is named: it is the one the nurse will remember.
 */
export function baselineOf(
  lookBack: readonly RomReading[],
  bestOf: number,
): RomReading | undefined {
  if (lookBack.length === 0) return undefined;
  const ranked = [...lookBack].sort(
    (a, b) => b.degrees - a.degrees || instantMs(b.takenAt) - instantMs(a.takenAt) || b.id - a.id,
  );
  // With fewer readings than that, the best: two readings cannot outvote one, and the lower of two
  // would let a falling second reading lower its own yardstick.
  const index = ranked.length >= bestOf ? Math.floor(Math.max(1, bestOf) / 2) : 0;
  return ranked[index] ?? ranked[0];
}

/** What one series says at the moment of assessment. */
export interface SeriesFinding {
  readonly site: JointSite;
  readonly side: Side;
  readonly movement: Movement;
  readonly mode: RomMode;
  readonly readings: readonly RomReading[];
  readonly latest: RomReading;
  /** The latest reading is a decline. */
  readonly decline: RomDecline | undefined;
  /** The reading of the sitting before also was a decline: a second reading confirms it. */
  readonly confirmedBy: RomDecline | undefined;
  /** How many sittings in a row, ending with the latest, read a decline (0 when the latest does not). */
  readonly sittingsInARow: number;
  /**
   * The reading of the sitting before was a decline that the latest reading does not repeat: set aside
   * as pain-limited or mis-measured (PRODUCT §3), not kept as a decline.
   */
  readonly setAside: RomDecline | undefined;
}

/** The index of the last reading before `index` taken in an earlier sitting (another time). */
function previousSitting(readings: readonly RomReading[], index: number): number {
  const at = readings[index];
  if (!at) return -1;
  for (let i = index - 1; i >= 0; i--) {
    const r = readings[i];
    if (r && r.takenAt !== at.takenAt && r.sessionId !== at.sessionId) return i;
  }
  return -1;
}

/** The finding of one series (sorted by time), or undefined when it has no reading. */
export function seriesFinding(
  readings: readonly RomReading[],
  settings: HoWatchSettings,
): SeriesFinding | undefined {
  const last = readings.length - 1;
  const latest = readings[last];
  if (!latest) return undefined;
  const decline = romDeclineAt(readings, last, settings);
  const before = previousSitting(readings, last);
  const previous = before >= 0 ? romDeclineAt(readings, before, settings) : undefined;
  let sittingsInARow = 0;
  for (
    let i = last;
    i >= 0 && romDeclineAt(readings, i, settings);
    i = previousSitting(readings, i)
  ) {
    sittingsInARow += 1;
    if (sittingsInARow >= 5) break;
  }
  return {
    site: latest.site,
    side: latest.side,
    movement: latest.movement,
    mode: latest.mode,
    readings,
    latest,
    decline,
    confirmedBy: decline ? previous : undefined,
    sittingsInARow,
    setAside: decline ? undefined : previous,
  };
}

/** A site's latest reading well short of the other side's, measured the same day. */
export interface RomAsymmetry {
  readonly reading: RomReading;
  readonly other: RomReading;
  readonly gapDegrees: number;
}

/**
 * Asymmetry (PRODUCT §3): the latest reading of a series at least `asymmetryDegrees` (and at least the
 * minimal detectable change) below the other side's reading of the same movement and mode taken the
 * same day, unless the other side is itself falling. Both sides measured in one sitting share the
 * rater and the day, so her bias cannot make the gap (CR §2.6, §3.1: the other side is the preferred
 * comparator).
 */
export function romAsymmetry(
  own: SeriesFinding,
  otherSide: SeriesFinding | undefined,
  settings: HoWatchSettings,
): RomAsymmetry | undefined {
  if (!otherSide || otherSide.decline) return undefined;
  const dayNumber = dayNumberIn(settings);
  const threshold = Math.max(
    settings.asymmetryDegrees,
    minimalDetectableChange(own.site, own.movement, settings),
  );
  const sameDay = (reading: RomReading): RomReading | undefined => {
    const d = dayNumber(reading.takenAt);
    let match: RomReading | undefined;
    for (const o of otherSide.readings) if (dayNumber(o.takenAt) === d) match = o;
    return match;
  };
  const other = sameDay(own.latest);
  if (!other) return undefined;
  const gap = other.degrees - own.latest.degrees;
  if (gap < threshold) return undefined;
  return { reading: own.latest, other, gapDegrees: gap };
}
