import { describe, expect, it } from 'vitest';
import {
  boardFiltersToParams,
  filterBoardRows,
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
    expect(filters).toEqual({
      tiers: ['alert', 'high'],
      query: 'ben',
      overdueOnly: true,
      wall: true,
    });
  });

  it('ignores values it does not know instead of failing', () => {
    expect(parseBoardFilters(new URLSearchParams('tier=purple&overdue=yes'))).toEqual({
      tiers: [],
      query: '',
      overdueOnly: false,
      wall: false,
    });
  });

  it('round-trips through the query string', () => {
    const filters = {
      tiers: ['elevated', 'alert'] as const,
      query: 'Smith',
      overdueOnly: false,
      wall: true,
    };
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(boardFiltersToParams(filters))) {
      if (value !== null) params.set(key, value);
    }
    expect(params.toString()).toBe('tier=alert%2Celevated&q=Smith&wall=1');
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

  it('finds a patient by part of the name or by exact bed', () => {
    expect(filterBoardRows(rows, { ...all, query: 'HIGH' }).map((r) => r.name)).toEqual([
      'Di High',
      'Cy High',
    ]);
    expect(filterBoardRows(rows, { ...all, query: '07' }).map((r) => r.name)).toEqual([
      'Ben Alert',
    ]);
  });

  it('does not reorder the array it was given', () => {
    const copy = [...rows];
    filterBoardRows(rows, all);
    expect(rows).toEqual(copy);
  });
});

describe('tierCounts', () => {
  it('counts every tier, including the empty ones', () => {
    expect(tierCounts(rows)).toEqual({ alert: 1, high: 2, elevated: 1, low: 1 });
    expect(tierCounts([])).toEqual({ alert: 0, high: 0, elevated: 0, low: 0 });
  });
});
