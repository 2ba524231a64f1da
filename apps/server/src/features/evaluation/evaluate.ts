/**
 * The alarm burden of the HO watch, measured (PRODUCT §3 "Alarm burden", §10): a labelled synthetic
 * cohort is replayed day by day through `assessPatient`, each day seeing only what was recorded by its
 * end, and the answers are scored against the generator's ground truth. Pure: patients in, numbers out.
 */
import {
  assessPatient,
  dateOfEpochDay,
  instantOfWallClock,
  medianIqr,
  zoneCalendar,
  DEFAULT_HO_WATCH_SETTINGS,
  TIERS,
  type HoWatchSettings,
  type MedianIqr,
  type Tier,
} from '@ossiwatch/domain';
import type { SyntheticPatient } from '@ossiwatch/synth';

/** The targets of PRODUCT §3 "Alarm burden". */
export const EVALUATION_TARGETS = {
  /** Alert on at most this share of patient-days. */
  maxAlertShare: 0.1,
  /** At least this share of suspected sites truly HO (4 × the 6.8% of bedside screening, CR §2.1). */
  minPpv: 0.3,
  /** At least this share of HO sites suspected after the arc starts to fall and before imaging. */
  minSensitivity: 0.9,
  /** Median days from suspicion to the first positive image. */
  minMedianLeadDays: 10,
} as const;

const ALERT_RULES = new Set(['rom_decline_confirmed', 'rom_decline_with_sign', 'ho_progressing']);

export interface Evaluation {
  readonly patients: number;
  readonly patientsWithHo: number;
  readonly patientDays: number;
  readonly tierDays: Readonly<Record<Tier, number>>;
  readonly alertShare: number;
  readonly patientsEverAlert: { readonly withHo: number; readonly withoutHo: number };
  /** Sites ever suspected, and how many of them truly developed HO (suspected on or after onset). */
  readonly suspectedSites: number;
  readonly truePositiveSites: number;
  /** truePositiveSites / suspectedSites; null when nothing was suspected. */
  readonly ppv: number | null;
  /** HO sites whose imaging turned positive while the patient was on the ward. */
  readonly hoSites: number;
  /** Of those, suspected after the arc started to fall and before the positive image. */
  readonly detectedSites: number;
  readonly sensitivity: number | null;
  /** Days from the first suspicion (after onset) to the positive image, detected sites. */
  readonly leadDays: MedianIqr;
  /** Rule ids behind alert patient-days not explained by a true HO site, most frequent first. */
  readonly falseAlertReasons: readonly { readonly rule: string; readonly days: number }[];
  /** Share of patient-days whose assessment carries the recheck flag. */
  readonly recheckShare: number;
  readonly meets: {
    readonly alertShare: boolean;
    readonly ppv: boolean;
    readonly sensitivity: boolean;
    readonly lead: boolean;
    readonly all: boolean;
  };
}

interface SiteTrack {
  firstSuspectedDay: number | null;
  suspectedAfterOnset: boolean;
}

/**
 * Replays each patient's stays one local day at a time: the assessment at the end of each day on the
 * ward (or at discharge, or at `now`), and scores it against `truth`.
 */
