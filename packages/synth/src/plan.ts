/**
 * The hospital's skeleton: wards, beds, staff, and who lay in which bed when. Small enough to hold in
 * memory at benchmark scale (~20,000 stays); the clinical detail of each patient is generated later,
 * one patient at a time (patient.ts).
 */
import type { InjuryType } from '@ossiwatch/domain';
import { DAY_MS, clockFor, type WardClock } from './clock.ts';
import { FEMALE_NAMES, MALE_NAMES, SURNAMES } from './names.ts';
import { Random, clamp } from './random.ts';

export interface HospitalOptions {
  /** Any integer; the same options always give the same hospital. */
  readonly seed: number;
  /**
   * Size knob. 1 = the demo: 3 wards of 20–30 beds. Wards grow as round(scale × 40 / 13), so scale 13
   * is the benchmark hospital of PRODUCT §9 (40 wards, ~1,000 current patients; with historyMonths 36,
   * ~20,000 stays and ≥ 5 million ROM readings).
   */
  readonly scale: number;
  /** The generator's "today", an ISO instant: nothing happens after it. */
  readonly now: string;
  /** Months of history before now (default 12; the benchmark uses 36). */
  readonly historyMonths?: number;
  /** Overrides the ward count derived from scale. */
  readonly wards?: number;
  /** IANA time zone of every ward (default Europe/London). */
  readonly timeZone?: string;
}

export type WardKind = 'neuro' | 'spinal';

export interface WardPlan {
  /** 1-based; stays and complications carry it as wardId. */
  readonly key: number;
  readonly name: string;
  readonly timeZone: string;
  readonly beds: readonly string[];
  readonly kind: WardKind;
}

