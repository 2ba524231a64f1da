import { TIERS } from '@ossiwatch/domain';
import { TIER_WORDS } from '../../../lib/labels.ts';
import type { BoardFilters } from '../board.utils.ts';

export type OnlyKey = 'newOnly' | 'pressureOnly' | 'catheterOnly' | 'overdueOnly' | 'recheckOnly';

const ONLY: readonly { key: OnlyKey; label: string }[] = [
  { key: 'newOnly', label: 'New only' },
  { key: 'pressureOnly', label: 'Pressure-injury risk' },
  { key: 'catheterOnly', label: 'Catheter review' },
  { key: 'overdueOnly', label: 'ROM overdue' },
  { key: 'recheckOnly', label: 'Recheck' },
];

export function BoardFiltersBar({
  filters,
  onChange,
  counts,
  onlyCounts,
  onSearchEnter,
}: {
  filters: BoardFilters;
  onChange: (next: BoardFilters) => void;
  counts: Record<(typeof TIERS)[number], number>;
  onlyCounts: Record<OnlyKey, number>;
  /** Enter in the search box: open the one patient found, or go to the first row found. */
  onSearchEnter?: () => void;
}): React.JSX.Element {
  return (
    <form
      className="board-filters"
      role="search"
      aria-label="Filter patients"
      onSubmit={(e) => {
        e.preventDefault();
        onSearchEnter?.();
      }}
    >
      <div className="field">
        <label htmlFor="board-search">Search name or bed</label>
        <input
          id="board-search"
          type="search"
          aria-keyshortcuts="/"
          value={filters.query}
          onChange={(event) => onChange({ ...filters, query: event.target.value })}
        />
      </div>
      <fieldset>
        <legend>Tier</legend>
        {TIERS.map((tier) => (
          <label key={tier} className="check">
            <input
              type="checkbox"
              checked={filters.tiers.includes(tier)}
              onChange={(event) =>
                onChange({
                  ...filters,
                  tiers: event.target.checked
                    ? [...filters.tiers, tier]
                    : filters.tiers.filter((t) => t !== tier),
                })
              }
            />
            {TIER_WORDS[tier]} ({counts[tier]})
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="board-since">New since</label>
        <select
          id="board-since"
          value={filters.since}
          onChange={(event) =>
            onChange({ ...filters, since: event.target.value === 'shift' ? 'shift' : 'last' })
          }
        >
          <option value="last">my last look</option>
          <option value="shift">the start of the shift</option>
        </select>
      </div>
      <fieldset>
        <legend>Filters</legend>
        {ONLY.map(({ key, label }) => (
          <label key={key} className="check">
            <input
              type="checkbox"
              checked={filters[key]}
              onChange={(event) => onChange({ ...filters, [key]: event.target.checked })}
            />
            {label} ({onlyCounts[key]})
          </label>
        ))}
      </fieldset>
    </form>
  );
}
