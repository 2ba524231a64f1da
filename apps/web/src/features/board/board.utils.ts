/**
 * The ward board's filters, search and sort, kept in the URL
 * (`?tier=alert,high&q=smith&overdue=1&new=1&sort=braden&dir=asc&wall=1`) so a board can be
 * bookmarked, put on the wall screen, and restored with Back.
 */
import { TIERS, type Tier } from '@ossiwatch/domain';
import { compareBeds } from './bed-order.ts';

/** The board's columns, each sortable (PRODUCT §5: every column sorts). */
export const SORT_KEYS = [
  'bed',
  'patient',
  'age',
  'injury',
  'tier',
  'new',
  'finding',
  'sites',
  'jhHlm',
  'braden',
  'complications',
  'catheter',
  'flags',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'ascending' | 'descending';

/** What "new" is measured from: this person's last look at the board, or the shift's start. */
export type NewSince = 'last' | 'shift';

export interface BoardFilters {
  /** Tiers to show; empty means all. */
  readonly tiers: readonly Tier[];
  /** Matched against name and bed, case-insensitive. */
  readonly query: string;
  readonly overdueOnly: boolean;
  readonly newOnly: boolean;
  readonly pressureOnly: boolean;
  readonly catheterOnly: boolean;
  readonly recheckOnly: boolean;
  readonly since: NewSince;
  /** Tier order (highest first) unless a column was chosen. */
  readonly sort: SortKey;
  readonly direction: SortDirection;
  readonly wall: boolean;
  readonly handover: boolean;
}

/** Reads the filters from a query string; anything unrecognised is ignored, never an error. */
export function parseBoardFilters(search: URLSearchParams): BoardFilters {
  const tierText = search.get('tier') ?? '';
  const tiers = TIERS.filter((tier) => tierText.split(',').includes(tier));
  const sortText = search.get('sort') ?? '';
  const sort = (SORT_KEYS as readonly string[]).includes(sortText) ? (sortText as SortKey) : 'tier';
  return {
    tiers,
    query: (search.get('q') ?? '').slice(0, 100),
    overdueOnly: search.get('overdue') === '1',
    newOnly: search.get('new') === '1',
    pressureOnly: search.get('pressure') === '1',
    catheterOnly: search.get('catheter') === '1',
    recheckOnly: search.get('recheck') === '1',
    since: search.get('since') === 'shift' ? 'shift' : 'last',
    sort,
    direction: search.get('dir') === 'desc' ? 'descending' : 'ascending',
    wall: search.get('wall') === '1',
    handover: search.get('view') === 'handover',
  };
}

/** The query-string changes that represent `filters` (null removes a key). */
export function boardFiltersToParams(filters: BoardFilters): Record<string, string | null> {
  const flag = (on: boolean) => (on ? '1' : null);
  return {
    tier:
      filters.tiers.length > 0 ? TIERS.filter((t) => filters.tiers.includes(t)).join(',') : null,
    q: filters.query.trim() === '' ? null : filters.query,
    overdue: flag(filters.overdueOnly),
    new: flag(filters.newOnly),
    pressure: flag(filters.pressureOnly),
    catheter: flag(filters.catheterOnly),
    recheck: flag(filters.recheckOnly),
    since: filters.since === 'shift' ? 'shift' : null,
    sort: filters.sort === 'tier' && filters.direction === 'ascending' ? null : filters.sort,
    dir: filters.direction === 'descending' ? 'desc' : null,
    wall: flag(filters.wall),
    view: filters.handover ? 'handover' : null,
  };
}

/** The filters after a click on a column's header: that column ascending, or the other way round. */
export function sortedBy(filters: BoardFilters, key: SortKey): BoardFilters {
  const direction: SortDirection =
    filters.sort === key && filters.direction === 'ascending' ? 'descending' : 'ascending';
  return { ...filters, sort: key, direction };
}

export interface BoardRowLike {
  readonly name: string;
  readonly bed: string | null;
  readonly tier: Tier;
  readonly overdue?: boolean;
  readonly recheck?: boolean;
  readonly catheterReview?: boolean;
  readonly pressureRisk?: { readonly total: number } | null;
  /** What is new since the chosen instant (empty: nothing). */
  readonly newChanges?: readonly { readonly at: string; readonly detail: string }[];
}

const TIER_ROSE = /^Tier rose from (\w+) to (\w+)$/;

/**
 * What is new, in words, newest first, with successive tier rises told as one ("Tier rose from
 * Elevated to Alert", not two steps).
 */
export function newChangeWords(changes: readonly { readonly detail: string }[]): string[] {
  const rises = changes.flatMap((c) => {
    const match = TIER_ROSE.exec(c.detail);
    return match ? [{ from: match[1]!, to: match[2]! }] : [];
  });
  const words: string[] = [];
  let riseTold = false;
  for (const change of changes) {
    if (!TIER_ROSE.test(change.detail)) {
      words.push(change.detail);
    } else if (!riseTold) {
      // Newest first: the first rise's "to" is the latest tier, the last rise's "from" the earliest.
      words.push(`Tier rose from ${rises.at(-1)!.from} to ${rises[0]!.to}`);
      riseTold = true;
    }
  }
  return words;
}

/** A row's changes after `since` (an ISO instant; null: none is new yet, the reference is unknown). */
export function changesSince<C extends { readonly at: string }>(
  changes: readonly C[],
  since: string | null,
): C[] {
  if (since === null) return [];
  return changes.filter((change) => change.at > since);
}

const tierRank: Record<Tier, number> = { alert: 0, high: 1, elevated: 2, low: 3 };

// Made once, and only when two rows share a bed (or both have none): `localeCompare` builds a new
// collator at every comparison, and even one collator's first construction costs tens of
// milliseconds of a fresh page's main thread before the rows can show.
let nameCollator: Intl.Collator | undefined;

function compareNames(a: string, b: string): number {
  nameCollator ??= new Intl.Collator();
  return nameCollator.compare(a, b);
}

/**
 * The rows to show, highest tier first, then by bed so a tier's patients read in walking order
 * (the server's bed order, bed-order.ts), then by name.
 * The server sorts too; sorting again keeps the order right after a live update merges rows.
 */
export function filterBoardRows<T extends BoardRowLike>(
  rows: readonly T[],
  filters: BoardFilters,
): T[] {
  const needle = filters.query.trim().toLowerCase();
  return rows
    .filter((row) => filters.tiers.length === 0 || filters.tiers.includes(row.tier))
    .filter((row) => !filters.overdueOnly || row.overdue === true)
    .filter((row) => !filters.newOnly || (row.newChanges?.length ?? 0) > 0)
    .filter((row) => !filters.pressureOnly || (row.pressureRisk ?? null) !== null)
    .filter((row) => !filters.catheterOnly || row.catheterReview === true)
    .filter((row) => !filters.recheckOnly || row.recheck === true)
    .filter(
      (row) =>
        needle === '' ||
        row.name.toLowerCase().includes(needle) ||
        bedMatches(row.bed ?? '', needle),
    )
    .sort(byTierThenBed);
}

/**
 * Whether a bed label matches what was typed: any part of it ("16" finds "NA-16", "na-1" finds
 * NA-10 to NA-19), or its number without the leading zero ("4" finds "NA-04").
 */
export function bedMatches(bed: string, needle: string): boolean {
  const label = bed.toLowerCase();
  if (needle === '' || label === '') return false;
  if (label.includes(needle)) return true;
  const number = /(\d+)\D*$/.exec(label)?.[1];
  return /^\d+$/.test(needle) && number !== undefined && Number(number) === Number(needle);
}

function byTierThenBed(a: BoardRowLike, b: BoardRowLike): number {
  return (
    tierRank[a.tier] - tierRank[b.tier] ||
    compareBeds(a.bed ?? '', b.bed ?? '') ||
    compareNames(a.name, b.name)
  );
}

/** What a column sorts by: a number or a text; null (not recorded) always sorts last. */
export type SortValue = number | string | null;

/**
 * `rows` (already in tier order) sorted by one column; ties keep tier order. Unknown values
 * (a Braden never recorded) go last in either direction: they are not the lowest.
 */
export function sortBoardRows<T extends BoardRowLike>(
  rows: readonly T[],
  filters: Pick<BoardFilters, 'sort' | 'direction'>,
  valueOf: (row: T, key: SortKey) => SortValue,
): T[] {
  const sign = filters.direction === 'ascending' ? 1 : -1;
  if (filters.sort === 'tier') {
    return sign === 1 ? [...rows] : [...rows].sort((a, b) => -byTierThenBed(a, b));
  }
  const keyed = rows.map((row, index) => ({ row, index, value: valueOf(row, filters.sort) }));
  keyed.sort((a, b) => {
    if (a.value === null || b.value === null) {
      return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
    }
    const order =
      typeof a.value === 'number' && typeof b.value === 'number'
        ? a.value - b.value
        : filters.sort === 'bed'
          ? compareBeds(String(a.value), String(b.value))
          : compareNames(String(a.value), String(b.value));
    return sign * order || a.index - b.index;
  });
  return keyed.map((k) => k.row);
}

/** How many patients are in each tier, for the summary above the table. */
export function tierCounts(rows: readonly BoardRowLike[]): Record<Tier, number> {
  const counts: Record<Tier, number> = { alert: 0, high: 0, elevated: 0, low: 0 };
  for (const row of rows) counts[row.tier] += 1;
  return counts;
}
