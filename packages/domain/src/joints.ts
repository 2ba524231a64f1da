/**
 * The joint catalog: the five joint sites OssiWatch watches, the movements measured at each, the normal
 * reference value of each movement with its source, and the plausible bounds that separate a finding
 * from a typing error.
 *
 * Sign convention (used everywhere in OssiWatch): degrees follow the neutral-zero method. A movement's
 * value is the end position reached from anatomical zero in that movement's direction. A joint that
 * cannot reach neutral records a negative value: elbow extension −40° means the elbow stops 40° short
 * of straight; ankle dorsiflexion −10° means the foot cannot be brought up to neutral. So for every
 * movement, a larger number is more motion, and "below" always means "less motion".
 */

export const JOINT_SITES = ['shoulder', 'elbow', 'hip', 'knee', 'ankle'] as const;
/** A joint that HO may grow around (CR §1.1 Sites). */
export type JointSite = (typeof JOINT_SITES)[number];

export const SIDES = ['left', 'right'] as const;
export type Side = (typeof SIDES)[number];

export const MOVEMENTS = [
  'flexion',
  'extension',
  'abduction',
  'adduction',
  'internal_rotation',
  'external_rotation',
  'pronation',
  'supination',
  'dorsiflexion',
  'plantarflexion',
] as const;
export type Movement = (typeof MOVEMENTS)[number];

export const ROM_MODES = ['active', 'passive'] as const;
/** Active: the patient moves the joint; passive: the examiner does. */
export type RomMode = (typeof ROM_MODES)[number];

/** Where a normal reference value comes from (CR §3.1). */
export interface ReferenceSource {
  readonly id: 'aaos' | 'va';
  readonly citation: string;
}

export const REFERENCE_SOURCES = {
  aaos: {
    id: 'aaos',
    citation: 'AAOS values, Norkin & White, Measurement of Joint Motion, Table A.1 (CR §3.1)',
  },
  va: {
    id: 'va',
    citation: 'VA rating schedule 38 CFR 4.71, Plates I/II (CR §3.1)',
  },
} as const satisfies Record<string, ReferenceSource>;

export interface MovementSpec {
  readonly site: JointSite;
  readonly movement: Movement;
  /** What a nurse or therapist calls it. */
  readonly label: string;
  /** Normal end of range in degrees, neutral-zero convention. */
  readonly normalDegrees: number;
  readonly normalSource: ReferenceSource;
  /** Values outside [min, max] are typing errors, not findings. */
  readonly plausibleMin: number;
  readonly plausibleMax: number;
}

function spec(
  site: JointSite,
  movement: Movement,
  label: string,
  normalDegrees: number,
  normalSource: ReferenceSource,
  plausible: readonly [number, number],
): MovementSpec {
  return {
    site,
    movement,
    label,
    normalDegrees,
    normalSource,
    plausibleMin: plausible[0],
    plausibleMax: plausible[1],
  };
}

const { aaos, va } = REFERENCE_SOURCES;

/**
 * Every measurable (site, movement), in the order a therapist measures them. Upper-limb normals are
 * AAOS (Norkin & White); AAOS hip, knee and ankle values were not retrieved ([U] in CR §3.1), so the
 * lower limb uses the VA plates. Plausible bounds are wide on purpose: they reject 400° or a sign typed
 * the wrong way round, never a real contracture.
 */
export const JOINT_CATALOG: readonly MovementSpec[] = [
  spec('shoulder', 'flexion', 'flexion', 180, aaos, [0, 200]),
  spec('shoulder', 'extension', 'extension', 60, aaos, [-30, 90]),
  spec('shoulder', 'abduction', 'abduction', 180, aaos, [0, 200]),
  spec('shoulder', 'internal_rotation', 'internal rotation', 70, aaos, [-30, 110]),
  spec('shoulder', 'external_rotation', 'external rotation', 90, aaos, [-60, 120]),
  spec('elbow', 'flexion', 'flexion', 150, aaos, [0, 170]),
  spec('elbow', 'extension', 'extension', 0, aaos, [-150, 30]),
  spec('elbow', 'pronation', 'forearm pronation', 80, aaos, [-90, 110]),
  spec('elbow', 'supination', 'forearm supination', 80, aaos, [-90, 110]),
  spec('hip', 'flexion', 'flexion', 125, va, [0, 150]),
  spec('hip', 'extension', 'extension', 30, va, [-120, 50]),
  spec('hip', 'abduction', 'abduction', 45, va, [-30, 80]),
  spec('hip', 'adduction', 'adduction', 25, va, [-45, 50]),
  spec('hip', 'internal_rotation', 'internal rotation', 40, va, [-45, 70]),
  spec('hip', 'external_rotation', 'external rotation', 60, va, [-45, 90]),
  spec('knee', 'flexion', 'flexion', 140, va, [0, 170]),
  spec('knee', 'extension', 'extension', 0, va, [-120, 30]),
  spec('ankle', 'dorsiflexion', 'dorsiflexion', 20, va, [-60, 45]),
  spec('ankle', 'plantarflexion', 'plantarflexion', 45, va, [-30, 90]),
];

const bySiteMovement = new Map<string, MovementSpec>(
  JOINT_CATALOG.map((entry) => [`${entry.site}:${entry.movement}`, entry]),
);

/** The catalog entry for a site and movement, or undefined when that joint has no such movement. */
export function movementSpec(site: JointSite, movement: Movement): MovementSpec | undefined {
  return bySiteMovement.get(`${site}:${movement}`);
}

/** The movements measured at a site, in catalog order. */
export function movementsOf(site: JointSite): readonly Movement[] {
  return JOINT_CATALOG.filter((entry) => entry.site === site).map((entry) => entry.movement);
}

/** Why a typed value cannot be a reading; undefined when it can. */
export type RomValueProblem =
  | { kind: 'unknown_movement'; message: string }
  | { kind: 'not_a_number'; message: string }
  | { kind: 'out_of_bounds'; message: string; min: number; max: number };

/**
 * Checks one typed value against the catalog. Returns the problem in words a therapist can act on,
 * or undefined when the value is plausible.
 */
export function checkRomValue(
  site: JointSite,
  movement: Movement,
  degrees: number,
): RomValueProblem | undefined {
  const entry = movementSpec(site, movement);
  if (!entry) {
    return {
      kind: 'unknown_movement',
      message: `the ${site} has no ${movement.replace('_', ' ')}; it has ${movementsOf(site)
        .map((m) => m.replace('_', ' '))
        .join(', ')}`,
    };
  }
  if (!Number.isFinite(degrees)) {
    return { kind: 'not_a_number', message: 'degrees must be a number' };
  }
  if (degrees < entry.plausibleMin || degrees > entry.plausibleMax) {
    return {
      kind: 'out_of_bounds',
      message: `${site} ${entry.label} of ${degrees}° is outside the plausible range ${entry.plausibleMin}° to ${entry.plausibleMax}°`,
      min: entry.plausibleMin,
      max: entry.plausibleMax,
    };
  }
  return undefined;
}

/** "Left hip flexion (passive)": the label a reading carries on screen and in the entry grid. */
export function readingLabel(
  side: Side,
  site: JointSite,
  movement: Movement,
  mode: RomMode,
): string {
  const entry = movementSpec(site, movement);
  const sideWord = side === 'left' ? 'Left' : 'Right';
  return `${sideWord} ${site} ${entry?.label ?? movement.replace('_', ' ')} (${mode})`;
}
