import { TIERS } from '@ossiwatch/domain';
import { TIER_WORDS } from '../../../lib/labels.ts';
import type { BoardFilters } from '../board.utils.ts';

export function BoardFiltersBar({
  filters,
  onChange,
  counts,
}: {
  filters: BoardFilters;
  onChange: (next: BoardFilters) => void;
  counts: Record<(typeof TIERS)[number], number>;
}): React.JSX.Element {
  return (
    <form
      className="board-filters"
      role="search"
      aria-label="Filter patients"
      onSubmit={(e) => e.preventDefault()}
    >
      <div className="field">
        <label htmlFor="board-search">Search name or bed</label>
        <input
          id="board-search"
          type="search"
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
      <label className="check">
        <input
          type="checkbox"
          checked={filters.overdueOnly}
          onChange={(event) => onChange({ ...filters, overdueOnly: event.target.checked })}
        />
        Overdue only
      </label>
    </form>
  );
}
