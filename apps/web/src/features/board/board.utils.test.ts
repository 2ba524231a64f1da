import { describe, expect, it } from 'vitest';
import {
  boardFiltersToParams,
  changesSince,
  bedMatches,
  filterBoardRows,
  newChangeWords,
  sortBoardRows,
  sortedBy,
  type SortKey,
  parseBoardFilters,
  tierCounts,
  type BoardRowLike,
} from './board.utils.ts';

const rows: BoardRowLike[] = [
  { name: 'Ada Low', bed: '10', tier: 'low' },
  { name: 'Ben Alert', bed: '07', tier: 'alert', overdue: true },
  { name: 'Cy High', bed: '02', tier: 'high' },
  { name: 'Di High', bed: '01', tier: 'high', overdue: true },
  { name: 'Ed Elevated', bed: null, tier: 'elevated' },
];

describe('parseBoardFilters', () => {
  it('reads tiers, search, overdue and wall mode from the URL', () => {
    const filters = parseBoardFilters(
      new URLSearchParams('tier=high,alert&q=ben&overdue=1&wall=1'),
    );
    expect(filters).toMatchObject({
      tiers: ['alert', 'high'],
      query: 'ben',
      overdueOnly: true,
      wall: true,
      sort: 'tier',
      direction: 'ascending',
      since: 'last',
    });
  });

  it('ignores values it does not know instead of failing', () => {
    expect(
      parseBoardFilters(new URLSearchParams('tier=purple&overdue=yes&sort=colour&dir=up&since=x')),
    ).toEqual(parseBoardFilters(new URLSearchParams()));
  });

  it('round-trips through the query string', () => {
    const filters = {
      ...parseBoardFilters(new URLSearchParams()),
      tiers: ['elevated', 'alert'] as const,
      query: 'Smith',
      newOnly: true,
      pressureOnly: true,
      since: 'shift' as const,
      sort: 'braden' as const,
      direction: 'descending' as const,
      wall: true,
    };
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(boardFiltersToParams(filters))) {
      if (value !== null) params.set(key, value);
    }
    expect(params.toString()).toBe(
      'tier=alert%2Celevated&q=Smith&new=1&pressure=1&since=shift&sort=braden&dir=desc&wall=1',
    );
    expect(parseBoardFilters(params)).toEqual({ ...filters, tiers: ['alert', 'elevated'] });
  });
});

describe('filterBoardRows', () => {
  const all = parseBoardFilters(new URLSearchParams());

  it('puts the highest tier first, then walks the beds in order', () => {
    expect(filterBoardRows(rows, all).map((r) => r.name)).toEqual([
      'Ben Alert',
      'Di High',
      'Cy High',
      'Ed Elevated',
      'Ada Low',
    ]);
  });

  it('orders beds by their number (bed 9 before bed 10, 2A before 2B), then names', () => {
    const ward: BoardRowLike[] = [
      { name: 'Zoe', bed: '10', tier: 'high' },
      { name: 'Yan', bed: '2B', tier: 'high' },
      { name: 'Xia', bed: '9', tier: 'high' },
      { name: 'Abe', bed: '2A', tier: 'high' },
      { name: 'Bea', bed: '9', tier: 'high' },
    ];
    expect(filterBoardRows(ward, all).map((r) => `${r.bed} ${r.name}`)).toEqual([
      '2A Abe',
      '2B Yan',
      '9 Bea',
      '9 Xia',
      '10 Zoe',
    ]);
  });

  it('shows only the chosen tiers and the overdue patients when asked', () => {
    const filters = { ...all, tiers: ['high' as const], overdueOnly: true };
    expect(filterBoardRows(rows, filters).map((r) => r.name)).toEqual(['Di High']);
  });

  it('finds a patient by part of the name or of the bed', () => {
    expect(filterBoardRows(rows, { ...all, query: 'HIGH' }).map((r) => r.name)).toEqual([
      'Di High',
      'Cy High',
    ]);
    expect(filterBoardRows(rows, { ...all, query: '07' }).map((r) => r.name)).toEqual([
      'Ben Alert',
    ]);
  });

  it('matches part of a bed label, or its number without the leading zero', () => {
    expect(bedMatches('NA-16', '16')).toBe(true);
    expect(bedMatches('NA-16', 'na-1')).toBe(true);
    expect(bedMatches('NA-04', '4')).toBe(true);
    expect(bedMatches('NA-14', '4')).toBe(true);
    expect(bedMatches('NA-04', '5')).toBe(false);
    expect(bedMatches('', '4')).toBe(false);
  });

  it('does not reorder the array it was given', () => {
    const copy = [...rows];
    filterBoardRows(rows, all);
    expect(rows).toEqual(copy);
  });
});

