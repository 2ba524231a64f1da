/**
 * One synthetic patient, in full clinical detail, from its skeleton (plan.ts). Everything is drawn from
 * a stream keyed by the seed and the patient's index, so any patient can be regenerated alone.
 */
import {
  JOINT_CATALOG,
  type AisGrade,
  type BleedingRisk,
  type BradenAssessment,
  type CatheterEpisode,
  type Complication,
  type FacLevel,
  type GgCode,
  type GgItem,
  type ImagingGrade,
  type ImagingModality,
  type ImagingResult,
  type ImagingStudy,
  type Injury,
  type InjuryType,
  type Instant,
  type Intervention,
  type JhHlmLevel,
  type JointObservation,
  type JointSite,
  type Limb,
  type MasCode,
  type MobilityAssessment,
  type Movement,
  type MovementSpec,
  type NsaidDrug,
  type PatientRecord,
  type PressureInjuryStage,
  type RomMode,
  type RomReading,
  type Sex,
  type Side,
  type SpasticityAssessment,
  type Stay,
  type VitalOrLab,
} from '@ossiwatch/domain';
import { DAY_MS, WardClock, clockFor, iso } from './clock.ts';
import { FEMALE_NAMES, MALE_NAMES, SURNAMES } from './names.ts';
import type { Census, PatientSkeleton, StaffMember, StaySkeleton } from './plan.ts';
import { Random, clamp } from './random.ts';

export interface SyntheticRomSession {
  readonly id: number;
  readonly stayId: number;
  readonly takenAt: Instant;
  /** Username of the therapist who measured (a staff member of the plan). */
  readonly by: string;
}

/** What really happened at one HO joint: the answer key for tests and for checking the rules. */
export interface HoTruth {
  readonly site: JointSite;
  readonly side: Side;
  /** When the arc starts to fall: HO's onset at this joint (CR §2.3). */
  readonly declineStartsAt: Instant;
  /** The first positive ultrasound or bone scan, when it happened during the stays and by now. */
  readonly firstPositiveImagingAt: Instant | null;
}

export interface SyntheticPatient {
  /** Ids are sequential within one generatePatients run; the server may keep or re-key them. */
  readonly record: PatientRecord;
  /** Ward key of each stay, in the order of record.stays (the same as stay.wardId). */
  readonly wardKeyByStay: readonly number[];
  /** The bed today, or null when the patient has gone home. */
  readonly currentBedLabel: string | null;
  /** One entry per ROM session (record.romReadings[].sessionId), with who measured. */
  readonly romSessions: readonly SyntheticRomSession[];
  /** Who looked after the patient on each stay (usernames), for authorship of records. */
  readonly careTeamByStay: readonly {
    readonly nurses: readonly string[];
    readonly therapists: readonly string[];
    readonly physicians: readonly string[];
  }[];
  readonly truth: {
    readonly hoJoints: readonly HoTruth[];
    /** The joint whose mature HO was excised before this admission (CR §6.4), if any. */
    readonly excised: { readonly site: JointSite; readonly side: Side } | null;
    /** Joints that stiffen slowly from spasticity, not HO: the look-alike the rules must not alert on. */
    readonly contractures: readonly { readonly site: JointSite; readonly side: Side }[];
  };
}

/** Global sequential ids across one run, so records from different patients never collide. */
export class IdCounters {
  reading = 0;
  session = 0;
  other = 0;
}

export interface StaffIndex {
  readonly nurses: ReadonlyMap<number, readonly string[]>;
  readonly therapists: ReadonlyMap<number, readonly string[]>;
  readonly physicians: ReadonlyMap<number, readonly string[]>;
}

export function indexStaff(staff: readonly StaffMember[]): StaffIndex {
  const nurses = new Map<number, string[]>();
  const therapists = new Map<number, string[]>();
  const physicians = new Map<number, string[]>();
  const add = (map: Map<number, string[]>, key: number, username: string): void => {
    const list = map.get(key) ?? [];
    list.push(username);
    map.set(key, list);
  };
  for (const member of staff) {
    for (const key of member.wardKeys) {
      if (member.roles.includes('nurse')) add(nurses, key, member.username);
      if (member.roles.includes('therapist')) add(therapists, key, member.username);
      if (member.roles.includes('physician')) add(physicians, key, member.username);
    }
  }
  return { nurses, therapists, physicians };
}

// ---------------------------------------------------------------------------------------------
// Joint model

/**
 * Where a joint ends up when HO has walled it in: the positions an ossified joint commonly freezes
 * at (hip in some flexion, elbow near a right angle). A falling arc approaches these.
 */
const ANKYLOSIS: Record<string, number> = {
  'hip:flexion': 30,
  'hip:extension': -30,
  'hip:abduction': 0,
  'hip:adduction': 0,
  'hip:internal_rotation': -5,
  'hip:external_rotation': 5,
  'knee:flexion': 20,
  'knee:extension': -15,
  'elbow:flexion': 90,
  'elbow:extension': -85,
  'elbow:pronation': 10,
  'elbow:supination': 10,
  'shoulder:flexion': 40,
  'shoulder:extension': 10,
  'shoulder:abduction': 40,
  'shoulder:internal_rotation': 10,
  'shoulder:external_rotation': 0,
  'ankle:dorsiflexion': -15,
  'ankle:plantarflexion': 15,
};

/** Movements HO restricts most at each site; the others lose less. */
const MAIN_HO_MOVEMENTS = new Set([
  'hip:flexion',
  'hip:abduction',
  'hip:internal_rotation',
  'hip:external_rotation',
  'knee:flexion',
  'elbow:flexion',
  'elbow:extension',
  'shoulder:flexion',
  'shoulder:abduction',
]);

/** What a therapist usually measures at each site, with how often the optional ones are included. */
const ROUTINE: Record<JointSite, readonly (readonly [Movement, number])[]> = {
  hip: [
    ['flexion', 1],
    ['abduction', 1],
    ['external_rotation', 0.5],
    ['internal_rotation', 0.25],
    ['extension', 0.1],
  ],
  knee: [
    ['flexion', 1],
    ['extension', 1],
  ],
  ankle: [
    ['dorsiflexion', 1],
    ['plantarflexion', 0.2],
  ],
  elbow: [
    ['flexion', 1],
    ['extension', 1],
    ['supination', 0.4],
    ['pronation', 0.4],
  ],
  shoulder: [
    ['flexion', 1],
    ['abduction', 1],
    ['external_rotation', 0.5],
  ],
};

const SPEC = new Map(JOINT_CATALOG.map((s) => [`${s.site}:${s.movement}`, s]));

function specOf(site: JointSite, movement: Movement): MovementSpec {
  const spec = SPEC.get(`${site}:${movement}`);
  if (!spec) throw new Error(`no catalog entry for ${site} ${movement}`);
  return spec;
}

function limbOf(site: JointSite, side: Side): Limb {
  const arm = site === 'shoulder' || site === 'elbow';
  return `${side}_${arm ? 'arm' : 'leg'}`;
}

interface HoJoint {
  readonly site: JointSite;
  readonly side: Side;
  readonly d0Ms: number;
  /** Share of the way to the ankylosis position the main movements lose at plateau. */
  readonly severity: number;
  /** Days for 63% of the loss: HO takes weeks to months to mature (CR §2.3–2.5). */
  readonly tauDays: number;
}

interface Measure {
  readonly site: JointSite;
  readonly side: Side;
  readonly movement: Movement;
  readonly mode: RomMode;
  readonly spec: MovementSpec;
  readonly start: number;
  readonly recovery: number;
  readonly tauRecoveryDays: number;
  readonly ankylosis: number;
  readonly activeGap: number;
  readonly ho: HoJoint | null;
  readonly hoFactor: number;
  readonly contracture: { readonly perDay: number; readonly cap: number } | null;
  /** Chance it is measured in a given session. */
  readonly frequency: number;
  /** This patient's anatomical end of range: a joint measured well cannot read past it. */
  readonly ceiling: number;
}

// ---------------------------------------------------------------------------------------------

interface Draft<T> {
  readonly ms: number;
  readonly make: (id: number) => T;
}

function finish<T>(drafts: Draft<T>[], ids: IdCounters): T[] {
  drafts.sort((a, b) => a.ms - b.ms);
  return drafts.map((d) => d.make(++ids.other));
}

