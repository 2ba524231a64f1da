/**
 * Small builders for worked clinical cases. Times are given as days after injury (injury on
 * 2026-01-01T00:00Z at 00:00) so a test reads like a ward chart: "day 20: left hip flexion 110°".
 */
import type { JointSite, Movement, RomMode, Side } from '../src/joints.ts';
import type {
  Complication,
  Injury,
  Intervention,
  JointObservation,
  PatientRecord,
  RomReading,
} from '../src/model.ts';

export const INJURY_AT = '2026-01-01T00:00:00.000Z';
const DAY_MS = 86_400_000;

/** The instant `day` days (may be fractional) after the injury. */
export function day(d: number): string {
  return new Date(Date.parse(INJURY_AT) + d * DAY_MS).toISOString();
}

export function injury(overrides: Partial<Injury> = {}): Injury {
  return {
    type: 'tbi',
    occurredAt: INJURY_AT,
    lowestGcs: null,
    comaDays: null,
    ventilationDays: null,
    diffuseAxonalInjury: null,
    autonomicDysregulation: null,
    aisGrade: null,
    surgicalFractures: [],
    ...overrides,
  };
}

export function record(overrides: Partial<PatientRecord> = {}): PatientRecord {
  return {
    patient: {
      id: 1,
      mrn: 'MRN001',
      name: 'Test Patient',
      dateOfBirth: '1980-05-05',
      sex: 'female',
    },
    injury: injury(),
    stays: [
      {
        id: 1,
        patientId: 1,
        wardId: 1,
        bedLabel: '1A',
        admittedAt: day(5),
        dischargedAt: null,
      },
    ],
    romReadings: [],
    spasticity: [],
    mobility: [],
    braden: [],
    jointObservations: [],
    vitalsAndLabs: [],
    imaging: [],
    complications: [],
    catheterEpisodes: [],
    interventions: [],
    bleedingRisk: null,
    ...overrides,
  };
}

let nextId = 1000;

export function rom(
  d: number,
  degrees: number,
  opts: { site?: JointSite; side?: Side; movement?: Movement; mode?: RomMode; id?: number } = {},
): RomReading {
  const id = opts.id ?? nextId++;
  return {
    id,
    sessionId: id,
    site: opts.site ?? 'hip',
    side: opts.side ?? 'left',
    movement: opts.movement ?? 'flexion',
    mode: opts.mode ?? 'passive',
    degrees,
    takenAt: day(d),
  };
}

export function sign(
  d: number,
  signs: Partial<Pick<JointObservation, 'swelling' | 'warmth' | 'erythema'>>,
  where: { site?: JointSite; side?: Side } = {},
): JointObservation {
  return {
    id: nextId++,
    site: where.site ?? 'hip',
    side: where.side ?? 'left',
    swelling: signs.swelling ?? false,
    warmth: signs.warmth ?? false,
    erythema: signs.erythema ?? false,
    pain: null,
    takenAt: day(d),
  };
}

export function excision(d: number, site: JointSite = 'hip', side: Side = 'left'): Intervention {
  return { id: nextId++, kind: 'excision', site, side, performedAt: day(d) };
}

export function infection(
  kind: 'pneumonia' | 'uti',
  onset: number,
  resolved: number | null = null,
): Complication {
  return {
    id: nextId++,
    kind,
    onsetAt: day(onset),
    resolvedAt: resolved === null ? null : day(resolved),
    wardId: 1,
    presentOnAdmission: false,
  };
}
