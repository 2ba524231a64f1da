/**
 * A board row as one person sees it: what is new for them, the flags, and each column's sort value.
 */
import type { Tier } from '@ossiwatch/domain';
import type { BoardRow } from './board-row.ts';
import type { SortKey, SortValue } from './board.utils.ts';

export interface BoardRowView extends BoardRow {
  /** The row's changes after this person's reference instant (last look or shift start). */
  readonly newChanges: BoardRow['changes'];
}

/** The flags of their own, in words (PRODUCT §5), most pressing first. */
export function flagWords(row: BoardRow): string[] {
  const flags: string[] = [];
  if (row.pressureRisk) {
    flags.push(
      `Pressure-injury risk: Braden ${row.pressureRisk.total}${row.pressureRisk.band ? ` (${row.pressureRisk.band})` : ''}`,
    );
  }
  if (row.catheterReview) flags.push('Catheter: review need');
  if (row.overdue) flags.push('ROM overdue');
  if (row.recheck) flags.push('Recheck ROM');
  return flags;
}

const TIER_RANK: Record<Tier, number> = { alert: 0, high: 1, elevated: 2, low: 3 };

export function sortValueOf(row: BoardRowView, key: SortKey): SortValue {
  switch (key) {
    case 'bed':
      return row.bed;
    case 'patient':
      return row.name;
    case 'age':
      return row.age;
    case 'injury':
      return row.daysSinceInjury;
    case 'tier':
      return TIER_RANK[row.tier];
    case 'new':
      return row.newChanges.length;
    case 'finding':
      return row.finding;
    case 'sites':
      return row.sites.length;
    case 'jhHlm':
      return row.jhHlm === null ? null : Number(row.jhHlm);
    case 'braden':
      return row.braden?.total ?? null;
    case 'complications':
      return row.complications.length;
    case 'catheter':
      return row.catheterDays;
    case 'flags':
      return flagWords(row).length;
  }
}
