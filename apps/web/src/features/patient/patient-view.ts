/**
 * What the patient page shows, taken from `patient.get`. The contract fixes the patient, the current
 * stay and the assessment; the record's lists are read when the server sends them and shown as "not
 * recorded" otherwise, never as zero.
 */
import type {
  Assessment,
  BradenAssessment,
  Complication,
  ImagingStudy,
  Injury,
  Intervention,
  MobilityAssessment,
  Patient,
  RomSignal,
  SiteAssessment,
  Tier,
} from '@ossiwatch/domain';
import type { RiskView } from './components/risk-panel.tsx';

export interface RawPatientResult {
  readonly patient: Patient;
  readonly stay?: {
    wardId: number;
    bedLabel?: string | null;
    bed?: string | null;
    admittedAt: string;
  } | null;
  readonly ward?: { id: number; name: string } | null;
  readonly injury?: Injury | null;
  readonly assessment?: (Partial<Assessment> & { tier: Tier }) | null;
  readonly tier?: Tier;
  readonly reasons?: Assessment['reasons'];
  readonly sites?: readonly SiteAssessment[];
  readonly mobility?: readonly MobilityAssessment[];
  readonly braden?: readonly BradenAssessment[];
  readonly complications?: readonly Complication[];
  readonly imaging?: readonly ImagingStudy[];
  readonly interventions?: readonly Intervention[];
}

export interface PatientView {
  readonly patient: Patient;
  readonly bed: string | null;
  readonly wardName: string | null;
  readonly admittedAt: string | null;
  readonly injury: Injury | null;
  readonly daysSinceInjury: number | null;
  readonly risk: RiskView;
  readonly sites: readonly SiteAssessment[];
  readonly romSignals: readonly RomSignal[];
  readonly mobility: readonly MobilityAssessment[];
  readonly braden: readonly BradenAssessment[];
  readonly complications: readonly Complication[];
  readonly imaging: readonly ImagingStudy[];
  readonly interventions: readonly Intervention[];
}

export function toPatientView(raw: RawPatientResult): PatientView {
  const assessment = raw.assessment ?? null;
  return {
    patient: raw.patient,
    bed: raw.stay?.bedLabel ?? raw.stay?.bed ?? null,
    wardName: raw.ward?.name ?? null,
    admittedAt: raw.stay?.admittedAt ?? null,
    injury: raw.injury ?? null,
    daysSinceInjury: assessment?.daysSinceInjury ?? null,
    risk: {
      tier: assessment?.tier ?? raw.tier ?? 'low',
      reasons: assessment?.reasons ?? raw.reasons ?? [],
      functionalImpacts: assessment?.functionalImpacts ?? [],
      advisories: assessment?.advisories ?? [],
      flags: assessment?.flags ?? [],
      assessedAt: assessment?.assessedAt ?? null,
    },
    sites: assessment?.sites ?? raw.sites ?? [],
    romSignals: assessment?.romSignals ?? [],
    mobility: raw.mobility ?? [],
    braden: raw.braden ?? [],
    complications: raw.complications ?? [],
    imaging: raw.imaging ?? [],
    interventions: raw.interventions ?? [],
  };
}
