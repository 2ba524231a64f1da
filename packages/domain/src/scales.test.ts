import { describe, expect, it } from 'vitest';
import {
  FAC_LABELS,
  GG_CODE_LABELS,
  GG_ITEM_LABELS,
  HO_STATE_LABELS,
  JH_HLM_LABELS,
  MAS_LABELS,
  TIER_ORDER,
  bradenBand,
  bradenTotal,
  compareTiers,
  gcsSeverity,
  gcsTotal,
  ggIsPerformance,
  masRank,
  maxTier,
  tierLabel,
} from './scales.ts';
import { FAC_LEVELS, GG_CODES, GG_ITEMS, JH_HLM_LEVELS, MAS_CODES } from './model.ts';
import { HO_STATES } from './assessment-types.ts';
import type { Tier } from './assessment-types.ts';
import { DEFAULT_BRADEN_BANDS } from './settings.ts';
import {
  INTERCHANGE_CODES,
  icd10HoCode,
  l89StageCharacter,
  snomedComplication,
  snomedLaterality,
} from './codes.ts';

describe('scales are codes with labels', () => {
  it('labels every code of every scale', () => {
    for (const code of MAS_CODES) expect(MAS_LABELS[code]).toBeTruthy();
    for (const code of JH_HLM_LEVELS) expect(JH_HLM_LABELS[code]).toBeTruthy();
    for (const code of FAC_LEVELS) expect(FAC_LABELS[code]).toBeTruthy();
    for (const code of GG_CODES) expect(GG_CODE_LABELS[code]).toBeTruthy();
    for (const item of GG_ITEMS) expect(GG_ITEM_LABELS[item]).toBeTruthy();
    for (const state of HO_STATES) expect(HO_STATE_LABELS[state]).toBeTruthy();
  });

  it('orders MAS with 1+ between 1 and 2', () => {
    expect(masRank('1')).toBeLessThan(masRank('1+'));
    expect(masRank('1+')).toBeLessThan(masRank('2'));
  });

  it('tells performance codes from not-attempted codes in Section GG', () => {
    expect(ggIsPerformance('03')).toBe(true);
    expect(ggIsPerformance('88')).toBe(false);
    expect(GG_CODE_LABELS['88']).toBe('Not attempted due to medical condition or safety concerns');
  });

  it('totals Braden and finds its band (CR §5.3)', () => {
    const b = {
      sensoryPerception: 2,
      moisture: 2,
      activity: 1,
      mobility: 2,
      nutrition: 2,
      frictionShear: 1,
    } as const;
    expect(bradenTotal(b)).toBe(10);
    expect(bradenBand(10, DEFAULT_BRADEN_BANDS)?.label).toBe('High risk');
    expect(bradenBand(9, DEFAULT_BRADEN_BANDS)?.id).toBe('very_high');
    expect(bradenBand(23, DEFAULT_BRADEN_BANDS)?.id).toBe('none');
    expect(bradenBand(30, DEFAULT_BRADEN_BANDS)).toBeUndefined();
  });

  it('adds up GCS and names its severity', () => {
    expect(gcsTotal({ eye: 1, verbal: 2, motor: 4 })).toBe(7);
    expect(gcsSeverity(7)).toBe('severe');
    expect(gcsSeverity(9)).toBe('moderate');
    expect(gcsSeverity(13)).toBe('mild');
    expect(gcsSeverity(2)).toBeUndefined();
  });
});

describe('tiers', () => {
  it('sorts alert first and labels each tier', () => {
    const tiers: Tier[] = ['low', 'alert', 'elevated', 'high'];
    expect([...tiers].sort(compareTiers)).toEqual(['alert', 'high', 'elevated', 'low']);
    expect(TIER_ORDER).toEqual(['alert', 'high', 'elevated', 'low']);
    expect(TIER_ORDER.map(tierLabel)).toEqual(['Alert', 'High', 'Elevated', 'Low']);
    expect(maxTier('elevated', 'high')).toBe('high');
    expect(maxTier('alert', 'low')).toBe('alert');
  });
});

describe('interchange codes (CR §7)', () => {
  it('keeps only verified or secondary codes, each with its section', () => {
    for (const code of Object.values(INTERCHANGE_CODES)) {
      expect(['V', 'S']).toContain(code.verification);
      expect(code.section).toMatch(/^CR §/);
    }
    expect(INTERCHANGE_CODES.bradenTotal.code).toBe('38227-5');
    expect(INTERCHANGE_CODES.pressureInjury.code).toBe('1163215007');
    expect(Object.values(INTERCHANGE_CODES).map((c) => c.code)).not.toContain('399912005');
  });

  it('builds ICD-10-CM HO codes with site and laterality', () => {
    expect(icd10HoCode('paralytic', 'hip', 'right')).toBe('M61.251');
    expect(icd10HoCode('other', 'elbow', 'left')).toBe('M61.522');
    expect(icd10HoCode('other', 'knee', null)).toBe('M61.569');
  });

  it('maps laterality, L89 stage and complications', () => {
    expect(snomedLaterality('left')).toBe('7771000');
    expect(snomedLaterality('right')).toBe('24028007');
    expect(l89StageCharacter('deep_tissue')).toBe('6');
    expect(l89StageCharacter('unstageable')).toBe('0');
    expect(l89StageCharacter('3')).toBe('3');
    expect(snomedComplication('pressure_injury', 'deep_tissue')?.code).toBe('723071003');
    expect(snomedComplication('pressure_injury', '2')?.code).toBe('1163215007');
    expect(snomedComplication('pneumonia')?.code).toBe('233604007');
    expect(snomedComplication('uti')?.code).toBe('68566005');
    expect(snomedComplication('dvt')).toBeUndefined();
  });
});
