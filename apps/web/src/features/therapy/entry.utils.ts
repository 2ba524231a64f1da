/**
 * The therapy entry grid's arithmetic: which cells exist, what was measured last, the other side, and
 * what a value typed right now means (plausible? how far from last time?).
 */
import {
  JOINT_CATALOG,
  ROM_MODES,
  SIDES,
  checkRomValue,
  readingLabel,
  type JointSite,
  type Movement,
  type RomMode,
  type Side,
} from '@ossiwatch/domain';

export interface RomReadingLike {
  readonly site: JointSite;
  readonly side: Side;
  readonly movement: Movement;
  readonly mode: RomMode;
  readonly degrees: number;
  readonly takenAt: string | Date;
  /** A reading entered in error is never "the last reading" (PRODUCT §5). */
  readonly status?: string;
}

export interface EntryCell {
  readonly key: string;
  readonly side: Side;
  readonly site: JointSite;
  readonly movement: Movement;
  readonly mode: RomMode;
  /** "Left hip flexion (passive)". */
  readonly label: string;
}

export interface EntryRow {
  readonly site: JointSite;
  readonly movement: Movement;
  readonly normalDegrees: number;
  /** Left passive, left active, right passive, right active: one side at a time, as measured. */
  readonly cells: readonly EntryCell[];
}

export function cellKey(side: Side, site: JointSite, movement: Movement, mode: RomMode): string {
  return `${side}:${site}:${movement}:${mode}`;
}

const MODE_ORDER: readonly RomMode[] = ['passive', 'active'];

/** The grid: one row per site and movement in catalog order, four cells per row. */
export function entryRows(modes: readonly RomMode[] = ROM_MODES): EntryRow[] {
  return JOINT_CATALOG.map((spec) => ({
    site: spec.site,
    movement: spec.movement,
    normalDegrees: spec.normalDegrees,
    cells: SIDES.flatMap((side) =>
      MODE_ORDER.filter((mode) => modes.includes(mode)).map((mode) => ({
        key: cellKey(side, spec.site, spec.movement, mode),
        side,
        site: spec.site,
        movement: spec.movement,
        mode,
        label: readingLabel(side, spec.site, spec.movement, mode),
      })),
    ),
  }));
}

function time(value: string | Date): number {
  return typeof value === 'string' ? Date.parse(value) : value.getTime();
}

/** The most recent reading for every side/site/movement/mode that has one. */
export function latestByCell<T extends RomReadingLike>(readings: readonly T[]): Map<string, T> {
  const latest = new Map<string, T>();
  for (const reading of readings) {
    if (reading.status === 'entered-in-error') continue;
    const key = cellKey(reading.side, reading.site, reading.movement, reading.mode);
    const current = latest.get(key);
    if (!current || time(reading.takenAt) > time(current.takenAt)) latest.set(key, reading);
  }
  return latest;
}

export function otherSideKey(cell: EntryCell): string {
  return cellKey(cell.side === 'left' ? 'right' : 'left', cell.site, cell.movement, cell.mode);
}

export type TypedValue =
  | { readonly kind: 'empty' }
  | { readonly kind: 'invalid'; readonly message: string }
  | {
      readonly kind: 'value';
      readonly degrees: number;
      /** Degrees against the last reading of the same cell; null when there is none. */
      readonly change: number | null;
      /**
       * True when the value is ≥ 15° or ≥ 20% below the last reading: the size of drop the HO watch's
       * ROM-decline rule looks for (PRODUCT §3, CR §2.1; local default, no published trigger).
       */
      readonly falling: boolean;
    };

/** What a value typed into one cell means, checked against the catalog's plausible bounds. */
export function evaluateTyped(
  text: string,
  cell: EntryCell,
  last: RomReadingLike | undefined,
): TypedValue {
  const trimmed = text.trim().replace(/°$/, '').replace('−', '-').trim();
  if (trimmed === '') return { kind: 'empty' };
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) {
    return { kind: 'invalid', message: `${cell.label}: "${text}" is not a number of degrees` };
  }
  const degrees = Number(trimmed);
  const problem = checkRomValue(cell.site, cell.movement, degrees);
  if (problem) return { kind: 'invalid', message: `${cell.label}: ${problem.message}` };
  if (!last) return { kind: 'value', degrees, change: null, falling: false };
  const change = degrees - last.degrees;
  const drop = -change;
  const falling = drop >= 15 || (last.degrees > 0 && drop / last.degrees >= 0.2);
  return { kind: 'value', degrees, change, falling };
}

/** "+5°", "−28°", "±0°": a change that reads at a glance, with a true minus sign. */
export function formatChange(change: number): string {
  if (change === 0) return '±0°';
  return `${change > 0 ? '+' : '−'}${Math.abs(change)}°`;
}

export interface SessionReading {
  readonly site: JointSite;
  readonly side: Side;
  readonly movement: Movement;
  readonly mode: RomMode;
  readonly degrees: number;
}

/**
 * The readings to save, or the problems that stop the save. Empty cells are simply not measured
 * (unknown, never 0).
 */
export function sessionFromValues(
  rows: readonly EntryRow[],
  values: Readonly<Record<string, string>>,
): { readings: SessionReading[]; problems: { key: string; message: string }[] } {
  const readings: SessionReading[] = [];
  const problems: { key: string; message: string }[] = [];
  for (const cell of rows.flatMap((row) => row.cells)) {
    const typed = evaluateTyped(values[cell.key] ?? '', cell, undefined);
    if (typed.kind === 'invalid') problems.push({ key: cell.key, message: typed.message });
    if (typed.kind === 'value') {
      readings.push({
        site: cell.site,
        side: cell.side,
        movement: cell.movement,
        mode: cell.mode,
        degrees: typed.degrees,
      });
    }
  }
  return { readings, problems };
}

/** A typed value far from the last reading of the same movement: perhaps a typo (12 for 108). */
export interface LargeChange {
  readonly key: string;
  readonly label: string;
  readonly degrees: number;
  readonly last: RomReadingLike;
  readonly change: number;
}

/**
 * The readings that differ from the last reading of the same cell by more than `thresholdDegrees`
 * (the romTypoChangeDegrees setting): the grid asks "Are you sure?" about them before saving.
 */
export function largeChanges(
  rows: readonly EntryRow[],
  readings: readonly SessionReading[],
  latest: ReadonlyMap<string, RomReadingLike>,
  thresholdDegrees: number,
): LargeChange[] {
  const labels = new Map(rows.flatMap((row) => row.cells).map((cell) => [cell.key, cell.label]));
  return readings.flatMap((reading) => {
    const key = cellKey(reading.side, reading.site, reading.movement, reading.mode);
    const last = latest.get(key);
    if (!last) return [];
    const change = reading.degrees - last.degrees;
    if (Math.abs(change) <= thresholdDegrees) return [];
    return [{ key, label: labels.get(key) ?? key, degrees: reading.degrees, last, change }];
  });
}
