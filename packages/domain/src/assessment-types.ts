/**
 * What the HO watch says about one patient at one point in time (PRODUCT §3). A pure function of
 * (PatientRecord, now, HoWatchSettings): the server stores a copy for the ward board, which a command
 * can rebuild at any time.
 */
import type { JointSite, Movement, RomMode, Side } from './joints.ts';
import type { Instant } from './model.ts';

export const TIERS = ['alert', 'high', 'elevated', 'low'] as const;
/** Sorts the ward board, highest first. */
export type Tier = (typeof TIERS)[number];

/** HO state of one joint site, derived from the record, never typed in. */
export const HO_STATES = [
  'none',
  'watch',
  'suspected',
  'confirmed',
  'ankylosed',
  'excised',
  'recurrence_watch',
] as const;
export type HoState = (typeof HO_STATES)[number];

/** The published or local basis of a rule. */
export interface Evidence {
  /** Section of the clinical reference, e.g. "CR §1.2". */
  readonly section: string;
  /** The study or body, e.g. "Hendricks 2007: RR 20.7 (4.9–86.9)", or "local default (no published trigger)". */
  readonly source: string;
}

export interface Reason {
  /** Stable id, documented in docs/clinical-rules.md, e.g. "rom_decline". */
  readonly rule: string;
  /** A sentence a nurse understands, with the actual numbers. */
  readonly detail: string;
  readonly evidence: Evidence;
  /** The joint the reason is about, when it is about one. */
  readonly site?: JointSite;
  readonly side?: Side;
}

export interface SiteAssessment {
  readonly site: JointSite;
  readonly side: Side;
  readonly state: HoState;
  /** Why the site is in this state (empty for none). */
  readonly reasons: readonly Reason[];
}

export interface FunctionalImpact {
  readonly rule: string;
  readonly site: JointSite;
  readonly side: Side;
  /** e.g. "Left hip flexion 70°: below the ~90° needed to sit upright". */
  readonly detail: string;
  readonly evidence: Evidence;
}

export interface Advisory {
  readonly rule: string;
  /** Always worded "Consider …" or as a caution; never an order. */
  readonly text: string;
  readonly evidence: Evidence;
}

/** `recheck`: a falling ROM reading not yet repeated (PRODUCT §3); set by the rule `rom_recheck`. */
export const ASSESSMENT_FLAGS = ['overdue', 'in_vigilance_window', 'recheck'] as const;
export type AssessmentFlag = (typeof ASSESSMENT_FLAGS)[number];

/** A ROM decline found at one site/movement/mode, the raw material of alerts and lead time. */
export interface RomSignal {
  readonly site: JointSite;
  readonly side: Side;
  readonly movement: Movement;
  readonly mode: RomMode;
  readonly kind: 'decline' | 'asymmetry';
  readonly latestDegrees: number;
  readonly comparedDegrees: number;
  readonly takenAt: Instant;
}

export interface Assessment {
  readonly assessedAt: Instant;
  readonly tier: Tier;
  /** Highest-weight reasons first. */
  readonly reasons: readonly Reason[];
  /** One entry per site and side (10 in all). */
  readonly sites: readonly SiteAssessment[];
  readonly functionalImpacts: readonly FunctionalImpact[];
  readonly advisories: readonly Advisory[];
  readonly flags: readonly AssessmentFlag[];
  readonly romSignals: readonly RomSignal[];
  /** Days since injury at assessedAt (whole days, floor), or null when the injury date is unknown. */
  readonly daysSinceInjury: number | null;
  /** Time of the most recent ROM reading, or null when there is none. */
  readonly lastRomAt: Instant | null;
  /** How many major risk factors (CR §1.2) were found; unknown values are not counted. */
  readonly majorFactorCount?: number;
  /** Whether `assessedAt` falls inside the vigilance window. */
  readonly inVigilanceWindow?: boolean;
}
