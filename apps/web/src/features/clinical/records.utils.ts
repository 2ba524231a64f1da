/**
 * The wording and checks behind the lab, bleeding-risk and discharge forms: each lab with its unit
 * and the plausible range the server accepts, the latest value of each lab, and the bleeding risk as
 * a sentence. A lab not measured is "not recorded", never 0.
 */
import { VITAL_BOUNDS } from '@ossiwatch/domain';
import { formatDateTime } from '../../lib/format.ts';

export const LAB_KINDS = ['crp', 'alp', 'ck'] as const;
export type LabKind = (typeof LAB_KINDS)[number];

/**
 * CRP, ALP and CK as the server stores them (PRODUCT §2; markers in CR §2.2), with the plausible
 * ranges the server accepts (the domain's VITAL_BOUNDS), so a typing error is named before the round
 * trip.
 */
export const LABS: Record<LabKind, { name: string; unit: string; min: number; max: number }> = {
  crp: { name: 'CRP', ...VITAL_BOUNDS.crp },
  alp: { name: 'ALP', ...VITAL_BOUNDS.alp },
  ck: { name: 'CK', ...VITAL_BOUNDS.ck },
};

/** A typed lab value as a number, or a sentence naming the field and what is wrong. */
export function parseLabValue(
  kind: LabKind,
  text: string,
): { value: number } | { problem: string } {
  const lab = LABS[kind];
  const field = `${lab.name} (${lab.unit})`;
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return { problem: `${field}: enter a number` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { problem: `${field}: enter a number, e.g. 12.5` };
  if (value < lab.min || value > lab.max) {
    return {
      problem: `${field}: ${value} ${lab.unit} is outside the plausible range ${lab.min}–${lab.max} ${lab.unit}`,
    };
  }
  return { value };
}

export interface VitalRow {
  readonly kind: string;
  readonly value: number;
  readonly unit: string;
  readonly takenAt: string;
}

/** The most recent value of each lab (by time taken; a later entry wins a tie), in CRP, ALP, CK order. */
export function latestLabs(vitals: readonly VitalRow[]): { kind: LabKind; row: VitalRow | null }[] {
  return LAB_KINDS.map((kind) => {
    let latest: VitalRow | null = null;
    for (const row of vitals) {
      if (row.kind !== kind) continue;
      if (latest === null || Date.parse(row.takenAt) >= Date.parse(latest.takenAt)) latest = row;
    }
    return { kind, row: latest };
  });
}

export function labText(kind: LabKind, row: VitalRow | null): string {
  const name = LABS[kind].name;
  if (!row) return `${name}: not recorded`;
  return `${name}: ${row.value} ${row.unit}, taken ${formatDateTime(row.takenAt)}`;
}

/** The browser's time zone, named next to every typed time ("Europe/Berlin"). */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export const BLEEDING_FLAGS = [
  'gastrointestinalBleed',
  'intracranialBleed',
  'renalImpairment',
  'anticoagulated',
] as const;
export type BleedingFlag = (typeof BLEEDING_FLAGS)[number];
export type BleedingFlags = Record<BleedingFlag, boolean>;

export const BLEEDING_WORDS: Record<BleedingFlag, string> = {
  gastrointestinalBleed: 'Previous gastrointestinal bleed',
  intracranialBleed: 'Intracranial bleed',
  renalImpairment: 'Renal impairment',
  anticoagulated: 'Anticoagulated',
};

export const NO_BLEEDING_FLAGS: BleedingFlags = {
  gastrointestinalBleed: false,
  intracranialBleed: false,
  renalImpairment: false,
  anticoagulated: false,
};

/** The bleeding risk as recorded, in words; "not recorded" when nobody has set it (unknown, not "none"). */
export function bleedingRiskText(risk: (BleedingFlags & { updatedAt: string }) | null): string {
  if (!risk) return 'Bleeding risk: not recorded yet.';
  const present = BLEEDING_FLAGS.filter((flag) => risk[flag]).map((flag) => BLEEDING_WORDS[flag]);
  const what = present.length === 0 ? 'none of the listed risks' : present.join(', ');
  return `Bleeding risk recorded ${formatDateTime(risk.updatedAt)}: ${what}.`;
}
