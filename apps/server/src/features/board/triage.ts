/**
 * Board triage (PRODUCT §5 "Triage, not decoration"): what became worse in an assessment, the one
 * finding a row leads with, the flags of their own, and when the current shift started. Pure
 * functions of stored assessments; the queries that use them are in board.ts and acknowledgements.ts.
 */
import {
  instantOfWallClock,
  isBackgroundRule,
  wallClockAt,
  type Assessment,
  type Reason,
  type Tier,
} from '@ossiwatch/domain';
import type { BoardSummary } from '../../assessments.ts';
import type { AssessmentChangeKind } from '../../db/schema.ts';

const TIER_ORDER: readonly Tier[] = ['low', 'elevated', 'high', 'alert'];
const TIER_WORD: Record<Tier, string> = {
  alert: 'Alert',
  high: 'High',
  elevated: 'Elevated',
  low: 'Low',
};
const COMPLICATION_WORD: Record<string, string> = {
  pressure_injury: 'pressure injury',
  pneumonia: 'pneumonia',
  uti: 'urinary tract infection',
  dvt: 'deep vein thrombosis',
};

/** The recheck rule of the HO watch: a falling reading not yet repeated (PRODUCT §3). */
export const RECHECK_RULE = 'rom_recheck';

export interface AssessedState {
  readonly assessment: Pick<Assessment, 'tier' | 'sites' | 'advisories' | 'reasons' | 'flags'>;
  readonly board: Pick<BoardSummary, 'activeComplications'>;
}

export interface AssessmentChange {
  readonly kind: AssessmentChangeKind;
  readonly detail: string;
}

function sideSite(side: string, site: string): string {
  return `${side.charAt(0).toUpperCase()}${side.slice(1)} ${site}`;
}

function rechecksOf(assessment: AssessedState['assessment']): Map<string, string> {
  const out = new Map<string, string>();
  for (const reason of assessment.reasons) {
    if (reason.rule !== RECHECK_RULE) continue;
    const key = reason.site ? `${reason.site}:${reason.side ?? ''}` : reason.detail;
    out.set(key, reason.site ? sideSite(reason.side ?? '', reason.site) : reason.detail);
  }
  // A recheck flag without a reason naming the site still counts as one recheck.
  if (out.size === 0 && (assessment.flags as readonly string[]).includes('recheck')) {
    out.set('flag', 'a ROM reading');
  }
  return out;
}

/**
 * What is worse in `next` than in `previous`: the tier rose, a site became suspected, an advisory
 * or a recheck appeared, a complication became active. Nothing for a first assessment: an admission
 * is not a change of the patient. Improvements are not listed: they need no one's attention.
 */
export function assessmentChanges(
  previous: AssessedState | undefined,
  next: AssessedState,
): AssessmentChange[] {
  if (!previous) return [];
  const changes: AssessmentChange[] = [];
  const before = previous.assessment;
  const after = next.assessment;
  if (TIER_ORDER.indexOf(after.tier) > TIER_ORDER.indexOf(before.tier)) {
    changes.push({
      kind: 'tier_rose',
      detail: `Tier rose from ${TIER_WORD[before.tier]} to ${TIER_WORD[after.tier]}`,
    });
  }
  const suspectedBefore = new Set(
    before.sites.filter((s) => s.state === 'suspected').map((s) => `${s.site}:${s.side}`),
  );
  for (const site of after.sites) {
    if (site.state === 'suspected' && !suspectedBefore.has(`${site.site}:${site.side}`)) {
      changes.push({
        kind: 'suspected',
        detail: `${sideSite(site.side, site.site)}: HO now suspected`,
      });
    }
  }
  const advisoriesBefore = new Set(before.advisories.map((a) => `${a.rule}|${a.text}`));
  for (const advisory of after.advisories) {
    if (!advisoriesBefore.has(`${advisory.rule}|${advisory.text}`)) {
      changes.push({ kind: 'advisory', detail: `New advisory: ${advisory.text}` });
    }
  }
  const rechecksBefore = rechecksOf(before);
  for (const [key, words] of rechecksOf(after)) {
    if (!rechecksBefore.has(key)) {
      changes.push({ kind: 'recheck', detail: `Recheck due: ${words}` });
    }
  }
  const complicationsBefore = new Set(previous.board.activeComplications.map((c) => c.id));
  for (const complication of next.board.activeComplications) {
    if (!complicationsBefore.has(complication.id)) {
      const word = COMPLICATION_WORD[complication.kind] ?? complication.kind;
      changes.push({
        kind: 'complication',
        detail: `New complication: ${word}${complication.stage ? ` (stage ${complication.stage})` : ''}`,
      });
    }
  }
  return changes;
}

/**
 * The strongest finding of an assessment in one line: its first reason that is not a background
 * risk factor (the HO watch lists reasons weightiest first), or else its first reason.
 */
export function strongestFinding(
  reasons: readonly Pick<Reason, 'rule' | 'detail'>[],
): string | null {
  const finding = reasons.find((r) => !isBackgroundRule(r.rule)) ?? reasons[0];
  return finding?.detail ?? null;
}

/** Whether the assessment asks for a ROM reading to be repeated (the recheck flag or its reason). */
export function needsRecheck(assessment: Pick<Assessment, 'flags' | 'reasons'>): boolean {
  return (
    (assessment.flags as readonly string[]).includes('recheck') ||
    assessment.reasons.some((r) => r.rule === RECHECK_RULE)
  );
}

/**
 * The latest shift start at or before `nowMs` in the ward's time zone. A start hour skipped by a
 * clock change that day is passed over.
 */
export function shiftStartBefore(
  nowMs: number,
  timeZone: string,
  hours: readonly number[],
): number {
  const today = wallClockAt(nowMs, timeZone).slice(0, 10);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  let latest = Number.NEGATIVE_INFINITY;
  for (const dayOffset of [0, -1]) {
    const date = new Date(Date.UTC(y, m - 1, d + dayOffset)).toISOString().slice(0, 10);
    for (const hour of hours) {
      const at = instantOfWallClock(`${date}T${String(hour).padStart(2, '0')}:00`, timeZone);
      if (at !== null && at <= nowMs && at > latest) latest = at;
    }
  }
  return Number.isFinite(latest) ? latest : nowMs - 24 * 3_600_000;
}
