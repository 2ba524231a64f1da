/**
 * What the patient page shows, from `patient.get` (the patient, the stay and the assessment) and
 * `patient.timeline` (the dated record). Missing values stay null and read "not recorded", never 0.
 */
import {
  HO_STATES,
  JOINT_SITES,
  SIDES,
  type HoState,
  type JointSite,
  type Side,
} from '@ossiwatch/domain';
import type { RouterOutputs } from '../../lib/api-types.ts';
import type { RiskView } from './components/risk-panel.tsx';

export type RawPatient = RouterOutputs['patient']['get'];

export interface PatientView {
  readonly name: string;
  readonly mrn: string;
  readonly age: number | null;
  readonly sex: string;
  readonly wardName: string | null;
  readonly bed: string | null;
  readonly admittedAt: string | null;
  readonly injuryType: string | null;
  readonly daysSinceInjury: number | null;
  readonly risk: RiskView;
  readonly sites: readonly { site: JointSite; side: Side; state: HoState }[];
  readonly romSignals: NonNullable<RawPatient['assessment']>['romSignals'];
}

function isMember<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

export function toPatientView(raw: RawPatient): PatientView {
  const assessment = raw.assessment;
  return {
    name: raw.patient.name,
    mrn: raw.patient.mrn,
    age: raw.patient.age,
    sex: raw.patient.sex,
    wardName: raw.stay?.wardName ?? null,
    bed: raw.stay?.bed ?? null,
    admittedAt: raw.stay?.admittedAt ?? null,
    injuryType: raw.injury?.type ?? null,
    daysSinceInjury: assessment?.daysSinceInjury ?? null,
    risk: {
      tier: assessment?.tier ?? 'low',
      reasons: assessment?.reasons ?? [],
      functionalImpacts: assessment?.functionalImpacts ?? [],
      advisories: assessment?.advisories ?? [],
      flags: assessment?.flags ?? [],
      assessedAt: assessment?.assessedAt ?? null,
    },
    sites: (assessment?.sites ?? []).flatMap((s) =>
      isMember(JOINT_SITES, s.site) && isMember(SIDES, s.side) && isMember(HO_STATES, s.state)
        ? [{ site: s.site, side: s.side, state: s.state }]
        : [],
    ),
    romSignals: assessment?.romSignals ?? [],
  };
}
