/**
 * The ward board's filters and search, kept in the URL (`?tier=alert,high&q=smith&overdue=1&wall=1`)
 * so a board can be bookmarked, put on the wall screen, and restored with Back.
 */
import { TIERS, type Tier } from '@ossiwatch/domain';
import { compareBeds } from './bed-order.ts';

export interface BoardFilters {
  /** Tiers to show; empty means all. */
  readonly tiers: readonly Tier[];
  /** Matched against name and bed, case-insensitive. */
  readonly query: string;
  readonly overdueOnly: boolean;
  readonly wall: boolean;
}

/** Reads the filters from a query string; anything unrecognised is ignored, never an error. */
export function parseBoardFilters(search: URLSearchParams): BoardFilters {
  const tierText = search.get('tier') ?? '';
  const tiers = TIERS.filter((tier) => tierText.split(',').includes(tier));
  return {
    tiers,
    query: (search.get('q') ?? '').slice(0, 100),
    overdueOnly: search.get('overdue') === '1',
    wall: search.get('wall') === '1',
  };
}

/** The query-string changes that represent `filters` (null removes a key). */
export function boardFiltersToParams(filters: BoardFilters): Record<string, string | null> {
  return {
    tier:
      filters.tiers.length > 0 ? TIERS.filter((t) => filters.tiers.includes(t)).join(',') : null,
    q: filters.query.trim() === '' ? null : filters.query,
    overdue: filters.overdueOnly ? '1' : null,
    wall: filters.wall ? '1' : null,
  };
}

export interface BoardRowLike {
  readonly name: string;
  readonly bed: string | null;
  readonly tier: Tier;
  readonly overdue?: boolean;
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
    .filter(
      (row) =>
        needle === '' ||
        row.name.toLowerCase().includes(needle) ||
        (row.bed ?? '').toLowerCase() === needle,
    )
    .sort(
      (a, b) =>
        tierRank[a.tier] - tierRank[b.tier] ||
        compareBeds(a.bed ?? '', b.bed ?? '') ||
        compareNames(a.name, b.name),
    );
}

/** How many patients are in each tier, for the summary above the table. */
export function tierCounts(rows: readonly BoardRowLike[]): Record<Tier, number> {
  const counts: Record<Tier, number> = { alert: 0, high: 0, elevated: 0, low: 0 };
  for (const row of rows) counts[row.tier] += 1;
  return counts;
}