export function evaluateCohort(
  cohort: Iterable<SyntheticPatient>,
  options: {
    readonly now: string;
    readonly timeZone: string;
    readonly settings?: HoWatchSettings;
  },
): Evaluation {
  const settings = options.settings ?? DEFAULT_HO_WATCH_SETTINGS;
  const nowMs = Date.parse(options.now);
  const calendar = zoneCalendar(options.timeZone);
  const endOfDay = (day: number): number =>
    instantOfWallClock(`${dateOfEpochDay(day)}T23:59:59`, options.timeZone) ??
    (day + 1) * 86_400_000 - 1;

  const tierDays: Record<Tier, number> = { alert: 0, high: 0, elevated: 0, low: 0 };
  let patients = 0;
  let patientsWithHo = 0;
  let patientDays = 0;
  let recheckDays = 0;
  const everAlert = { withHo: 0, withoutHo: 0 };
  let suspectedSites = 0;
  let truePositiveSites = 0;
  let hoSites = 0;
  let detectedSites = 0;
  const leads: number[] = [];
  const falseReasons = new Map<string, number>();

  for (const synthetic of cohort) {
    const { record, truth } = synthetic;
    patients += 1;
    const hasHo = truth.hoJoints.length > 0;
    if (hasHo) patientsWithHo += 1;
    const onsetDayOf = new Map(
      truth.hoJoints.map((j) => [
        `${j.site}:${j.side}`,
        calendar.localDay(Date.parse(j.declineStartsAt)),
      ]),
    );
    const sites = new Map<string, SiteTrack>();
    let wasAlert = false;

    for (const stay of record.stays) {
      const fromMs = Date.parse(stay.admittedAt);
      const toMs = Math.min(
        stay.dischargedAt === null ? nowMs : Date.parse(stay.dischargedAt),
        nowMs,
      );
      if (!(toMs > fromMs)) continue;
      for (let day = calendar.localDay(fromMs); day <= calendar.localDay(toMs); day++) {
        const at = Math.min(endOfDay(day), toMs);
        const assessment = assessPatient(record, new Date(at).toISOString(), settings);
        patientDays += 1;
        tierDays[assessment.tier] += 1;
        if (assessment.flags.includes('recheck')) recheckDays += 1;
        if (assessment.tier === 'alert') {
          wasAlert = true;
          const explained = assessment.reasons.some(
            (r) =>
              ALERT_RULES.has(r.rule) &&
              r.site !== undefined &&
              r.side !== undefined &&
              (onsetDayOf.get(`${r.site}:${r.side}`) ?? Infinity) <= day,
          );
          if (!explained) {
            const rules = new Set(
              assessment.reasons.filter((r) => ALERT_RULES.has(r.rule)).map((r) => r.rule),
            );
            for (const rule of rules) falseReasons.set(rule, (falseReasons.get(rule) ?? 0) + 1);
          }
        }
        for (const site of assessment.sites) {
          if (site.state !== 'suspected') continue;
          const key = `${site.site}:${site.side}`;
          const track = sites.get(key) ?? { firstSuspectedDay: null, suspectedAfterOnset: false };
          const onset = onsetDayOf.get(key);
          if (onset !== undefined && day >= onset) {
            track.suspectedAfterOnset = true;
            track.firstSuspectedDay ??= day;
          }
          sites.set(key, track);
        }
      }
    }
    if (wasAlert) everAlert[hasHo ? 'withHo' : 'withoutHo'] += 1;
    for (const track of sites.values()) {
      suspectedSites += 1;
      if (track.suspectedAfterOnset) truePositiveSites += 1;
    }
    for (const joint of truth.hoJoints) {
      if (joint.firstPositiveImagingAt === null) continue;
      hoSites += 1;
      const imagingDay = calendar.localDay(Date.parse(joint.firstPositiveImagingAt));
      const first = sites.get(`${joint.site}:${joint.side}`)?.firstSuspectedDay ?? null;
      if (first !== null && first < imagingDay) {
        detectedSites += 1;
        leads.push(imagingDay - first);
      }
    }
  }

  const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
  const alertShare = patientDays > 0 ? tierDays.alert / patientDays : 0;
  const ppv = ratio(truePositiveSites, suspectedSites);
  const sensitivity = ratio(detectedSites, hoSites);
  const leadDays = medianIqr(leads);
  const meets = {
    alertShare: alertShare <= EVALUATION_TARGETS.maxAlertShare,
    ppv: ppv !== null && ppv >= EVALUATION_TARGETS.minPpv,
    sensitivity: sensitivity !== null && sensitivity >= EVALUATION_TARGETS.minSensitivity,
    lead: leadDays.median !== null && leadDays.median >= EVALUATION_TARGETS.minMedianLeadDays,
  };
  return {
    patients,
    patientsWithHo,
    patientDays,
    tierDays,
    alertShare,
    patientsEverAlert: everAlert,
    suspectedSites,
    truePositiveSites,
    ppv,
    hoSites,
    detectedSites,
    sensitivity,
    leadDays,
    falseAlertReasons: [...falseReasons.entries()]
      .map(([rule, days]) => ({ rule, days }))
      .sort((a, b) => b.days - a.days || a.rule.localeCompare(b.rule)),
    recheckShare: patientDays > 0 ? recheckDays / patientDays : 0,
    meets: { ...meets, all: Object.values(meets).every(Boolean) },
  };
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const mark = (ok: boolean): string => (ok ? 'meets' : 'MISSES');

/** The evaluation as a short report a clinician can read. */
export function formatEvaluation(e: Evaluation, label: string): string {
  const t = EVALUATION_TARGETS;
  const lead = e.leadDays;
  const tierLine = TIERS.map(
    (tier) => `${tier} ${pct(e.patientDays > 0 ? e.tierDays[tier] / e.patientDays : null)}`,
  ).join(', ');
  return [
    `${label}: ${e.patients} patients (${e.patientsWithHo} develop HO), ${e.patientDays} patient-days`,
    `  patient-days by tier: ${tierLine}; recheck flag on ${pct(e.recheckShare)}`,
    `  patients ever alert: ${e.patientsEverAlert.withHo} with HO, ${e.patientsEverAlert.withoutHo} without`,
    `  alert share of patient-days ${pct(e.alertShare)} (target ≤ ${pct(t.maxAlertShare)}): ${mark(e.meets.alertShare)}`,
    `  PPV of suspected sites ${pct(e.ppv)} = ${e.truePositiveSites}/${e.suspectedSites} (target ≥ ${pct(t.minPpv)}): ${mark(e.meets.ppv)}`,
    `  sensitivity ${pct(e.sensitivity)} = ${e.detectedSites}/${e.hoSites} HO sites suspected after onset, before imaging (target ≥ ${pct(t.minSensitivity)}): ${mark(e.meets.sensitivity)}`,
    `  lead time median ${lead.median ?? 'n/a'} days (IQR ${lead.q1 ?? 'n/a'}–${lead.q3 ?? 'n/a'}, n ${lead.n}) (target ≥ ${t.minMedianLeadDays}): ${mark(e.meets.lead)}`,
    `  false-alert patient-days by rule: ${
      e.falseAlertReasons.length === 0
        ? 'none'
        : e.falseAlertReasons.map((r) => `${r.rule} ${r.days}`).join(', ')
    }`,
    `  ${e.meets.all ? 'MEETS all four targets' : 'does NOT meet all four targets'}`,
  ].join('\n');
}
