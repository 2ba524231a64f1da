/**
 * The stable rule ids of the HO watch and their evidence. Every id here is documented in
 * docs/clinical-rules.md (a test checks it); a reason, impact or advisory always carries one of them.
 */
import type { Evidence } from './assessment-types.ts';

const LOCAL = 'local default (no published trigger; configurable)';

export const RULES = {
  vigilance_window: {
    section: 'CR §2.3, §1.1',
    source: 'Orzel & Rudd 1985: HO begins ~day 17; risk greatest in months 1–4 (Medscape)',
  },
  severe_injury_in_window: {
    section: 'CR §1.1, §1.2',
    source:
      'Hendricks 2007, van Kampen 2011: cohorts of severe TBI (GCS ≤ 8); severity set locally',
  },
  coma_days: {
    section: 'CR §1.2',
    source: 'Hendricks 2007: coma 28.1 vs 7.5 days; coma > 2 weeks (AAPM&R)',
  },
  ventilation_days: {
    section: 'CR §1.2',
    source: 'van Kampen 2011; Bargellesi 2018: longer ventilation in HO',
  },
  autonomic_dysregulation: {
    section: 'CR §1.2',
    source: 'Hendricks 2007: RR 59.6; van Kampen 2011: RR 6.11',
  },
  diffuse_axonal_injury: {
    section: 'CR §1.2',
    source: 'Hendricks 2007: RR 20.7 (4.9–86.9)',
  },
  spasticity_mas: {
    section: 'CR §1.2, §4.4',
    source: 'Hendricks 2007: spasticity RR 17.0 (4.0–72.6)',
  },
  surgical_fracture: {
    section: 'CR §1.2',
    source: 'van Kampen 2011: surgically treated extremity fracture RR 5.02',
  },
  systemic_infection: {
    section: 'CR §1.2',
    source: 'Hendricks 2007: systemic infection RR 13.1 (3.0–57.2)',
  },
  low_mobility: {
    section: 'CR §1.2, §4.3, §4.6',
    source: 'Dizdar 2013: FAC 0–2 the only independent predictor (p=0.006)',
  },
  pressure_injury: {
    section: 'CR §1.2, §5.2',
    source: 'Dizdar 2013: pressure ulcer grade 2–4 (p=0.001); Lal 1989 (SCI)',
  },
  complete_sci: {
    section: 'CR §1.2',
    source: 'Lal 1989: complete lesion; Citak 2012 / Yolcu 2020 (SCIRE)',
  },
  rom_recheck: {
    section: 'CR §2.1, §2.6',
    source: `${LOCAL}; loss of ROM is usually the first sign (Medscape), but one reading may be pain-limited or mis-measured: measure again soon`,
  },
  rom_decline_confirmed: {
    section: 'CR §2.1, §2.6',
    source: `${LOCAL}; a second sitting guards against one mismeasurement; no fall under the ~10° inter-rater error counts (Hancock 2018)`,
  },
  rom_decline_with_sign: {
    section: 'CR §2.1',
    source: 'Hendricks 2007: painful swelling with redness and decreased ROM',
  },
  rom_asymmetry: {
    section: 'CR §2.1, §3.1, §2.6',
    source: `${LOCAL}; the contralateral side, measured the same day, is the preferred comparator (CR §3.1)`,
  },
  nurse_sign: {
    section: 'CR §2.1',
    source: 'Swelling, warmth and erythema accompany early HO (Medscape)',
  },
  spasticity_at_site: {
    section: 'CR §1.2, §4.4',
    source: 'Hendricks 2007: spasticity RR 17.0',
  },
  imaging_equivocal: {
    section: 'CR §2.3',
    source: 'Equivocal imaging: the X-ray lags the bone scan by 2–6 weeks',
  },
  ho_confirmed: {
    section: 'CR §2.3, §2.4',
    source: 'Positive imaging (bone scan, ultrasound, X-ray, CT or MRI)',
  },
  ho_progressing: {
    section: 'CR §2.1, §3.2',
    source: `${LOCAL}; confirmed HO with a falling arc threatens function`,
  },
  ho_ankylosed: {
    section: 'CR §2.4',
    source: 'Brooker IV or Hastings & Graham III (bony ankylosis); arc threshold local',
  },
  ho_excised: {
    section: 'CR §6.4',
    source: 'Surgical excision recorded',
  },
  recurrence_watch: {
    section: 'CR §6.4',
    source: 'BANKHO recurrence 5.8%; TBI systematic review 19.8% (Chalidis 2007)',
  },
  monitoring_overdue: {
    section: 'PRODUCT §3',
    source: `${LOCAL}; ROM is the leading signal, so a gap hides it`,
  },
  impact_hip_sitting: {
    section: 'CR §3.2',
    source: 'About 90° of hip flexion needed to sit upright (seating guides) [U cutoff]',
  },
  impact_elbow_arc: {
    section: 'CR §3.2',
    source: 'Morrey 1981: most daily tasks need an elbow arc of 30–130°',
  },
  impact_forearm_rotation: {
    section: 'CR §3.2',
    source: 'Morrey 1981: 50° pronation and 50° supination',
  },
  impact_knee_flexion: {
    section: 'CR §3.2',
    source: 'Walker (ASME SBC 2007): rising from a chair or bath needs 100°+ knee flexion',
  },
  impact_ankle_neutral: {
    section: 'CR §3.2',
    source: 'Standing and walking need a plantigrade foot (ankle at neutral)',
  },
  advise_early_imaging: {
    section: 'CR §2.3',
    source: 'Orzel 1985; Rosteius 2017: ultrasound ~3 weeks before CT; X-ray lags 2–6 weeks',
  },
  advise_dvt_differential: {
    section: 'CR §2.1',
    source: 'Shehab 2002: HO mimics DVT; Cassar-Pullicino 1993: Doppler ultrasound',
  },
  caution_nsaid_nonunion: {
    section: 'CR §6.1',
    source: 'Sagi 2014: nonunion 62% vs 19% with indomethacin after fracture fixation',
  },
  caution_nsaid_bleeding: {
    section: 'CR §6.1',
    source: 'Fransen 2006 (HIPAID): major bleeding RR 2.09 (1.00–4.39)',
  },
  advise_recurrence_watch: {
    section: 'CR §6.4',
    source: 'Recurrence after excision 5.8–19.8% (Genet 2011; Chalidis 2007)',
  },
} as const satisfies Record<string, Evidence>;

export type RuleId = keyof typeof RULES;

export const RULE_IDS = Object.keys(RULES) as RuleId[];

export function evidenceOf(rule: RuleId): Evidence {
  return RULES[rule];
}

/**
 * Background risk factors (CR §1.2) and the vigilance window (CR §2.3): true of a patient for weeks,
 * so the ward board folds them below the finding instead of leading with it (PRODUCT §5).
 */
export const BACKGROUND_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'vigilance_window',
  'severe_injury_in_window',
  'coma_days',
  'ventilation_days',
  'autonomic_dysregulation',
  'diffuse_axonal_injury',
  'spasticity_mas',
  'surgical_fracture',
  'systemic_infection',
  'low_mobility',
  'pressure_injury',
  'complete_sci',
]);

/** Whether a reason's rule is a background factor (a rule id from a stored row may be any text). */
export function isBackgroundRule(rule: string): boolean {
  return (BACKGROUND_RULES as ReadonlySet<string>).has(rule);
}
