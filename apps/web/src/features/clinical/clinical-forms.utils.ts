/**
 * The arithmetic and wording behind the nurse's and physician's forms: times typed in local time,
 * tri-state signs (a sign not examined is unknown, never "absent"), the Braden total as it is scored,
 * and which grading system fits an imaged joint (CR §2.4).
 */
import {
  bradenBand,
  DEFAULT_BRADEN_BANDS,
  FUTURE_TOLERANCE_MS,
  type JointSite,
} from '@ossiwatch/domain';

/** "now" as a `datetime-local` value, to the minute. */
export function localInputNow(now: Date = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/**
 * A `datetime-local` value as an ISO instant, or a sentence saying what is wrong with it. A time more
 * than five minutes ahead is refused: an observation cannot come from the future.
 */
export function instantFromLocal(
  value: string,
  now: Date = new Date(),
): { instant: string } | { problem: string } {
  const at = new Date(value);
  if (value.trim() === '' || Number.isNaN(at.getTime()))
    return { problem: 'enter a date and time' };
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
    return { problem: 'cannot be in the future' };
  return { instant: at.toISOString() };
}

/** A sign is present, absent, or was not examined. */
export type TriState = '' | 'yes' | 'no';

export function triStateValue(value: TriState): boolean | null {
  return value === '' ? null : value === 'yes';
}

export interface BradenScores {
  readonly sensoryPerception: number;
  readonly moisture: number;
  readonly activity: number;
  readonly mobility: number;
  readonly nutrition: number;
  readonly frictionShear: number;
}

/** The Braden total and its band as scored so far; null until every subscale has a score (CR §5.3). */
export function bradenSoFar(
  scores: Partial<BradenScores>,
): { total: number; band: string | null } | null {
  const values = [
    scores.sensoryPerception,
    scores.moisture,
    scores.activity,
    scores.mobility,
    scores.nutrition,
    scores.frictionShear,
  ];
  if (values.some((v) => v === undefined)) return null;
  const total = values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
  return { total, band: bradenBand(total, DEFAULT_BRADEN_BANDS)?.label ?? null };
}

/** Brooker grades the hip, Hastings & Graham the elbow; elsewhere the grade is free text (CR §2.4). */
export function gradeSystemFor(site: JointSite): 'brooker' | 'hastings_graham' | 'free_text' {
  if (site === 'hip') return 'brooker';
  if (site === 'elbow') return 'hastings_graham';
  return 'free_text';
}

/** Whole days between an instant and now (catheter days shown next to the removal form). */
export function daysSince(instant: string, now: Date = new Date()): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(instant)) / 86_400_000));
}