const HO_SITES: Record<InjuryType, readonly (readonly [JointSite, number])[]> = {
  // CR §1.1 Sites: TBI hips > knees > elbows > shoulders; Genet 2011 surgical series hip 60.9%,
  // elbow 21.3%, knee 14.3%, shoulder 3.5%.
  tbi: [
    ['hip', 0.6],
    ['knee', 0.18],
    ['elbow', 0.18],
    ['shoulder', 0.04],
  ],
  anoxic: [
    ['hip', 0.6],
    ['knee', 0.16],
    ['elbow', 0.2],
    ['shoulder', 0.04],
  ],
  other: [
    ['hip', 0.6],
    ['knee', 0.15],
    ['elbow', 0.2],
    ['shoulder', 0.05],
  ],
  // CR §1.1: in SCI the hip is affected in 70–97%, below the lesion.
  sci: [
    ['hip', 0.9],
    ['knee', 0.1],
  ],
  // CR §1.1: elbows predominate after stroke (AAPM&R).
  stroke: [
    ['elbow', 0.45],
    ['hip', 0.3],
    ['shoulder', 0.15],
    ['knee', 0.1],
  ],
};

const GG_ADMISSION_ITEMS: readonly GgItem[] = [
  'GG0130A',
  'GG0130B',
  'GG0130C',
  'GG0170B',
  'GG0170C',
  'GG0170D',
  'GG0170E',
  'GG0170I',
];
const GG_WALKING = new Set<GgItem>(['GG0170I', 'GG0170J', 'GG0170K']);

const PI_SITES = [
  ['sacrum', 0.32],
  ['coccyx', 0.1],
  ['left heel', 0.14],
  ['right heel', 0.14],
  ['left ischial tuberosity', 0.08],
  ['right ischial tuberosity', 0.08],
  ['right greater trochanter', 0.06],
  ['occiput', 0.08],
] as const;
const PI_DEVICE_SITES = [
  'bridge of nose (nasogastric tube)',
  'left ear (oxygen tubing)',
  'right lower leg (resting splint)',
  'left lower leg (resting splint)',
] as const;

/** Chance that one joint is pain-limited in one sitting (local assumption, see CR §2.6). */
const PAIN_LIMITED_CHANCE = 0.02;

/** Therapists who read the goniometer to the nearest 5°: a third of them (every third in a team). */
function roundsToFive(therapist: string, team: readonly string[]): boolean {
  return team.indexOf(therapist) % 3 === 2;
}