describe('the flags of their own and what is new', () => {
  const all = parseBoardFilters(new URLSearchParams());
  const flagged: BoardRowLike[] = [
    { name: 'Pia', bed: '1', tier: 'low', pressureRisk: { total: 11 } },
    { name: 'Cat', bed: '2', tier: 'low', catheterReview: true },
    { name: 'Rex', bed: '3', tier: 'high', recheck: true },
    { name: 'Neo', bed: '4', tier: 'alert', newChanges: [{ at: 'x', detail: 'Tier rose' }] },
    { name: 'Old', bed: '5', tier: 'alert', newChanges: [] },
  ];
  it('filters each on its own', () => {
    const names = (f: Partial<typeof all>) =>
      filterBoardRows(flagged, { ...all, ...f }).map((r) => r.name);
    expect(names({ pressureOnly: true })).toEqual(['Pia']);
    expect(names({ catheterOnly: true })).toEqual(['Cat']);
    expect(names({ recheckOnly: true })).toEqual(['Rex']);
    expect(names({ newOnly: true })).toEqual(['Neo']);
  });

  it('counts a change as new only after the reference instant, and none before it is known', () => {
    const changes = [{ at: '2026-01-02T10:00:00.000Z' }, { at: '2026-01-01T10:00:00.000Z' }];
    expect(changesSince(changes, '2026-01-01T12:00:00.000Z')).toEqual([changes[0]]);
    expect(changesSince(changes, null)).toEqual([]);
  });
});

describe('newChangeWords', () => {
  it('tells successive tier rises as one, keeping the rest in order', () => {
    expect(
      newChangeWords([
        { detail: 'Tier rose from High to Alert' },
        { detail: 'Left hip: HO now suspected' },
        { detail: 'Tier rose from Elevated to High' },
      ]),
    ).toEqual(['Tier rose from Elevated to Alert', 'Left hip: HO now suspected']);
    expect(newChangeWords([])).toEqual([]);
  });
});

describe('sortBoardRows', () => {
  const braden = new Map<string, number | null>([
    ['Ben Alert', 14],
    ['Cy High', null],
    ['Di High', 9],
    ['Ed Elevated', 20],
    ['Ada Low', 9],
  ]);
  const valueOf = (row: BoardRowLike, key: SortKey) =>
    key === 'braden' ? (braden.get(row.name) ?? null) : row.name;
  const tierOrder = filterBoardRows(rows, parseBoardFilters(new URLSearchParams()));

  it('sorts by a column either way, unknown values last, ties in tier order', () => {
    const up = sortBoardRows(tierOrder, { sort: 'braden', direction: 'ascending' }, valueOf);
    expect(up.map((r) => r.name)).toEqual([
      'Di High',
      'Ada Low',
      'Ben Alert',
      'Ed Elevated',
      'Cy High',
    ]);
    const down = sortBoardRows(tierOrder, { sort: 'braden', direction: 'descending' }, valueOf);
    expect(down.map((r) => r.name)).toEqual([
      'Ed Elevated',
      'Ben Alert',
      'Di High',
      'Ada Low',
      'Cy High',
    ]);
  });

  it('flips direction on a second click of the same header, and starts ascending on another', () => {
    const start = parseBoardFilters(new URLSearchParams());
    const once = sortedBy(start, 'braden');
    expect([once.sort, once.direction]).toEqual(['braden', 'ascending']);
    expect(sortedBy(once, 'braden').direction).toBe('descending');
    expect(sortedBy(sortedBy(once, 'braden'), 'bed').direction).toBe('ascending');
  });
});

describe('tierCounts', () => {
  it('counts every tier, including the empty ones', () => {
    expect(tierCounts(rows)).toEqual({ alert: 1, high: 2, elevated: 1, low: 1 });
    expect(tierCounts([])).toEqual({ alert: 0, high: 0, elevated: 0, low: 0 });
  });
});
