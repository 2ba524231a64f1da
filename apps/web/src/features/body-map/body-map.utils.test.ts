import { describe, expect, it } from 'vitest';
import { describeSites, troubledSites, type SiteStateLike } from './body-map.utils.ts';

const sites: SiteStateLike[] = [
  { site: 'knee', side: 'right', state: 'watch' },
  { site: 'hip', side: 'left', state: 'suspected' },
  { site: 'elbow', side: 'left', state: 'none' },
];

describe('body map wording', () => {
  it('names every troubled site with its state, most urgent first', () => {
    expect(describeSites(sites)).toBe('Left hip: Suspected HO; Right knee: Watch');
    expect(troubledSites(sites).map((s) => s.site)).toEqual(['hip', 'knee']);
  });

  it('says so when no site is in trouble rather than showing nothing', () => {
    expect(describeSites([{ site: 'hip', side: 'left', state: 'none' }])).toBe(
      'no joint site in trouble',
    );
    expect(describeSites([])).toBe('no joint site in trouble');
  });
});