export function generatePatient(
  census: Census,
  skeleton: PatientSkeleton,
  staff: StaffIndex,
  ids: IdCounters,
): SyntheticPatient {
  const { opts } = census;
  const nowMs = opts.nowMs;
  const rng = new Random(opts.seed, 0x5a17, 7, skeleton.index);
  const stays = skeleton.stays;
  const first = stays[0]!;
  const last = stays[stays.length - 1]!;
  const firstAdmitMs = first.admitMs;
  /** The end of what the ward saw: discharge from the last stay, or now. */
  const endMs = Math.min(last.dischargeMs ?? nowMs, nowMs);
  const type = skeleton.injuryType;
  const hasHo = skeleton.ho !== null;
  const wardClock = (stay: StaySkeleton): WardClock =>
    clockFor(census.plan.wards[stay.wardKey - 1]?.timeZone ?? opts.timeZone);
  const stayAt = (ms: number): StaySkeleton | undefined =>
    stays.find((s) => ms > s.admitMs && ms < (s.dischargeMs ?? Infinity));
  const inChain = (ms: number): boolean =>
    ms > firstAdmitMs && ms <= nowMs && stayAt(ms) !== undefined;
  /** A day-shift time on the local day of `ms`, clamped into the stays. */
  const shiftTime = (ms: number, fromMin: number, toMin: number): number => {
    const clock = wardClock(stayAt(ms) ?? first);
    return clock.at(clock.localDay(ms), Math.round(rng.range(fromMin, toMin) / 5) * 5);
  };

  // --- Who, and what happened ------------------------------------------------------------------
  const maleShare = { tbi: 0.7, sci: 0.78, stroke: 0.55, anoxic: 0.6, other: 0.55 }[type];
  const sex: Sex = rng.chance(0.004) ? 'unknown' : rng.chance(maleShare) ? 'male' : 'female';
  const firstName =
    sex === 'male'
      ? rng.pick(MALE_NAMES)
      : sex === 'female'
        ? rng.pick(FEMALE_NAMES)
        : rng.pick([...FEMALE_NAMES, ...MALE_NAMES]);
  const name = `${firstName} ${rng.pick(SURNAMES)}`;
  const injuryMs =
    firstAdmitMs - skeleton.admissionDelayDays * DAY_MS - rng.int(0, 23 * 60) * 60_000;
  const age =
    type === 'stroke'
      ? clamp(rng.normal(66, 12), 25, 92)
      : type === 'tbi'
        ? rng.chance(0.6)
          ? rng.range(17, 45)
          : rng.range(46, 88)
        : type === 'sci'
          ? clamp(rng.normal(45, 17), 17, 85)
          : rng.range(20, 78);
  const dateOfBirth = iso(injuryMs - age * 365.25 * DAY_MS).slice(0, 10);
  // MRNs: a bijection of the index, so they are unique and do not look sequential.
  const mrn = `RX${String(((skeleton.index * 7_368_787 + 1_234_567) % 9_000_000) + 1_000_000)}`;

  const unknown = <T>(p: number, value: T): T | null => (rng.chance(p) ? null : value);
  let lowestGcs: number | null;
  let comaDays: number | null;
  let ventilationDays: number | null;
  let diffuseAxonalInjury: boolean | null;
  let autonomicDysregulation: boolean | null;
  let aisGrade: AisGrade | null = null;
  let fractureChance: number;
  switch (type) {
    case 'tbi': {
      // CR §1.2 (Hendricks 2007): coma 28.1 ± 20.2 days with HO vs 7.5 ± 7.5 without; DAI RR 20.7;
      // PSH RR 6–60. Drawn given the outcome so the published contrasts appear in the data.
      const severe = hasHo || rng.chance(0.7);
      const gcs = severe ? rng.int(3, 8) : rng.int(9, 14);
      const coma = hasHo
        ? Math.max(3, Math.round(rng.normal(28, 20)))
        : gcs <= 8
          ? Math.round(rng.exponential(7.5))
          : rng.int(0, 2);
      lowestGcs = unknown(0.08, gcs);
      comaDays = unknown(0.1, coma);
      ventilationDays = unknown(0.1, Math.round(coma * rng.range(0.5, 1.1)));
      diffuseAxonalInjury = unknown(0.15, rng.chance(hasHo ? 0.55 : 0.15));
      autonomicDysregulation = unknown(0.1, rng.chance(hasHo ? 0.35 : 0.04));
      fractureChance = hasHo ? 0.3 : 0.12;
      break;
    }
    case 'anoxic': {
      const coma = hasHo
        ? Math.max(3, Math.round(rng.normal(25, 15)))
        : Math.max(0, Math.round(rng.normal(10, 7)));
      lowestGcs = unknown(0.1, rng.int(3, 7));
      comaDays = unknown(0.1, coma);
      ventilationDays = unknown(0.1, coma + rng.int(0, 5));
      diffuseAxonalInjury = null;
      autonomicDysregulation = unknown(0.1, rng.chance(hasHo ? 0.45 : 0.12));
      fractureChance = 0.02;
      break;
    }
    case 'sci': {
      // CR §1.2 (Lal 1989, SCIRE): a complete lesion is the major SCI risk factor.
      aisGrade = rng.weighted<AisGrade>(
        hasHo
          ? [
              ['A', 0.6],
              ['B', 0.15],
              ['C', 0.15],
              ['D', 0.1],
            ]
          : [
              ['A', 0.3],
              ['B', 0.15],
              ['C', 0.25],
              ['D', 0.28],
              ['E', 0.02],
            ],
      );
      lowestGcs = unknown(0.4, 15);
      comaDays = unknown(0.3, 0);
      ventilationDays = unknown(0.1, rng.chance(0.2) ? rng.int(3, 30) : 0);
      diffuseAxonalInjury = null;
      autonomicDysregulation = unknown(0.2, false);
      fractureChance = hasHo ? 0.25 : 0.15;
      break;
    }
    case 'stroke': {
      const coma = rng.chance(0.1) ? rng.int(1, 10) : 0;
      lowestGcs = unknown(0.1, rng.int(6, 15));
      comaDays = unknown(0.1, coma);
      ventilationDays = unknown(0.1, coma > 0 ? coma + rng.int(0, 3) : 0);
      diffuseAxonalInjury = unknown(0.5, false);
      autonomicDysregulation = unknown(0.2, rng.chance(0.02));
      fractureChance = 0.02;
      break;
    }
    case 'other': {
      lowestGcs = unknown(0.3, rng.int(10, 15));
      comaDays = unknown(0.3, 0);
      ventilationDays = unknown(0.3, 0);
      diffuseAxonalInjury = null;
      autonomicDysregulation = null;
      fractureChance = 0.05;
      break;
    }
  }
  const surgicalFractures: { limb: Limb; fixedAt: Instant | null }[] = [];
  if (rng.chance(fractureChance)) {
    const limbs: Limb[] = ['left_leg', 'right_leg', 'left_arm', 'right_arm'];
    const count = rng.chance(0.2) ? 2 : 1;
    for (const limb of rng.shuffle(limbs).slice(0, count)) {
      surgicalFractures.push({
        limb,
        fixedAt: unknown(0.15, iso(injuryMs + rng.range(0.5, 6) * DAY_MS)),
      });
    }
  }
  const injury: Injury = {
    type,
    occurredAt: iso(injuryMs),
    lowestGcs,
    comaDays,
    ventilationDays,
    diffuseAxonalInjury,
    autonomicDysregulation,
    aisGrade,
    surgicalFractures,
  };
  const severe = (comaDays ?? 0) > 7 || (lowestGcs ?? 15) <= 8 || aisGrade === 'A';

  // --- Limbs and joints ------------------------------------------------------------------------
  const impairment: Record<Limb, number> = {
    left_arm: 0,
    right_arm: 0,
    left_leg: 0,
    right_leg: 0,
  };
  const hemiSide: Side = rng.chance(0.5) ? 'left' : 'right';
  const tetraplegia = type === 'sci' && rng.chance(0.35);
  for (const limb of Object.keys(impairment) as Limb[]) {
    const isArm = limb.endsWith('arm');
    impairment[limb] =
      type === 'stroke'
        ? limb.startsWith(hemiSide)
          ? rng.range(0.5, 1)
          : rng.range(0, 0.15)
        : type === 'sci'
          ? isArm && !tetraplegia
            ? rng.range(0, 0.1)
            : rng.range(0.6, 1)
          : rng.range(0.2, 0.9) * (severe ? 1 : 0.6);
  }

  const hoJoints: HoJoint[] = [];
  if (skeleton.ho) {
    const d0 = skeleton.ho.declineStartsMs;
    const sites = HO_SITES[type].filter(([site]) => site !== 'shoulder');
    const site1 = rng.weighted(sites);
    const side1: Side =
      type === 'stroke' ? hemiSide : type === 'sci' || rng.chance(0.5) ? 'right' : 'left';
    const severity = (): number => (rng.chance(0.08) ? rng.range(0.75, 0.9) : rng.range(0.3, 0.62));
    hoJoints.push({
      site: site1,
      side: rng.chance(0.5) ? side1 : side1 === 'left' ? 'right' : 'left',
      d0Ms: d0,
      severity: severity(),
      tauDays: rng.range(11, 18),
    });
    // A quarter of patients grow HO at more than one joint, often both hips (CR §1.1 SCI).
    if (rng.chance(0.25)) {
      const j1 = hoJoints[0]!;
      const bilateral = rng.chance(0.5);
      const site2 = bilateral ? j1.site : rng.weighted(HO_SITES[type]);
      const side2: Side = bilateral
        ? j1.side === 'left'
          ? 'right'
          : 'left'
        : rng.chance(0.5)
          ? 'left'
          : 'right';
      if (!(site2 === j1.site && side2 === j1.side)) {
        hoJoints.push({
          site: site2,
          side: side2,
          d0Ms: d0 + rng.range(0, 14) * DAY_MS,
          severity: severity(),
          tauDays: rng.range(11, 18),
        });
      }
    }
  }
  const excised: { site: JointSite; side: Side } | null = skeleton.postExcision
    ? { site: rng.chance(0.8) ? 'hip' : 'elbow', side: rng.chance(0.5) ? 'left' : 'right' }
    : null;
  const excisionMs = firstAdmitMs - rng.range(3, 10) * DAY_MS;
  for (const j of hoJoints)
    impairment[limbOf(j.site, j.side)] = Math.max(0.5, impairment[limbOf(j.site, j.side)]);

  const measuredSites = new Set<string>();
  const legsWatched =
    type !== 'stroke' || impairment.left_leg > 0.2 || impairment.right_leg > 0.2 || rng.chance(0.5);
  const armsWatched = impairment.left_arm > 0.2 || impairment.right_arm > 0.2;
  for (const side of ['left', 'right'] as const) {
    if (legsWatched)
      for (const site of ['hip', 'knee', 'ankle'] as const) measuredSites.add(`${site}:${side}`);
    if (armsWatched) measuredSites.add(`elbow:${side}`);
    if (impairment[`${side}_arm`] >= 0.5 && (type === 'stroke' || rng.chance(0.4)))
      measuredSites.add(`shoulder:${side}`);
  }
  const hoSiteKeys = new Set<string>();
  for (const j of [...hoJoints, ...(excised ? [excised] : [])]) {
    measuredSites.add(`${j.site}:left`);
    measuredSites.add(`${j.site}:right`);
    hoSiteKeys.add(j.site);
  }
  const lateReferral = !hasHo && !excised && skeleton.admissionDelayDays >= 90;
  // CR §1.2: spasticity RR 17 in TBI; drawn given the outcome.
  const spasticityLevel = rng.weighted<number>(
    lateReferral
      ? [
          [0, 0.55],
          [1, 0.4],
          [2, 0.05],
        ]
      : hasHo
        ? [
            [0, 0.1],
            [1, 0.25],
            [2, 0.35],
            [3, 0.3],
          ]
        : [
            [0, 0.35],
            [1, 0.35],
            [2, 0.2],
            [3, 0.1],
          ],
  );
  const contractureAnkle = !hasHo && rng.chance(0.12);
  // Slow contracture at spastic joints (not HO): a limb held in tone loses a few tenths of a degree a
  // day, up to a couple of tens of degrees (CR §2.6: spasticity also lowers reliability). This is the
  // look-alike the ROM rules must not call HO: it is slower than HO's weeks-long fall (CR §2.3).
  const spasticContracture = new Map<string, { perDay: number; cap: number }>();
  const contractures: { site: JointSite; side: Side }[] = [];
  if (spasticityLevel >= 2) {
    for (const key of measuredSites) {
      const [site, side] = key.split(':') as [JointSite, Side];
      if (impairment[limbOf(site, side)] < 0.5 || !rng.chance(0.5)) continue;
      // A joint growing HO is HO in the answer key, whatever else stiffens it.
      if (hoJoints.some((j) => j.site === site && j.side === side)) continue;
      spasticContracture.set(key, { perDay: rng.range(0.08, 0.35), cap: rng.range(8, 25) });
      contractures.push({ site, side });
    }
  }
  const activeReadings = type !== 'sci' && rng.chance(0.35);
  const measures: Measure[] = [];
  const siteOrder: JointSite[] = ['shoulder', 'elbow', 'hip', 'knee', 'ankle'];
  for (const site of siteOrder) {
    for (const side of ['left', 'right'] as const) {
      if (!measuredSites.has(`${site}:${side}`)) continue;
      const ho = hoJoints.find((j) => j.site === site && j.side === side) ?? null;
      const wasExcised = excised?.site === site && excised.side === side;
      const limbImpairment = impairment[limbOf(site, side)];
      for (const [movement, share] of ROUTINE[site]) {
        const always = hoSiteKeys.has(site) && share >= 0.4;
        if (!always && !rng.chance(share)) continue;
        const spec = specOf(site, movement);
        const key = `${site}:${movement}`;
        const ankylosis = ANKYLOSIS[key] ?? spec.plausibleMin;
        const span = Math.max(5, spec.normalDegrees - ankylosis);
        const deficit = wasExcised
          ? span * rng.range(0.3, 0.5)
          : span * limbImpairment * rng.range(0.04, 0.25);
        const base: Omit<Measure, 'mode' | 'activeGap'> = {
          site,
          side,
          movement,
          spec,
          start: spec.normalDegrees - deficit,
          recovery: deficit * (wasExcised ? rng.range(0.6, 0.8) : rng.range(0.2, 0.6)),
          tauRecoveryDays: rng.range(20, 50),
          ankylosis,
          ho,
          hoFactor: MAIN_HO_MOVEMENTS.has(key) ? 1 : 0.6,
          contracture: contractureOf(
            contractureAnkle && key === 'ankle:dorsiflexion'
              ? { perDay: rng.range(0.08, 0.2), cap: rng.range(5, 12) }
              : null,
            spasticContracture.get(`${site}:${side}`),
            MAIN_HO_MOVEMENTS.has(key) ? 1 : 0.6,
          ),
          frequency: ho || wasExcised ? 0.95 : rng.range(0.6, 0.85),
          ceiling: spec.normalDegrees === 0 ? 0 : spec.normalDegrees + rng.range(-2, 8),
        };
        measures.push({ ...base, mode: 'passive', activeGap: 0 });
        if (activeReadings && (site === 'elbow' || site === 'shoulder') && share === 1) {
          measures.push({ ...base, mode: 'active', activeGap: rng.range(5, 25) });
        }
      }
    }
  }

  // --- Function over time: JH-HLM, FAC, GG, Braden (CR §4.2, §4.3, §4.6, §5.3) -----------------
  // Late referrals arrive months after injury, further along in their recovery.
  const f0 = lateReferral
    ? rng.range(0.45, 0.7)
    : severe
      ? rng.range(0.02, 0.25)
      : rng.range(0.2, 0.55);
  const fMax = clamp(f0 + rng.range(0.2, 0.6), 0.25, 0.98);
  const tauF = rng.range(25, 60);
  const cannotWalk = aisGrade === 'A' || aisGrade === 'B';
  const functionAt = (ms: number): number => {
    const t = Math.max(0, (ms - firstAdmitMs) / DAY_MS);
    let f = f0 + (fMax - f0) * (1 - Math.exp(-t / tauF));
    for (const j of hoJoints) {
      if (ms > j.d0Ms) f -= 0.12 * (1 - Math.exp(-(ms - j.d0Ms) / DAY_MS / 14));
    }
    return clamp(f, 0, 1);
  };
  const masSites = measures
    .filter((m) => m.mode === 'passive' && m.site !== 'shoulder')
    .map((m) => `${m.site}:${m.side}`)
    .filter((v, i, all) => all.indexOf(v) === i);

  // --- Catheters (CR §5.4) ---------------------------------------------------------------------
  const catheterDrafts: Draft<CatheterEpisode>[] = [];
  const catheterSpans: [number, number][] = [];
  const pCatheter = { sci: 0.5, anoxic: 0.35, tbi: 0.24, stroke: 0.18, other: 0.15 }[type];
  for (const stay of stays) {
    if (!rng.chance(pCatheter)) continue;
    const stayEnd = stay.dischargeMs ?? stay.plannedEndMs;
    const lengthDays = (stayEnd - stay.admitMs) / DAY_MS;
    let insertMs = rng.chance(0.7)
      ? stay.admitMs + rng.range(0.5, 3) * 3_600_000
      : shiftTime(
          stay.admitMs + rng.range(2, Math.max(3, lengthDays * 0.6)) * DAY_MS,
          8 * 60,
          20 * 60,
        );
    for (let episode = 0; episode < 2; episode++) {
      if (insertMs >= stayEnd || insertMs > nowMs || insertMs <= stay.admitMs) break;
      const durationDays =
        type === 'sci' && rng.chance(0.4) ? lengthDays + 1 : rng.range(3, 28) * (episode ? 0.4 : 1);
      let removeMs: number | null = shiftTime(insertMs + durationDays * DAY_MS, 8 * 60, 18 * 60);
      if (removeMs <= insertMs) removeMs = insertMs + 3_600_000;
      if (stay.dischargeMs !== null && removeMs >= stay.dischargeMs) removeMs = stay.dischargeMs;
      if (removeMs > nowMs) removeMs = null;
      const inserted = insertMs;
      const removed = removeMs;
      catheterSpans.push([inserted, removed ?? Infinity]);
      catheterDrafts.push({
        ms: inserted,
        make: (id) => ({
          id,
          insertedAt: iso(inserted),
          removedAt: removed === null ? null : iso(removed),
        }),
      });
      if (removed === null || !rng.chance(0.1)) break;
      insertMs = shiftTime(removed + rng.range(2, 10) * DAY_MS, 8 * 60, 20 * 60);
    }
  }
  const catheterDaysAt = (ms: number): number => {
    for (const [a, b] of catheterSpans) if (ms >= a && ms < b) return (ms - a) / DAY_MS;
    return -1;
  };

  // --- Complications (CR §5): hazards per patient-day --------------------------------------------
  const complicationDrafts: Draft<Complication>[] = [];
  const feverSpans: { from: number; to: number; rise: number }[] = [];
  const labDrafts: Draft<VitalOrLab>[] = [];
  const observationDrafts: Draft<JointObservation>[] = [];
  const imagingDrafts: Draft<ImagingStudy>[] = [];
  const dvtSites: { site: JointSite; side: Side; ms: number }[] = [];
  const resolveAt = (ms: number): number | null => (ms <= endMs ? ms : null);
  const activeUntil = {
    pneumonia: -Infinity,
    uti: -Infinity,
    pressure_injury: -Infinity,
    dvt: -Infinity,
  };
  const addLab = (kind: 'crp' | 'alp' | 'ck', value: number, ms: number): void => {
    if (!inChain(ms)) return;
    const v = Math.round(value * 10) / 10;
    labDrafts.push({
      ms,
      make: (id) =>
        kind === 'crp'
          ? { id, kind, value: v, unit: 'mg/L', takenAt: iso(ms) }
          : { id, kind, value: Math.round(v), unit: 'U/L', takenAt: iso(ms) },
    });
  };
  const addComplication = (
    kind: 'pneumonia' | 'uti' | 'pressure_injury' | 'dvt',
    onsetMs: number,
    presentOnAdmission: boolean,
  ): void => {
    const stay = stayAt(onsetMs);
    if (!stay || onsetMs > nowMs) return;
    const wardId = stay.wardKey;
    const durations = {
      pneumonia: [7, 21],
      uti: [5, 10],
      dvt: [60, 120],
      pressure_injury: [7, 30],
    };
    let [lo, hi] = durations[kind] as [number, number];
    let stage: PressureInjuryStage = '2';
    if (kind === 'pressure_injury') {
      stage = rng.weighted<PressureInjuryStage>(
        presentOnAdmission
          ? [
              ['1', 0.3],
              ['2', 0.4],
              ['3', 0.14],
              ['4', 0.04],
              ['unstageable', 0.06],
              ['deep_tissue', 0.06],
            ]
          : [
              ['1', 0.4],
              ['2', 0.38],
              ['3', 0.08],
              ['4', 0.02],
              ['unstageable', 0.04],
              ['deep_tissue', 0.08],
            ],
      );
      [lo, hi] =
        stage === '1' ? [4, 14] : stage === '2' ? [10, 40] : stage === '3' ? [40, 120] : [60, 200];
    }
    const resolved = resolveAt(shiftTime(onsetMs + rng.range(lo, hi) * DAY_MS, 8 * 60, 18 * 60));
    activeUntil[kind] = resolved ?? Infinity;
    const base = {
      onsetAt: iso(onsetMs),
      resolvedAt: resolved === null ? null : iso(resolved),
      wardId,
      presentOnAdmission,
    };
    switch (kind) {
      case 'pneumonia':
        feverSpans.push({
          from: onsetMs,
          to: onsetMs + rng.range(2, 4) * DAY_MS,
          rise: rng.range(1.2, 2),
        });
        addLab('crp', rng.logNormal(110, 0.4), onsetMs + rng.range(2, 6) * 3_600_000);
        complicationDrafts.push({ ms: onsetMs, make: (id) => ({ id, kind, ...base }) });
        break;
      case 'uti':
        if (rng.chance(0.6))
          feverSpans.push({
            from: onsetMs,
            to: onsetMs + rng.range(1, 3) * DAY_MS,
            rise: rng.range(1, 1.8),
          });
        complicationDrafts.push({ ms: onsetMs, make: (id) => ({ id, kind, ...base }) });
        break;
      case 'dvt': {
        const site: JointSite = rng.weighted<JointSite>([
          ['knee', 0.45],
          ['ankle', 0.3],
          ['hip', 0.2],
          ['shoulder', 0.05],
        ]);
        const side: Side = rng.chance(0.5) ? 'left' : 'right';
        dvtSites.push({ site, side, ms: onsetMs });
        complicationDrafts.push({ ms: onsetMs, make: (id) => ({ id, kind, ...base, site, side }) });
        break;
      }
      case 'pressure_injury': {
        const deviceRelated = rng.chance(0.1);
        const bodySite = deviceRelated ? rng.pick(PI_DEVICE_SITES) : rng.weighted(PI_SITES);
        complicationDrafts.push({
          ms: onsetMs,
          make: (id) => ({ id, kind, ...base, bodySite, stage, deviceRelated }),
        });
        break;
      }
    }
  };

  // Present on admission: patients arrive from intensive care with sores and infections.
  if (rng.chance(type === 'sci' ? 0.1 : 0.06))
    addComplication('pressure_injury', firstAdmitMs + rng.range(1, 6) * 3_600_000, true);
  if (rng.chance(0.02))
    addComplication('pneumonia', firstAdmitMs + rng.range(1, 8) * 3_600_000, true);
  if (rng.chance(0.03)) addComplication('uti', firstAdmitMs + rng.range(1, 8) * 3_600_000, true);
  // CR §1.2: systemic infection RR 13 for HO (Hendricks 2007): HO patients often had one first.
  const j0 = hoJoints[0];
  if (j0 && rng.chance(0.35)) {
    addComplication(
      rng.chance(0.5) ? 'pneumonia' : 'uti',
      shiftTime(j0.d0Ms - rng.range(4, 20) * DAY_MS, 8 * 60, 20 * 60),
      false,
    );
  }
  for (const stay of stays) {
    const clock = wardClock(stay);
    const startDay = clock.localDay(stay.admitMs);
    const lastDay = clock.localDay(Math.min(stay.dischargeMs ?? nowMs, nowMs));
    for (let day = startDay + 1; day <= lastDay; day++) {
      const noon = clock.at(day, 12 * 60);
      const f = functionAt(noon);
      const onset = (): number => clock.at(day, rng.int(7 * 12, 20 * 12) * 5);
      const catheterDays = catheterDaysAt(noon);
      // Rates per 1,000 patient-days of the order reported for rehabilitation units (CR §5.5).
      const hPneumonia = 0.0012 * (f < 0.3 ? 2.5 : 1) * ((ventilationDays ?? 0) > 14 ? 1.5 : 1);
      // CR §5.4: CAUTI needs a catheter in for more than 2 days.
      const hUti = catheterDays > 2 ? 0.005 : 0.003 * (f < 0.3 ? 2 : 1);
      const hPressure = 0.0008 * (f < 0.25 ? 3 : f < 0.5 ? 1.5 : 0.5);
      const hDvt = 0.0003 * (f < 0.3 ? 2 : 1) * (hasHo ? 2 : 1);
      if (noon > activeUntil.pneumonia && rng.chance(hPneumonia))
        addComplication('pneumonia', onset(), false);
      if (noon > activeUntil.uti && rng.chance(hUti)) addComplication('uti', onset(), false);
      if (noon > activeUntil.pressure_injury && rng.chance(hPressure))
        addComplication('pressure_injury', onset(), false);
      if (noon > activeUntil.dvt && rng.chance(hDvt)) addComplication('dvt', onset(), false);
    }
  }
  const hadDvt = dvtSites.length > 0;

  // --- The daily life of the ward --------------------------------------------------------------
  const romReadings: RomReading[] = [];
  const romSessions: SyntheticRomSession[] = [];
  const spasticityDrafts: Draft<SpasticityAssessment>[] = [];
  const mobilityDrafts: Draft<MobilityAssessment>[] = [];
  const bradenDrafts: Draft<BradenAssessment>[] = [];
  const tempDrafts: Draft<VitalOrLab>[] = [];
  const careTeamByStay: { nurses: string[]; therapists: string[]; physicians: string[] }[] = [];
  const hoSignFrom = hoJoints.map((j) => j.d0Ms + rng.range(2, 6) * DAY_MS);
  const hoFever = hoJoints.map(() => rng.chance(0.3));
  hoJoints.forEach((j, i) => {
    if (hoFever[i])
      feverSpans.push({
        from: j.d0Ms + 3 * DAY_MS,
        to: j.d0Ms + 10 * DAY_MS,
        rise: rng.range(0.9, 1.5),
      });
  });
  const canTellPain = (ms: number): boolean => functionAt(ms) > 0.25 && type !== 'anoxic';
  const addObservation = (
    ms: number,
    site: JointSite,
    side: Side,
    signs: { swelling: boolean; warmth: boolean; erythema: boolean; pain: number | null },
  ): void => {
    observationDrafts.push({ ms, make: (id) => ({ id, site, side, ...signs, takenAt: iso(ms) }) });
  };
  const ggCode = (item: GgItem, f: number): GgCode => {
    if (rng.chance(0.02)) return '07';
    if (GG_WALKING.has(item) && (cannotWalk || f < 0.2)) return '88';
    return `0${clamp(Math.round(1 + 5 * f + rng.normal(0, 0.5)), 1, 6)}` as GgCode;
  };
  const addGg = (ms: number): void => {
    const f = functionAt(ms);
    for (const item of GG_ADMISSION_ITEMS) {
      const code = ggCode(item, f);
      mobilityDrafts.push({
        ms,
        make: (id) => ({ id, scale: 'gg', item, code, takenAt: iso(ms) }),
      });
    }
  };

  for (const [stayIndex, stay] of stays.entries()) {
    const clock = wardClock(stay);
    const nurses = staff.nurses.get(stay.wardKey) ?? [];
    const therapists = staff.therapists.get(stay.wardKey) ?? [];
    const physicians = staff.physicians.get(stay.wardKey) ?? [];
    careTeamByStay.push({
      nurses: [...nurses],
      therapists: [...therapists],
      physicians: [...physicians],
    });
    const stayEndMs = Math.min(stay.dischargeMs ?? nowMs, nowMs);
    const inStay = (ms: number): boolean => ms > stay.admitMs && ms < stayEndMs;
    const startDay = clock.localDay(stay.admitMs);
    const lastDay = clock.localDay(stayEndMs);
    let lastBradenDay = -Infinity;
    let lastFacMs = -Infinity;
    let lastRoutineCheck = -Infinity;
    const therapist = therapists.length > 0 ? rng.pick(therapists) : 'therapist';
    const roundFive = roundsToFive(therapist, therapists);
    if (stayIndex === 0) {
      const ggMs = clock.at(startDay + rng.int(1, 2), rng.int(10 * 12, 15 * 12) * 5);
      if (inStay(ggMs)) addGg(ggMs);
    }
    for (let day = startDay; day <= lastDay; day++) {
      const weekday = WardClock.weekday(day);
      const noon = clock.at(day, 12 * 60);
      const f = functionAt(noon);

      // Therapy: weekdays, more often once a joint is in trouble.
      const inTrouble = hoJoints.some((j) => noon > j.d0Ms);
      const pSession =
        weekday >= 1 && weekday <= 5 ? (inTrouble ? 0.85 : 0.72) : weekday === 6 ? 0.06 : 0;
      const sessionMs = clock.at(day, rng.int(9 * 12, 16 * 12 + 6) * 5);
      if ((day === startDay + 1 || rng.chance(pSession)) && inStay(sessionMs)) {
        const sessionId = ++ids.session;
        const by = rng.chance(0.85)
          ? therapist
          : therapists.length > 0
            ? rng.pick(therapists)
            : therapist;
        const fiveDegrees = by === therapist ? roundFive : roundsToFive(by, therapists);
        romSessions.push({ id: sessionId, stayId: stay.id, takenAt: iso(sessionMs), by });
        const takenAt = iso(sessionMs);
        // Now and then a joint is measured short because it hurts or the patient guards it: every
        // movement of that joint reads low in that sitting, and the next sitting does not repeat it
        // (CR §2.6: pain and spasticity lower reliability).
        const painLimited = new Map<string, number>();
        for (const key of measuredSites) {
          if (rng.chance(PAIN_LIMITED_CHANCE)) painLimited.set(key, rng.range(10, 25));
        }
        for (const m of measures) {
          if (m.mode === 'active' && f < 0.35) continue;
          const watched = m.ho !== null && sessionMs > m.ho.d0Ms;
          if (!watched && !rng.chance(m.frequency)) continue;
          const pain = (painLimited.get(`${m.site}:${m.side}`) ?? 0) * m.hoFactor;
          const bias = raterBias(opts.seed, by, m.site, m.movement);
          const degrees = romValue(m, sessionMs, firstAdmitMs, fiveDegrees, bias, pain, rng);
          romReadings.push({
            id: ++ids.reading,
            sessionId,
            site: m.site,
            side: m.side,
            movement: m.movement,
            mode: m.mode,
            degrees,
            takenAt,
          });
        }
        // Modified Ashworth about weekly (CR §4.4).
        if (rng.chance(0.3)) {
          for (const key of masSites) {
            if (!rng.chance(0.7)) continue;
            const [site, side] = key.split(':') as [JointSite, Side];
            const grade = masCode(spasticityLevel, impairment[limbOf(site, side)], rng);
            const ms = sessionMs + 60_000;
            spasticityDrafts.push({
              ms,
              make: (id) => ({ id, site, side, grade, takenAt: iso(ms) }),
            });
          }
        }
        // FAC weekly (CR §4.6).
        if (sessionMs - lastFacMs >= 6 * DAY_MS) {
          lastFacMs = sessionMs;
          const code = String(
            cannotWalk ? 0 : clamp(Math.round(6 * f - 1 + rng.normal(0, 0.4)), 0, 5),
          ) as FacLevel;
          const ms = sessionMs + 120_000;
          mobilityDrafts.push({ ms, make: (id) => ({ id, scale: 'fac', code, takenAt: iso(ms) }) });
        }
      }

      // Nursing: JH-HLM most days (CR §4.3).
      const hlmMs = clock.at(day, rng.int(8 * 12, 20 * 12) * 5);
      if (inStay(hlmMs) && rng.chance(0.85)) {
        const level = clamp(Math.round(1 + 7 * f + rng.normal(0, 0.5)), 1, cannotWalk ? 4 : 8);
        const code = String(level) as JhHlmLevel;
        mobilityDrafts.push({
          ms: hlmMs,
          make: (id) => ({ id, scale: 'jh_hlm', code, takenAt: iso(hlmMs) }),
        });
      }
      // Braden on admission and every three days (CR §5.3).
      if (day - lastBradenDay >= 3) {
        const ms =
          day === startDay
            ? stay.admitMs + rng.range(1, 4) * 3_600_000
            : clock.at(day, rng.int(8 * 12, 11 * 12) * 5);
        if (inStay(ms)) {
          lastBradenDay = day;
          const catheterIn = catheterDaysAt(ms) >= 0;
          const b = braden(f, type, aisGrade, catheterIn, rng);
          bradenDrafts.push({ ms, make: (id) => ({ id, ...b, takenAt: iso(ms) }) });
        }
      }
      // Temperature on the morning round, again in the evening when febrile.
      const tempMs = clock.at(day, rng.int(7 * 12, 10 * 12) * 5);
      const fever = (ms: number): number => {
        let rise = 0;
        for (const span of feverSpans)
          if (ms >= span.from && ms <= span.to) rise = Math.max(rise, span.rise);
        return rise;
      };
      for (const ms of [tempMs, clock.at(day, rng.int(17 * 12, 21 * 12) * 5)]) {
        const rise = fever(ms);
        if (ms !== tempMs && rise === 0) continue;
        if (!inStay(ms) || (ms === tempMs && rise === 0 && !rng.chance(0.9))) continue;
        const value = Math.round(clamp(rng.normal(36.8, 0.25) + rise, 35.5, 40.5) * 10) / 10;
        tempDrafts.push({
          ms,
          make: (id) => ({ id, kind: 'temperature', value, unit: '°C', takenAt: iso(ms) }),
        });
      }
      // Joint signs around HO onset (CR §2.1): swelling, warmth, erythema.
      hoJoints.forEach((j, i) => {
        const from = hoSignFrom[i]!;
        if (noon < from || noon > j.d0Ms + 30 * DAY_MS || !rng.chance(0.6)) return;
        const ms = clock.at(day, rng.int(8 * 12, 20 * 12) * 5);
        if (!inStay(ms)) return;
        addObservation(ms, j.site, j.side, {
          swelling: rng.chance(0.85),
          warmth: rng.chance(0.7),
          erythema: rng.chance(0.45),
          pain: canTellPain(ms) ? rng.int(3, 8) : null,
        });
      });
      for (const dvt of dvtSites) {
        if (noon < dvt.ms || noon > dvt.ms + 5 * DAY_MS || !rng.chance(0.7)) continue;
        const ms = clock.at(day, rng.int(8 * 12, 20 * 12) * 5);
        if (!inStay(ms)) continue;
        addObservation(ms, dvt.site, dvt.side, {
          swelling: true,
          warmth: rng.chance(0.5),
          erythema: rng.chance(0.2),
          pain: canTellPain(ms) ? rng.int(2, 6) : null,
        });
      }
      // A weekly look at the big joints of patients in the vigilance window (CR §2.3).
      const sinceInjury = (noon - injuryMs) / DAY_MS;
      if (
        sinceInjury >= 14 &&
        sinceInjury <= 120 &&
        day - lastRoutineCheck >= 7 &&
        rng.chance(0.5)
      ) {
        lastRoutineCheck = day;
        const ms = clock.at(day, rng.int(8 * 12, 20 * 12) * 5);
        if (inStay(ms)) {
          for (const site of ['hip', 'knee'] as const) {
            for (const side of ['left', 'right'] as const) {
              if (hoJoints.some((j) => j.site === site && j.side === side && ms > j.d0Ms)) continue;
              addObservation(ms, site, side, {
                swelling: false,
                warmth: false,
                erythema: false,
                pain: canTellPain(ms) ? (rng.chance(0.8) ? 0 : rng.int(1, 3)) : null,
              });
            }
          }
        }
      }
    }
    if (stay.dischargeMs !== null && stay === last && stay.dischargeMs <= nowMs) {
      const ms = stay.dischargeMs - rng.range(2, 20) * 3_600_000;
      if (inStay(ms)) addGg(ms);
    }
  }

  // --- Imaging (CR §2.3): ultrasound or bone scan 2–3 weeks into the decline, X-ray later -------
  const imagingAt = (ms: number): number => shiftTime(ms, 9 * 60, 17 * 60);
  const addImaging = (
    ms: number,
    modality: ImagingModality,
    site: JointSite,
    side: Side,
    result: ImagingResult,
    grade: ImagingGrade | null,
  ): boolean => {
    if (!inChain(ms)) return false;
    imagingDrafts.push({
      ms,
      make: (id) => ({ id, modality, site, side, result, grade, takenAt: iso(ms) }),
    });
    return true;
  };
  const truthJoints: HoTruth[] = [];
  const positives: number[] = [];
  for (const j of hoJoints) {
    const falling = firstFallingMs(romReadings, j.site, j.side, j.d0Ms);
    let firstPositive: number | null = null;
    if (falling !== null) {
      // Imaging is ordered once the joint is seen to stiffen, so never within a week of the first fall.
      const planned = Math.max(
        j.d0Ms + rng.range(14, 24) * DAY_MS,
        falling + rng.range(7.5, 10) * DAY_MS,
      );
      const snapped = imagingAt(planned);
      const finalMs = snapped < planned ? snapped + DAY_MS : snapped;
      if (rng.chance(0.4)) {
        const xrayMs = imagingAt(falling + rng.range(1, 5) * DAY_MS);
        if (xrayMs < finalMs - DAY_MS) addImaging(xrayMs, 'xray', j.site, j.side, 'negative', null);
      }
      if (
        addImaging(
          finalMs,
          rng.chance(0.5) ? 'ultrasound' : 'bone_scan',
          j.site,
          j.side,
          'positive',
          null,
        )
      ) {
        firstPositive = finalMs;
        positives.push(finalMs);
        const grade = hoGrade(j.site, j.severity, rng);
        const xrayMs = imagingAt(finalMs + rng.range(10, 24) * DAY_MS);
        addImaging(xrayMs, 'xray', j.site, j.side, 'positive', grade);
        if (rng.chance(0.15))
          addImaging(
            imagingAt(xrayMs + rng.range(7, 30) * DAY_MS),
            'ct',
            j.site,
            j.side,
            'positive',
            grade,
          );
      }
    }
    truthJoints.push({
      site: j.site,
      side: j.side,
      declineStartsAt: iso(j.d0Ms),
      firstPositiveImagingAt: firstPositive === null ? null : iso(firstPositive),
    });
  }
  for (const dvt of dvtSites) {
    // Swelling with a warm limb: ultrasound with Doppler to tell DVT from HO (CR §2.1).
    if (rng.chance(0.6))
      addImaging(
        imagingAt(dvt.ms + rng.range(0.2, 2) * DAY_MS),
        'ultrasound',
        dvt.site,
        dvt.side,
        'negative',
        null,
      );
  }
  if (!hasHo && rng.chance(0.03)) {
    const ms = imagingAt(firstAdmitMs + rng.range(10, 40) * DAY_MS);
    addImaging(
      ms,
      rng.chance(0.5) ? 'xray' : 'ultrasound',
      'hip',
      rng.chance(0.5) ? 'left' : 'right',
      rng.chance(0.85) ? 'negative' : 'equivocal',
      null,
    );
  }
  if (excised) {
    // Records from the operating hospital: mature HO before excision, then the post-operative film.
    const grade = hoGrade(excised.site, 0.8, rng);
    const beforeMs = excisionMs - rng.range(30, 90) * DAY_MS;
    imagingDrafts.push({
      ms: beforeMs,
      make: (id) => ({
        id,
        modality: 'ct',
        site: excised.site,
        side: excised.side,
        result: 'positive',
        grade,
        takenAt: iso(beforeMs),
      }),
    });
    addImaging(
      imagingAt(firstAdmitMs + rng.range(1, 3) * DAY_MS),
      'xray',
      excised.site,
      excised.side,
      'negative',
      null,
    );
  }

  // HO activity markers (CR §2.2) and admission bloods.
  if (rng.chance(0.6)) {
    const ms = shiftTime(firstAdmitMs + rng.range(0.5, 1.5) * DAY_MS, 7 * 60, 10 * 60);
    addLab('crp', rng.logNormal(8, 0.6), ms);
    addLab('alp', clamp(rng.normal(85, 20), 35, 140), ms);
  }
  for (const j of hoJoints) {
    if (!rng.chance(0.6)) continue;
    const ms = shiftTime(j.d0Ms + rng.range(5, 14) * DAY_MS, 7 * 60, 10 * 60);
    addLab('crp', rng.logNormal(35, 0.4), ms);
    addLab('alp', clamp(rng.normal(220, 50), 120, 400), ms);
    if (rng.chance(0.4)) addLab('ck', rng.logNormal(500, 0.6), ms);
  }

  // --- Interventions (CR §6) --------------------------------------------------------------------
  const interventionDrafts: Draft<Intervention>[] = [];
  const stopAt = (ms: number): number | null =>
    ms <= endMs
      ? ms
      : last.dischargeMs !== null && last.dischargeMs <= nowMs
        ? last.dischargeMs
        : null;
  for (const stay of stays) {
    const start = stay.admitMs + rng.range(2, 20) * 3_600_000;
    if (start > nowMs) continue;
    const stop = stay.dischargeMs !== null && stay.dischargeMs <= nowMs ? stay.dischargeMs : null;
    interventionDrafts.push({
      ms: start,
      make: (id) => ({
        id,
        kind: 'physiotherapy',
        startedAt: iso(start),
        stoppedAt: stop === null ? null : iso(stop),
      }),
    });
  }
  const bleedingRisk: BleedingRisk | null = rng.chance(0.2)
    ? null
    : {
        gastrointestinalBleed: rng.chance(0.03),
        intracranialBleed: rng.chance(type === 'tbi' ? 0.4 : type === 'stroke' ? 0.2 : 0.03),
        renalImpairment: rng.chance(age > 70 ? 0.12 : 0.04),
        anticoagulated: hadDvt || rng.chance(type === 'stroke' ? 0.2 : 0.04),
      };
  const addNsaid = (startMs: number, days: number, drug: NsaidDrug, doseMg: number): void => {
    if (!inChain(startMs)) return;
    const stop = stopAt(startMs + days * DAY_MS);
    interventionDrafts.push({
      ms: startMs,
      make: (id) => ({
        id,
        kind: 'nsaid',
        drug,
        doseMg,
        startedAt: iso(startMs),
        stoppedAt: stop === null ? null : iso(stop),
      }),
    });
  };
  // Prophylaxis: indomethacin 75 mg daily for 3 weeks in SCI (Banovac 2001, CR §6.1).
  const pProphylaxis =
    { sci: 0.2, tbi: severe ? 0.08 : 0.02, anoxic: 0.05, stroke: 0, other: 0 }[type] *
    (hasHo ? 0.5 : 1);
  if (rng.chance(pProphylaxis) && (!bleedingRisk?.intracranialBleed || rng.chance(0.2))) {
    const [drug, dose] = rng.weighted<[NsaidDrug, number]>([
      [['indomethacin', 75], 0.65],
      [['celecoxib', 200], 0.25],
      [['naproxen', 1000], 0.1],
    ]);
    addNsaid(
      shiftTime(firstAdmitMs + rng.range(1, 7) * DAY_MS, 8 * 60, 18 * 60),
      rng.range(21, 42),
      drug,
      dose,
    );
  }
  const firstPositive = positives.length > 0 ? Math.min(...positives) : null;
  if (firstPositive !== null) {
    const startMs = shiftTime(firstPositive + rng.range(0.5, 3) * DAY_MS, 9 * 60, 17 * 60);
    if (type === 'sci' && rng.chance(0.3)) {
      const stop = stopAt(startMs + 84 * DAY_MS);
      if (inChain(startMs)) {
        interventionDrafts.push({
          ms: startMs,
          make: (id) => ({
            id,
            kind: 'etidronate',
            doseMgPerKgDay: 20,
            startedAt: iso(startMs),
            stoppedAt: stop === null ? null : iso(stop),
          }),
        });
      }
    } else if (rng.chance(0.5)) {
      addNsaid(startMs, 42, rng.chance(0.8) ? 'indomethacin' : 'ibuprofen', 75);
    }
  }
  if (excised) {
    // Excision of mature HO, then single-dose radiation and NSAID cover against recurrence (CR §6.3–6.4).
    interventionDrafts.push({
      ms: excisionMs,
      make: (id) => ({
        id,
        kind: 'excision',
        site: excised.site,
        side: excised.side,
        performedAt: iso(excisionMs),
      }),
    });
    if (rng.chance(0.6)) {
      const givenMs = excisionMs + rng.range(2, 20) * 3_600_000;
      interventionDrafts.push({
        ms: givenMs,
        make: (id) => ({
          id,
          kind: 'radiation',
          doseGy: 7,
          site: excised.site,
          side: excised.side,
          givenAt: iso(givenMs),
        }),
      });
    }
    const startMs = excisionMs + DAY_MS;
    const stop = stopAt(startMs + 42 * DAY_MS);
    interventionDrafts.push({
      ms: startMs,
      make: (id) => ({
        id,
        kind: 'nsaid',
        drug: 'indomethacin',
        doseMg: 75,
        startedAt: iso(startMs),
        stoppedAt: stop === null ? null : iso(stop),
      }),
    });
  }

  // --- Assemble ---------------------------------------------------------------------------------
  const patientId = skeleton.id;
  const recordStays: Stay[] = stays.map((s) => ({
    id: s.id,
    patientId,
    wardId: s.wardKey,
    bedLabel: s.bed,
    admittedAt: iso(s.admitMs),
    dischargedAt: s.dischargeMs === null ? null : iso(s.dischargeMs),
  }));
  const record: PatientRecord = {
    patient: { id: patientId, mrn, name, dateOfBirth, sex },
    injury,
    stays: recordStays,
    romReadings,
    spasticity: finish(spasticityDrafts, ids),
    mobility: finish(mobilityDrafts, ids),
    braden: finish(bradenDrafts, ids),
    jointObservations: finish(observationDrafts, ids),
    vitalsAndLabs: finish([...tempDrafts, ...labDrafts], ids),
    imaging: finish(imagingDrafts, ids),
    complications: finish(complicationDrafts, ids),
    catheterEpisodes: finish(catheterDrafts, ids),
    interventions: finish(interventionDrafts, ids),
    bleedingRisk,
  };
  return {
    record,
    wardKeyByStay: stays.map((s) => s.wardKey),
    currentBedLabel: last.dischargeMs === null ? last.bed : null,
    romSessions,
    careTeamByStay,
    truth: { hoJoints: truthJoints, excised, contractures },
  };
}

