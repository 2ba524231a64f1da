/**
 * One board row as the screen needs it, from the server's `ward.board` row. Values that were never
 * recorded stay null ("not recorded" on screen), never 0.
 */
import {
  HO_STATES,
  isBackgroundRule,
  JOINT_SITES,
  SIDES,
  type HoState,
  type JointSite,
  type Side,
  type Tier,
} from '@ossiwatch/domain';
import type { RouterOutputs } from '../../lib/api-types.ts';

export type RawBoardPatient = RouterOutputs['ward']['board']['patients'][number];

export interface BoardReason {
  readonly rule: string;
  readonly detail: string;
  readonly evidence: { readonly section: string; readonly source: string };
}

export interface BoardRow {
  readonly patientId: number;
  readonly bed: string | null;
  readonly name: string;
  readonly initials: string;
  readonly age: number | null;
  readonly injury: string | null;
  readonly daysSinceInjury: number | null;
  readonly tier: Tier;
  /**
   * False while the HO watch has nothing to assess: a patient admitted by the hospital's feed
   * without injury details. The tier is then unknown, not low.
   */
  readonly assessed: boolean;
  readonly reasons: readonly BoardReason[];
  readonly sites: readonly { site: JointSite; side: Side; state: HoState }[];
  readonly jhHlm: string | null;
  readonly braden: { total: number; band: string | null } | null;
  readonly complications: readonly string[];
  readonly catheterDays: number | null;
  readonly overdue: boolean;
  readonly inVigilanceWindow: boolean;
  readonly advisories: number;
  /** The strongest finding in one line, and the first advisory (PRODUCT §5). */
  readonly finding: string | null;
  readonly advisory: string | null;
  /** Background risk factors, de-duplicated, folded below the finding. */
  readonly riskFactors: readonly string[];
  readonly pressureRisk: { readonly total: number; readonly band: string | null } | null;
  readonly catheterReview: boolean;
  readonly recheck: boolean;
  readonly changes: readonly {
    readonly at: string;
    readonly kind: string;
    readonly detail: string;
  }[];
  readonly acknowledgement: {
    readonly by: string;
    readonly at: string;
    readonly note: string;
  } | null;
  readonly acknowledgementVersion: number;
}

/** The background factors among the reasons, each once, in their order. */
export function riskFactorsOf(reasons: readonly BoardReason[]): string[] {
  return [...new Set(reasons.filter((r) => isBackgroundRule(r.rule)).map((r) => r.detail))];
}

export function evidenceText(evidence: BoardReason['evidence']): string {
  return `${evidence.section}; ${evidence.source}`;
}

const INJURY_WORDS: Record<string, string> = {
  tbi: 'TBI',
  sci: 'SCI',
  stroke: 'Stroke',
  anoxic: 'Anoxic',
  other: 'Other',
};

const COMPLICATION_WORDS: Record<string, string> = {
  pressure_injury: 'Pressure injury',
  pneumonia: 'Pneumonia',
  uti: 'UTI',
  dvt: 'DVT',
};

function isSite(value: string): value is JointSite {
  return (JOINT_SITES as readonly string[]).includes(value);
}
function isSide(value: string): value is Side {
  return (SIDES as readonly string[]).includes(value);
}
function isState(value: string): value is HoState {
  return (HO_STATES as readonly string[]).includes(value);
}

export function toBoardRow(raw: RawBoardPatient): BoardRow {
  return {
    patientId: raw.patientId,
    bed: raw.bed,
    name: raw.name,
    initials: raw.initials,
    age: raw.age,
    injury: raw.injuryType ? (INJURY_WORDS[raw.injuryType] ?? raw.injuryType) : null,
    daysSinceInjury: raw.daysSinceInjury,
    tier: raw.tier,
    assessed: raw.assessedAt !== null,
    reasons: raw.reasons,
    sites: raw.sites.flatMap((s) =>
      isSite(s.site) && isSide(s.side) && isState(s.state)
        ? [{ site: s.site, side: s.side, state: s.state }]
        : [],
    ),
    jhHlm: raw.latestJhHlm?.code ?? null,
    braden: raw.latestBraden
      ? { total: raw.latestBraden.total, band: raw.latestBraden.band }
      : null,
    complications: raw.activeComplications.map((c) => {
      const word = COMPLICATION_WORDS[c.kind] ?? c.kind;
      return c.stage ? `${word} (stage ${c.stage})` : word;
    }),
    catheterDays: raw.catheterDays,
    overdue: raw.overdue,
    inVigilanceWindow: raw.inVigilanceWindow,
    advisories: raw.advisories,
    finding: raw.finding,
    advisory: raw.advisory,
    riskFactors: riskFactorsOf(raw.reasons),
    pressureRisk: raw.pressureRisk,
    catheterReview: raw.catheterReview,
    recheck: raw.recheck,
    changes: raw.changes,
    acknowledgement: raw.acknowledgement,
    acknowledgementVersion: raw.acknowledgementVersion,
  };
}