export const STAFF_ROLES = ['nurse', 'therapist', 'physician', 'manager', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffMember {
  readonly username: string;
  readonly name: string;
  readonly roles: readonly StaffRole[];
  readonly wardKeys: readonly number[];
}

export interface HospitalPlan {
  readonly wards: readonly WardPlan[];
  readonly staff: readonly StaffMember[];
}

export interface ResolvedOptions {
  readonly seed: number;
  readonly scale: number;
  readonly nowMs: number;
  readonly historyStartMs: number;
  readonly historyMonths: number;
  readonly wardCount: number;
  readonly timeZone: string;
}

export function resolveOptions(options: HospitalOptions): ResolvedOptions {
  const nowMs = Date.parse(options.now);
  if (!Number.isFinite(nowMs))
    throw new RangeError(`now must be an ISO instant, got ${options.now}`);
  if (!Number.isFinite(options.seed)) throw new RangeError('seed must be a number');
  if (!(options.scale > 0)) throw new RangeError('scale must be positive');
  const historyMonths = options.historyMonths ?? 12;
  if (!(historyMonths > 0)) throw new RangeError('historyMonths must be positive');
  const start = new Date(nowMs);
  start.setUTCMonth(start.getUTCMonth() - Math.floor(historyMonths));
  const wardCount = options.wards ?? Math.max(1, Math.round((options.scale * 40) / 13));
  if (!(wardCount >= 1)) throw new RangeError('wards must be at least 1');
  const timeZone = options.timeZone ?? 'Europe/London';
  clockFor(timeZone).offsetMs(nowMs); // throws RangeError for an unknown zone
  return {
    seed: Math.trunc(options.seed),
    scale: options.scale,
    nowMs,
    historyStartMs: start.getTime(),
    historyMonths,
    wardCount,
    timeZone,
  };
}

const NEURO_NAMES = [
  'Neurorehabilitation A',
  'Neurorehabilitation B',
  'Brain Injury Unit',
  'Stroke Rehabilitation',
  'Neurorehabilitation C',
  'Complex Neurorehabilitation',
  'Neurorehabilitation D',
  'Acquired Brain Injury',
];

/** Every fourth ward is spinal (the third at demo scale), the rest are neurorehabilitation. */
function wardKindOf(index: number): WardKind {
  return index % 4 === 2 ? 'spinal' : 'neuro';
}

function wardNameAndPrefix(index: number, kind: WardKind): [string, string] {
  if (kind === 'spinal') {
    const n = Math.floor(index / 4) + 1;
    return n === 1 ? ['Spinal Injuries Unit', 'SIU'] : [`Spinal Injuries Unit ${n}`, `SIU${n}`];
  }
  const neuroIndex = index - Math.floor((index + 1) / 4);
  const base = NEURO_NAMES[neuroIndex % NEURO_NAMES.length] ?? 'Neurorehabilitation';
  const round = Math.floor(neuroIndex / NEURO_NAMES.length);
  const name = round === 0 ? base : `${base} ${round + 1}`;
  const initials = base
    .split(' ')
    .map((w) => w[0])
    .join('');
  return [name, round === 0 ? initials : `${initials}${round + 1}`];
}

function planWards(opts: ResolvedOptions, rng: Random): WardPlan[] {
  const wards: WardPlan[] = [];
  const usedPrefixes = new Set<string>();
  for (let i = 0; i < opts.wardCount; i++) {
    const kind = wardKindOf(i);
    const [name, rawPrefix] = wardNameAndPrefix(i, kind);
    let prefix = rawPrefix;
    for (let n = 2; usedPrefixes.has(prefix); n++) prefix = `${rawPrefix}${n}`;
    usedPrefixes.add(prefix);
    const bedCount = rng.int(22, 30);
    const beds: string[] = [];
    for (let b = 1; b <= bedCount; b++) beds.push(`${prefix}-${String(b).padStart(2, '0')}`);
    wards.push({ key: i + 1, name, timeZone: opts.timeZone, beds, kind });
  }
  return wards;
}

function personName(rng: Random): string {
  const first = rng.chance(0.5) ? rng.pick(FEMALE_NAMES) : rng.pick(MALE_NAMES);
  return `${first} ${rng.pick(SURNAMES)}`;
}

function planStaff(wards: readonly WardPlan[], rng: Random): StaffMember[] {
  const staff: StaffMember[] = [];
  const used = new Set<string>();
  const add = (roles: StaffRole[], wardKeys: number[]): void => {
    const name = personName(rng);
    const [first = 'x', ...rest] = name.split(' ');
    const base = `${first[0] ?? 'x'}.${rest.join('')}`.toLowerCase().replace(/[^a-z.]/g, '');
    let username = base;
    for (let n = 2; used.has(username); n++) username = `${base}${n}`;
    used.add(username);
    staff.push({ username, name, roles, wardKeys });
  };
  const allKeys = wards.map((w) => w.key);
  for (const ward of wards) {
    // The ward sister runs the ward and its figures: nurse and manager at once.
    add(['nurse', 'manager'], [ward.key]);
    const nurses = Math.round(ward.beds.length / 2.5);
    for (let i = 0; i < nurses; i++) add(['nurse'], [ward.key]);
    for (let i = 0; i < 3; i++) add(['therapist'], [ward.key]);
    for (let i = 0; i < 2; i++) add(['physician'], [ward.key]);
  }
  for (let i = 0; i < Math.max(1, Math.ceil(wards.length / 5)); i++) add(['physician'], allKeys);
  add(['manager'], allKeys);
  add(['admin'], []);
  return staff;
}

/** The public plan: wards and staff, cheap to compute. */
export function planHospital(options: HospitalOptions): HospitalPlan {
  const opts = resolveOptions(options);
  const root = new Random(opts.seed, 0x5a17);
  const wards = planWards(opts, root.fork(1));
  const staff = planStaff(wards, root.fork(2));
  return { wards, staff };
}

// ---------------------------------------------------------------------------------------------
// Census: stays in beds over the history, linked into patients.

export interface StaySkeleton {
  id: number;
  readonly wardKey: number;
  readonly bed: string;
  readonly admitMs: number;
  dischargeMs: number | null;
  /** For a current stay: when the patient would go home; drives when things happen. */
  readonly plannedEndMs: number;
  next: StaySkeleton | null;
  prev: StaySkeleton | null;
}

export interface HoPlan {
  /** When ROM starts to fall at the first HO joint (CR §2.3: onset ~day 17 after injury). */
  readonly declineStartsMs: number;
}

export interface PatientSkeleton {
  readonly index: number;
  readonly id: number;
  readonly stays: readonly StaySkeleton[];
  readonly injuryType: InjuryType;
  /** Days from injury to the first admission here (acute care in between). */
  readonly admissionDelayDays: number;
  readonly ho: HoPlan | null;
  /** Readmitted after excision of mature HO, for rehabilitation and recurrence watch (CR §6.4). */
  readonly postExcision: boolean;
}

export interface Census {
  readonly opts: ResolvedOptions;
  readonly plan: HospitalPlan;
  readonly patients: readonly PatientSkeleton[];
  readonly stayCount: number;
}

/** Length of a rehabilitation stay: 3–16 weeks, median ~6.5 (issue 4). */
function stayLengthDays(rng: Random): number {
  return clamp(rng.logNormal(46, 0.45), 21, 112);
}

function localTime(clock: WardClock, day: number, fromMin: number, toMin: number, rng: Random) {
  return clock.at(day, Math.round(rng.range(fromMin, toMin) / 5) * 5);
}

function planBeds(opts: ResolvedOptions, ward: WardPlan, rng: Random): StaySkeleton[] {
  const clock = clockFor(ward.timeZone);
  const nowDay = clock.localDay(opts.nowMs);
  const stays: StaySkeleton[] = [];
  // Issue 4: each ward full-ish, 60–95% of beds occupied today; at least 10 patients on the board.
  const occupancy = rng.range(0.78, 0.94);
  const occupied = clamp(
    Math.round(occupancy * ward.beds.length),
    Math.min(10, ward.beds.length),
    Math.floor(0.95 * ward.beds.length),
  );
  const occupiedBeds = new Set(rng.shuffle(ward.beds).slice(0, occupied));
  for (const bed of ward.beds) {
    let nextAdmitMs: number;
    if (occupiedBeds.has(bed)) {
      const length = stayLengthDays(rng);
      const elapsed = rng.range(0.5, length);
      let day = clock.localDay(opts.nowMs - elapsed * DAY_MS);
      let admitMs = localTime(clock, day, 11 * 60, 16 * 60 + 30, rng);
      if (admitMs > opts.nowMs) {
        day -= 1;
        admitMs = localTime(clock, day, 11 * 60, 16 * 60 + 30, rng);
      }
      stays.push({
        id: 0,
        wardKey: ward.key,
        bed,
        admitMs,
        dischargeMs: null,
        plannedEndMs: admitMs + length * DAY_MS,
        next: null,
        prev: null,
      });
      nextAdmitMs = admitMs;
    } else {
      // An empty bed: the last patient left a few days ago (or this morning).
      nextAdmitMs = opts.nowMs + rng.range(0, 5) * DAY_MS;
      if (clock.localDay(nextAdmitMs) === nowDay) nextAdmitMs = opts.nowMs + DAY_MS;
    }
    // Walk back in time: gap, previous stay, gap, … until the history starts.
    for (;;) {
      const gapDays = 1 + rng.exponential(4);
      const dischargeDay = clock.localDay(nextAdmitMs - gapDays * DAY_MS);
      let dischargeMs = localTime(clock, dischargeDay, 10 * 60, 13 * 60, rng);
      if (dischargeMs > opts.nowMs) dischargeMs = opts.nowMs - 60_000;
      if (dischargeMs < opts.historyStartMs) break;
      const length = stayLengthDays(rng);
      const admitDay = clock.localDay(dischargeMs - length * DAY_MS);
      const admitMs = localTime(clock, admitDay, 11 * 60, 16 * 60 + 30, rng);
      stays.push({
        id: 0,
        wardKey: ward.key,
        bed,
        admitMs,
        dischargeMs,
        plannedEndMs: dischargeMs,
        next: null,
        prev: null,
      });
      nextAdmitMs = admitMs;
    }
  }
  return stays;
}

/** Some patients move between wards (e.g. to the spinal unit): their stays join into one patient. */
function linkTransfers(stays: StaySkeleton[], rng: Random): void {
  const byBed = new Map<string, StaySkeleton[]>();
  for (const stay of stays) {
    const key = `${stay.wardKey}|${stay.bed}`;
    const list = byBed.get(key) ?? [];
    list.push(stay);
    byBed.set(key, list);
  }
  const nextInBed = new Map<StaySkeleton, StaySkeleton>();
  for (const list of byBed.values()) {
    list.sort((a, b) => a.admitMs - b.admitMs);
    for (let i = 0; i + 1 < list.length; i++) nextInBed.set(list[i]!, list[i + 1]!);
  }
  const byAdmitDay = new Map<number, StaySkeleton[]>();
  for (const stay of stays) {
    const day = Math.floor(stay.admitMs / DAY_MS);
    const list = byAdmitDay.get(day) ?? [];
    list.push(stay);
    byAdmitDay.set(day, list);
  }
  const ordered = [...stays].sort((a, b) => a.admitMs - b.admitMs || a.wardKey - b.wardKey);
  for (const stay of ordered) {
    if (stay.dischargeMs === null || stay.next || !rng.chance(0.07)) continue;
    const day = Math.floor(stay.dischargeMs / DAY_MS);
    const candidates: StaySkeleton[] = [];
    for (let d = day - 2; d <= day + 2; d++) {
      for (const c of byAdmitDay.get(d) ?? []) {
        if (c.wardKey === stay.wardKey || c.prev) continue;
        if (c.admitMs < stay.admitMs + 14 * DAY_MS) continue;
        const bedNext = nextInBed.get(stay);
        if (bedNext && bedNext.admitMs <= c.admitMs) continue;
        candidates.push(c);
      }
    }
    if (candidates.length === 0) continue;
    candidates.sort((a, b) => a.admitMs - b.admitMs || a.wardKey - b.wardKey);
    const target = rng.pick(candidates);
    stay.dischargeMs = target.admitMs;
    stay.next = target;
    target.prev = stay;
  }
}

type InjuryMix = readonly (readonly [InjuryType, number])[];

/**
 * Injury mix by ward (CR §1.1: TBI most, then stroke, SCI, anoxic). Spinal units take mostly SCI;
 * across a hospital of three neuro wards per spinal unit the mix is roughly TBI 44%, stroke 27%,
 * SCI 17%, anoxic 7%, other 5%.
 */
const MIX: Record<WardKind, InjuryMix> = {
  neuro: [
    ['tbi', 0.54],
    ['stroke', 0.32],
    ['anoxic', 0.08],
    ['sci', 0.02],
    ['other', 0.04],
  ],
  spinal: [
    ['sci', 0.62],
    ['tbi', 0.18],
    ['stroke', 0.1],
    ['anoxic', 0.02],
    ['other', 0.08],
  ],
};

/**
 * Clinically significant HO per injury (CR §1.1): TBI 10–20% (Simonsen 2007; van Kampen 2011 13%;
 * Hendricks 2007 12%; Bargellesi 2018 16.3%), SCI about 20% (SCIRE), anoxic 19.2% (Bargellesi 2018),
 * stroke 1.3% (Cunha 2019).
 */
export const HO_INCIDENCE: Record<InjuryType, number> = {
  tbi: 0.16,
  sci: 0.2,
  anoxic: 0.17,
  stroke: 0.013,
  other: 0.03,
};

function chainOf(head: StaySkeleton): StaySkeleton[] {
  const chain: StaySkeleton[] = [];
  for (let s: StaySkeleton | null = head; s; s = s.next) chain.push(s);
  return chain;
}

export function buildCensus(options: HospitalOptions): Census {
  const opts = resolveOptions(options);
  const root = new Random(opts.seed, 0x5a17);
  const plan = planHospital(options);
  const allStays: StaySkeleton[] = [];
  for (const ward of plan.wards) allStays.push(...planBeds(opts, ward, root.fork(3, ward.key)));
  linkTransfers(allStays, root.fork(4));
  const heads = allStays
    .filter((s) => s.prev === null)
    .sort((a, b) => a.admitMs - b.admitMs || a.wardKey - b.wardKey || (a.bed < b.bed ? -1 : 1));
  const wardByKey = new Map(plan.wards.map((w) => [w.key, w]));

  interface Draft {
    stays: StaySkeleton[];
    injuryType: InjuryType;
    lengthDays: number;
    ho: boolean;
    postExcision: boolean;
    rng: Random;
  }
  const drafts: Draft[] = heads.map((head, index) => {
    const rng = root.fork(5, index);
    const stays = chainOf(head);
    const last = stays[stays.length - 1] ?? head;
    const kind = wardByKey.get(head.wardKey)?.kind ?? 'neuro';
    const injuryType = rng.weighted(MIX[kind]);
    const lengthDays = ((last.dischargeMs ?? last.plannedEndMs) - head.admitMs) / DAY_MS;
    // About 1 in 100 admissions is rehabilitation after excision of mature HO (CR §6.4).
    const postExcision = injuryType !== 'stroke' && rng.chance(0.01);
    return { stays, injuryType, lengthDays, ho: false, postExcision, rng };
  });

  // HO at the published incidence, given more often to long stays: trauma patients with HO stayed a
  // median 142 days against 61 (CR §1.1 Outcome). The weights are normalised per injury type so the
  // incidence stays at HO_INCIDENCE.
  const weight = (d: Draft): number => clamp(d.lengthDays / 50, 0.4, 2.5);
  for (const type of Object.keys(HO_INCIDENCE) as InjuryType[]) {
    const group = drafts.filter((d) => d.injuryType === type && !d.postExcision);
    const mean = group.reduce((sum, d) => sum + weight(d), 0) / Math.max(1, group.length);
    for (const d of group)
      d.ho = d.rng.chance(Math.min(0.9, (HO_INCIDENCE[type] * weight(d)) / mean));
  }

  const patients: PatientSkeleton[] = [];
  const forcedPerWard = new Map<number, number>();
  const activeDecline = (ho: HoPlan | null): boolean =>
    ho !== null &&
    ho.declineStartsMs <= opts.nowMs - 6 * DAY_MS &&
    ho.declineStartsMs >= opts.nowMs - 30 * DAY_MS;

  const skeletons = drafts.map((d, index) => {
    const head = d.stays[0]!;
    const rng = d.rng;
    let admissionDelayDays: number;
    let ho: HoPlan | null = null;
    if (d.postExcision) {
      admissionDelayDays = rng.range(300, 900);
    } else if (d.ho) {
      // Onset ~day 17–60 after injury (CR §2.3), placed inside the stay so the ward sees it.
      const t0 = rng.range(3, clamp(d.lengthDays - 18, 4, 45));
      admissionDelayDays = rng.range(Math.max(10, 17 - t0), Math.max(12, 60 - t0));
      ho = { declineStartsMs: head.admitMs + t0 * DAY_MS };
    } else if (rng.chance(0.25)) {
      // Late referrals: months in acute care or elsewhere before coming here, past the window.
      admissionDelayDays = rng.range(100, 240);
    } else {
      const [lo, hi] =
        d.injuryType === 'stroke' ? [5, 30] : d.injuryType === 'sci' ? [10, 50] : [8, 45];
      admissionDelayDays = rng.range(lo, hi);
    }
    return { index, d, admissionDelayDays, ho };
  });

  // The demo must show a real mix of tiers on every ward (issue 4): make sure each ward has at least
  // two current patients whose joint is losing motion right now, inside the vigilance window.
  for (const ward of plan.wards) {
    const current = skeletons.filter((s) => {
      const last = s.d.stays[s.d.stays.length - 1]!;
      return last.dischargeMs === null && last.wardKey === ward.key;
    });
    let active = current.filter((s) => activeDecline(s.ho)).length;
    const wanted = 2 + Math.floor(ward.beds.length / 15);
    const candidates = current.filter((s) => {
      const elapsed = (opts.nowMs - s.d.stays[0]!.admitMs) / DAY_MS;
      return (
        !s.ho &&
        !s.d.postExcision &&
        (s.d.injuryType === 'tbi' || s.d.injuryType === 'sci' || s.d.injuryType === 'anoxic') &&
        elapsed >= 14 &&
        elapsed <= 90
      );
    });
    const rng = root.fork(6, ward.key);
    for (const s of rng.shuffle(candidates)) {
      if (active >= wanted) break;
      const elapsed = (opts.nowMs - s.d.stays[0]!.admitMs) / DAY_MS;
      const sinceDecline = rng.range(7, Math.min(22, elapsed - 3));
      const t0 = elapsed - sinceDecline;
      const lo = Math.max(8, 17 - t0);
      const hi = Math.max(lo + 1, Math.min(40, 110 - elapsed));
      s.admissionDelayDays = rng.range(lo, hi);
      s.ho = { declineStartsMs: opts.nowMs - sinceDecline * DAY_MS };
      s.d.ho = true;
      active += 1;
      forcedPerWard.set(ward.key, (forcedPerWard.get(ward.key) ?? 0) + 1);
    }
  }

  let stayId = 0;
  for (const s of skeletons) {
    for (const stay of s.d.stays) stay.id = ++stayId;
    patients.push({
      index: s.index,
      id: s.index + 1,
      stays: s.d.stays,
      injuryType: s.d.injuryType,
      admissionDelayDays: s.admissionDelayDays,
      ho: s.ho,
      postExcision: s.d.postExcision,
    });
  }
  return { opts, plan, patients, stayCount: stayId };
}