/** Two causes of slow non-HO loss at one movement add up (each capped on its own). */
function contractureOf(
  ankle: { perDay: number; cap: number } | null,
  spastic: { perDay: number; cap: number } | undefined,
  share: number,
): { perDay: number; cap: number } | null {
  if (!ankle && !spastic) return null;
  return {
    perDay: (ankle?.perDay ?? 0) + (spastic ? spastic.perDay * share : 0),
    cap: (ankle?.cap ?? 0) + (spastic ? spastic.cap * share : 0),
  };
}

/** A small stable hash of a username, so a therapist's bias is the same on every patient. */
function hashOf(text: string): number {
  let h = 2_166_136_261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16_777_619);
  return h >>> 0;
}

/**
 * A therapist's own systematic error at one movement, in degrees: how firmly she takes a joint to end
 * range, where she lines up the arms. CR §2.6: inter-rater agreement is worse than intra-rater
 * (minimum significant difference ~10° between raters with a long-arm goniometer, Hancock 2018;
 * inter-rater MDC95 up to 10.4° against 2–3.5° intra-rater); a between-rater SD of ~3° with ~3° of
 * sitting-to-sitting noise reproduces that ~10° between two raters.
 */
export function raterBias(
  seed: number,
  therapist: string,
  site: JointSite,
  movement: Movement,
): number {
  const key = `${seed}|${therapist}|${site}:${movement}`;
  let bias = biasCache.get(key);
  if (bias === undefined) {
    const rater = new Random(seed, 0xb1a5, hashOf(therapist));
    const overall = rater.normal(0, 2.5);
    const own = rater.fork(hashOf(`${site}:${movement}`)).normal(0, 1.5);
    bias = overall + own;
    if (biasCache.size > 50_000) biasCache.clear();
    biasCache.set(key, bias);
  }
  return bias;
}
const biasCache = new Map<string, number>();

