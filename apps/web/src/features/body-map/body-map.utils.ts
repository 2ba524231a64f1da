/**
 * Where each joint site sits on the body map and how its HO state looks. Colour always comes with the
 * state's name in text: nobody should need colour vision to read a body map.
 */
import type { HoState, JointSite, Side } from '@ossiwatch/domain';
import { HO_STATE_WORDS, siteName } from '../../lib/labels.ts';

export interface SiteStateLike {
  readonly site: JointSite;
  readonly side: Side;
  readonly state: HoState;
}

/**
 * Front view, so the patient's left is on the viewer's right, as on an X-ray or a patient facing you.
 * viewBox 0 0 100 200.
 */
export const SITE_POSITIONS: Record<Side, Record<JointSite, { x: number; y: number }>> = {
  left: {
    shoulder: { x: 66, y: 42 },
    elbow: { x: 74, y: 72 },
    hip: { x: 58, y: 102 },
    knee: { x: 60, y: 144 },
    ankle: { x: 61, y: 184 },
  },
  right: {
    shoulder: { x: 34, y: 42 },
    elbow: { x: 26, y: 72 },
    hip: { x: 42, y: 102 },
    knee: { x: 40, y: 144 },
    ankle: { x: 39, y: 184 },
  },
};

/** Fill colours with at least 3:1 contrast against white (WCAG 1.4.11) for every state but none. */
export const STATE_COLOURS: Record<HoState, string> = {
  none: '#ffffff',
  watch: '#b45309',
  suspected: '#b91c1c',
  confirmed: '#7e22ce',
  ankylosed: '#1f2937',
  excised: '#0369a1',
  recurrence_watch: '#c2410c',
};

const stateRank: Record<HoState, number> = {
  suspected: 0,
  confirmed: 1,
  ankylosed: 2,
  recurrence_watch: 3,
  watch: 4,
  excised: 5,
  none: 6,
};

/** The sites in any state but none, most urgent first. */
export function troubledSites<T extends SiteStateLike>(sites: readonly T[]): T[] {
  return sites
    .filter((site) => site.state !== 'none')
    .sort((a, b) => stateRank[a.state] - stateRank[b.state]);
}

/** "Left hip: suspected HO; Right knee: watch", or a sentence saying no site is in trouble. */
export function describeSites(sites: readonly SiteStateLike[]): string {
  const troubled = troubledSites(sites);
  if (troubled.length === 0) return 'no joint site in trouble';
  return troubled
    .map((site) => `${siteName(site.side, site.site)}: ${HO_STATE_WORDS[site.state]}`)
    .join('; ');
}
