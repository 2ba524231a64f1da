import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LABS,
  LAB_KINDS,
  bleedingRiskText,
  labText,
  latestLabs,
  parseLabValue,
  type LabKind,
} from './records.utils.ts';

describe('parseLabValue', () => {
  it('reads a decimal comma as a point', () => {
    expect(parseLabValue('crp', '12,5')).toEqual({ value: 12.5 });
  });

  it('names the field and its unit when the value is empty or not a number', () => {
    expect(parseLabValue('crp', '  ')).toEqual({ problem: 'CRP (mg/L): enter a number' });
    expect(parseLabValue('ck', 'high')).toEqual({
      problem: 'CK (U/L): enter a number, e.g. 12.5',
    });
  });

  it('refuses a value outside the plausible range, saying the range with its unit', () => {
    expect(parseLabValue('alp', '20000')).toEqual({
      problem: 'ALP (U/L): 20000 U/L is outside the plausible range 0–10000 U/L',
    });
    expect(parseLabValue('crp', '-1')).toEqual({
      problem: 'CRP (mg/L): -1 mg/L is outside the plausible range 0–1000 mg/L',
    });
  });

  it('accepts exactly the values inside the bounds the server accepts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<LabKind>(...LAB_KINDS),
        fc.double({ min: -2_000_000, max: 2_000_000, noNaN: true }),
        (kind, value) => {
          const parsed = parseLabValue(kind, String(value));
          const inside = value >= LABS[kind].min && value <= LABS[kind].max;
          expect('value' in parsed).toBe(inside);
          if ('value' in parsed) expect(parsed.value).toBe(Number(String(value)));
        },
      ),
    );
  });
});

describe('latestLabs', () => {
  const row = (kind: string, value: number, takenAt: string) => ({
    kind,
    value,
    unit: kind === 'crp' ? 'mg/L' : 'U/L',
    takenAt,
  });

  it('takes the most recent value of each lab and leaves an unmeasured lab unknown', () => {
    const labs = latestLabs([
      row('crp', 40, '2026-03-02T08:00:00Z'),
      row('temperature', 38.5, '2026-03-05T08:00:00Z'),
      row('crp', 12, '2026-03-04T08:00:00Z'),
      row('crp', 90, '2026-03-03T08:00:00Z'),
      row('ck', 600, '2026-03-01T08:00:00Z'),
    ]);
    expect(labs.map(({ kind, row: r }) => [kind, r?.value ?? null])).toEqual([
      ['crp', 12],
      ['alp', null],
      ['ck', 600],
    ]);
  });

  it('reads a lab never measured as "not recorded", never 0', () => {
    expect(labText('alp', null)).toBe('ALP: not recorded');
    expect(labText('crp', row('crp', 0.9, '2026-03-04T08:00:00Z'))).toMatch(
      /^CRP: 0\.9 mg\/L, taken 4 Mar 2026, \d\d:\d\d$/,
    );
  });
});

describe('bleedingRiskText', () => {
  const none = {
    gastrointestinalBleed: false,
    intracranialBleed: false,
    renalImpairment: false,
    anticoagulated: false,
    updatedAt: '2026-03-04T08:00:00Z',
  };

  it('says when nobody has recorded it, rather than implying no risk', () => {
    expect(bleedingRiskText(null)).toBe('Bleeding risk: not recorded yet.');
  });

  it('lists the risks present, or says none of them', () => {
    expect(bleedingRiskText(none)).toMatch(/: none of the listed risks\.$/);
    expect(bleedingRiskText({ ...none, intracranialBleed: true, anticoagulated: true })).toMatch(
      /: Intracranial bleed, Anticoagulated\.$/,
    );
  });
});