function romValue(
  m: Measure,
  ms: number,
  firstAdmitMs: number,
  fiveDegrees: boolean,
  bias: number,
  painLimitedDegrees: number,
  rng: Random,
): number {
  const t = (ms - firstAdmitMs) / DAY_MS;
  let v = m.start + m.recovery * (1 - Math.exp(-t / m.tauRecoveryDays));
  if (m.contracture) v -= Math.min(m.contracture.cap, m.contracture.perDay * t);
  if (m.ho && ms > m.ho.d0Ms) {
    const since = (ms - m.ho.d0Ms) / DAY_MS;
    v -=
      Math.max(0, v - m.ankylosis) *
      m.ho.severity *
      m.hoFactor *
      (1 - Math.exp(-since / m.ho.tauDays));
  }
  if (m.mode === 'active') v -= m.activeGap;
  // Goniometry (CR §2.6): a few degrees from sitting to sitting (position, tone, the patient's day),
  // more for active range, plus the rater's own bias; nobody reads past the joint's anatomical end.
  v = Math.min(v, m.ceiling);
  v += bias + rng.normal(0, m.mode === 'active' ? 3.5 : 3) - painLimitedDegrees;
  v = fiveDegrees ? Math.round(v / 5) * 5 : Math.round(v);
  return clamp(v, m.spec.plausibleMin, m.spec.plausibleMax);
}

