/**
 * One board row as the screen needs it. The server's `ward.board` row carries more; this is the part
 * the table shows, with "not recorded" kept as null (never 0).
 */
import type { HoState, JointSite, Side, Tier } from '@ossiwatch/domain';

export interface BoardReason {
  readonly rule: string;
  readonly detail: string;
  readonly evidence: { readonly section: string; readonly source: string } | string;
}

export interface BoardRow {
  readonly patientId: number;
  readonly bed: string | null;
  readonly name: string;
  readonly age: number | null;
  readonly injury: string | null;
  readonly daysSinceInjury: number | null;
  readonly tier: Tier;
  readonly reasons: readonly BoardReason[];
  readonly sites: readonly { site: JointSite; side: Side; state: HoState }[];
  readonly jhHlm: string | null;
  readonly braden: number | null;
  readonly complications: readonly string[];
  readonly catheterDays: number | null;
  readonly overdue: boolean;
  readonly flags: readonly string[];
}

export function evidenceText(evidence: BoardReason['evidence']): string {
  return typeof evidence === 'string' ? evidence : `${evidence.section}; ${evidence.source}`;
}

/** The fields of a `ward.board` patient this screen reads; the contract guarantees the first five. */
export interface RawBoardPatient {
  readonly patientId: number;
  readonly bed: string | null;
  readonly name: string;
  readonly tier: Tier;
  readonly reasons: readonly BoardReason[];
  readonly age?: number | null;
  readonly injuryType?: string | null;
  readonly daysSinceInjury?: number | null;
  readonly sites?: readonly { site: JointSite; side: Side; state: HoState }[];
  readonly jhHlm?: string | null;
  readonly braden?: number | null;
  readonly activeComplications?: readonly string[];
  readonly catheterDays?: number | null;
  readonly flags?: readonly string[];
}

const INJURY_WORDS: Record<string, string> = {
  tbi: 'TBI',
  sci: 'SCI',
  stroke: 'Stroke',
  anoxic: 'Anoxic',
  other: 'Other',
};

export function toBoardRow(raw: RawBoardPatient): BoardRow {
  const flags = raw.flags ?? [];
  return {
    patientId: raw.patientId,
    bed: raw.bed,
    name: raw.name,
    age: raw.age ?? null,
    injury: raw.injuryType ? (INJURY_WORDS[raw.injuryType] ?? raw.injuryType) : null,
    daysSinceInjury: raw.daysSinceInjury ?? null,
    tier: raw.tier,
    reasons: raw.reasons,
    sites: raw.sites ?? [],
    jhHlm: raw.jhHlm ?? null,
    braden: raw.braden ?? null,
    complications: raw.activeComplications ?? [],
    catheterDays: raw.catheterDays ?? null,
    overdue: flags.includes('overdue'),
    flags,
  };
}
