/** Words for the coded values the screens show. Codes stay codes in data; people read these. */
import { HO_STATE_LABELS, TIERS, tierLabel } from '@ossiwatch/domain';
import type { HoState, InjuryType, JointSite, Limb, Sex, Side, Tier } from '@ossiwatch/domain';

export const TIER_WORDS = Object.fromEntries(
  TIERS.map((tier) => [tier, tierLabel(tier)]),
) as Record<Tier, string>;

export const HO_STATE_WORDS: Readonly<Record<HoState, string>> = HO_STATE_LABELS;

export const SIDE_WORDS: Record<Side, string> = { left: 'Left', right: 'Right' };

export const SITE_WORDS: Record<JointSite, string> = {
  shoulder: 'shoulder',
  elbow: 'elbow',
  hip: 'hip',
  knee: 'knee',
  ankle: 'ankle',
};

/** "Left hip". */
export function siteName(side: Side, site: JointSite): string {
  return `${SIDE_WORDS[side]} ${SITE_WORDS[site]}`;
}

/** "Jane Q. Doe" → "JQD": what a wall screen in a corridor may show. */
export function initials(name: string): string {
  return name
    .split(/[\s-]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
}

/** snake_case rule or code → words. */
export function humanise(code: string): string {
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const INJURY_TYPE_WORDS: Readonly<Record<InjuryType, string>> = {
  tbi: 'Traumatic brain injury',
  sci: 'Spinal cord injury',
  stroke: 'Stroke',
  anoxic: 'Anoxic brain injury',
  other: 'Other injury',
};

export const SEX_WORDS: Readonly<Record<Sex, string>> = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  unknown: 'Not known',
};

export const LIMB_WORDS: Readonly<Record<Limb, string>> = {
  left_arm: 'Left arm',
  right_arm: 'Right arm',
  left_leg: 'Left leg',
  right_leg: 'Right leg',
};