/**
 * The first reading at a joint (after `sinceMs`) at least 10° below the best of the same movement and
 * mode over the previous 28 days: when a therapist would notice a joint stiffening.
 */
export function firstFallingMs(
  readings: readonly RomReading[],
  site: JointSite,
  side: Side,
  sinceMs: number,
): number | null {
  const history = new Map<string, { ms: number; degrees: number }[]>();
  for (const r of readings) {
    if (r.site !== site || r.side !== side) continue;
    const ms = Date.parse(r.takenAt);
    const key = `${r.movement}:${r.mode}`;
    const list = history.get(key) ?? [];
    let best = -Infinity;
    for (const h of list)
      if (h.ms >= ms - 28 * DAY_MS && h.ms < ms) best = Math.max(best, h.degrees);
    if (ms >= sinceMs && r.degrees <= best - 10) return ms;
    list.push({ ms, degrees: r.degrees });
    history.set(key, list);
  }
  return null;
}

function masCode(level: number, limbImpairment: number, rng: Random): MasCode {
  const effective = level * (0.4 + 0.6 * limbImpairment) + rng.normal(0, 0.5);
  const codes: readonly MasCode[] = ['0', '1', '1+', '2', '3', '4'];
  const index = clamp(Math.round(effective * 1.3), 0, 5);
  return codes[index] ?? '0';
}

