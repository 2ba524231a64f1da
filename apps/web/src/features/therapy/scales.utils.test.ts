import { describe, expect, it } from 'vitest';
import { EMPTY_SCALES, countScales, scalesToSubmit } from './scales.utils.ts';

describe('scalesToSubmit', () => {
  it('sends nothing when nothing was assessed (not assessed is not a zero)', () => {
    expect(scalesToSubmit(EMPTY_SCALES)).toEqual({ spasticity: [], mobility: [] });
  });

  it('keeps codes as codes, including 1+ and the GG activity-not-attempted codes', () => {
    const result = scalesToSubmit({
      mas: { 'left:elbow': '1+', 'right:hip': '' },
      jhHlm: '3',
      fac: '',
      gg: { GG0170D: '88', GG0130A: '06' },
    });
    expect(result.spasticity).toEqual([{ site: 'elbow', side: 'left', grade: '1+' }]);
    expect(result.mobility).toEqual([
      { scale: 'jh_hlm', code: '3' },
      { scale: 'gg', item: 'GG0130A', code: '06' },
      { scale: 'gg', item: 'GG0170D', code: '88' },
    ]);
  });

  it('ignores a value that is not a code of its scale', () => {
    expect(
      countScales({ mas: { 'left:knee': '5' }, jhHlm: '9', fac: 'x', gg: { GG0170D: '11' } }),
    ).toBe(0);
  });
});
