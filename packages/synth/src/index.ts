/**
 * @ossiwatch/synth: a deterministic synthetic neurorehabilitation hospital (PRODUCT §10).
 *
 * Size knob: `scale`. 1 is the demo (3 wards of 22–30 beds; with the default 12 months of history,
 * ~400 patients and ~150,000 ROM readings). Wards grow as round(scale × 40 / 13), so
 * `{ scale: 13, historyMonths: 36 }` is the benchmark hospital of PRODUCT §9: 40 wards, ~1,000 current
 * patients, ~20,000 stays and over 5 million ROM readings. Patients stream one at a time, so memory
 * stays flat at any scale.
 */
import { DAY_MS } from './clock.ts';
import { IdCounters, generatePatient, indexStaff, type SyntheticPatient } from './patient.ts';
import { buildCensus, type HospitalOptions } from './plan.ts';

export { planHospital, HO_INCIDENCE, STAFF_ROLES } from './plan.ts';
export type {
  HospitalOptions,
  HospitalPlan,
  StaffMember,
  StaffRole,
  WardKind,
  WardPlan,
} from './plan.ts';
export { firstFallingMs, raterBias } from './patient.ts';
export type { HoTruth, SyntheticPatient, SyntheticRomSession } from './patient.ts';

/** Streams the hospital's patients, oldest admission first. Same options, same patients. */
export function* generatePatients(options: HospitalOptions): Generator<SyntheticPatient> {
  const census = buildCensus(options);
  const staff = indexStaff(census.plan.staff);
  const ids = new IdCounters();
  for (const skeleton of census.patients) yield generatePatient(census, skeleton, staff, ids);
}

export interface CountEstimate {
  readonly wards: number;
  readonly beds: number;
  readonly staff: number;
  /** Exact: the census is planned, not estimated. */
  readonly patients: number;
  readonly stays: number;
  readonly currentPatients: number;
  readonly patientDays: number;
  /** Expected, from the therapy schedule (see READINGS_PER_PATIENT_DAY). */
  readonly romReadings: number;
  readonly romSessions: number;
}

/**
 * Therapy sessions per patient-day: weekdays with a 72% chance (85% once HO starts), rare Saturdays,
 * plus the first-day session, ≈ 5/7 × 0.74 + 0.01. Readings per session: ~10–20 depending on which
 * limbs are watched, ≈ 14.3 on average. Calibrated against generated hospitals (see index.test.ts).
 */
const SESSIONS_PER_PATIENT_DAY = 0.54;
const READINGS_PER_SESSION = 14.3;

/** Sizes of the hospital the options describe, for progress bars, without generating readings. */
export function countEstimate(options: HospitalOptions): CountEstimate {
  const census = buildCensus(options);
  let patientDays = 0;
  let currentPatients = 0;
  for (const patient of census.patients) {
    for (const stay of patient.stays) {
      patientDays += ((stay.dischargeMs ?? census.opts.nowMs) - stay.admitMs) / DAY_MS;
      if (stay.dischargeMs === null) currentPatients += 1;
    }
  }
  const romSessions = Math.round(patientDays * SESSIONS_PER_PATIENT_DAY);
  return {
    wards: census.plan.wards.length,
    beds: census.plan.wards.reduce((sum, w) => sum + w.beds.length, 0),
    staff: census.plan.staff.length,
    patients: census.patients.length,
    stays: census.stayCount,
    currentPatients,
    patientDays: Math.round(patientDays),
    romReadings: Math.round(romSessions * READINGS_PER_SESSION),
    romSessions,
  };
}