function hoGrade(site: JointSite, severity: number, rng: Random): ImagingGrade {
  switch (site) {
    case 'hip':
      return {
        system: 'brooker',
        grade:
          severity > 0.72
            ? 'IV'
            : severity > 0.5
              ? rng.chance(0.6)
                ? 'III'
                : 'II'
              : rng.chance(0.5)
                ? 'II'
                : 'I',
      };
    case 'elbow':
      return {
        system: 'hastings_graham',
        grade:
          severity > 0.72
            ? 'III'
            : severity > 0.5
              ? rng.pick(['IIA', 'IIB', 'IIC'] as const)
              : rng.chance(0.5)
                ? 'I'
                : 'IIA',
      };
    case 'knee':
      return {
        system: 'free_text',
        text: rng.pick([
          'medial periarticular ossification',
          'ossification of the distal quadriceps',
          'posterior capsular ossification',
        ]),
      };
    case 'shoulder':
      return { system: 'free_text', text: 'inferomedial periarticular ossification' };
    case 'ankle':
      return { system: 'free_text', text: 'periarticular ossification' };
  }
}

function braden(
  f: number,
  type: InjuryType,
  ais: AisGrade | null,
  catheterIn: boolean,
  rng: Random,
): Omit<BradenAssessment, 'id' | 'takenAt'> {
  const band4 = (x: number): 1 | 2 | 3 | 4 =>
    clamp(Math.round(1 + 3 * x + rng.normal(0, 0.35)), 1, 4) as 1 | 2 | 3 | 4;
  const sensoryLoss = type === 'sci' ? (ais === 'A' ? 0.5 : ais === 'B' ? 0.35 : 0.15) : 0;
  return {
    sensoryPerception: band4(clamp(f + 0.2 - sensoryLoss, 0, 1)),
    moisture: catheterIn ? (rng.chance(0.8) ? 3 : 4) : band4(clamp(f + 0.25, 0, 1)),
    activity: band4(f),
    mobility: band4(clamp(f + 0.05 - sensoryLoss / 2, 0, 1)),
    nutrition: band4(clamp(0.5 + f * 0.4, 0, 1)),
    frictionShear: clamp(Math.round(1 + 2.2 * f + rng.normal(0, 0.3)), 1, 3) as 1 | 2 | 3,
  };
}
