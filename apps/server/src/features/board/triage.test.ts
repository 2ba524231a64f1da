import { describe, expect, it } from 'vitest';
import {
  assessmentChanges,
  needsRecheck,
  shiftStartBefore,
  strongestFinding,
  type AssessedState,
} from './triage.ts';

const evidence = { section: 'CR §2.1', source: 'local' };
function state(
  overrides: Partial<AssessedState['assessment']> = {},
  complicationIds: number[] = [],
) {
  return {
    assessment: {
      tier: 'high',
      sites: [],
      advisories: [],
      reasons: [],
      flags: [],
      ...overrides,
    },
    board: {
      activeComplications: complicationIds.map((id) => ({
        id,
        kind: 'pneumonia',
        stage: null,
        onsetAt: '2026-01-01T00:00:00.000Z',
      })),
    },
  } satisfies AssessedState;
}

describe('assessmentChanges', () => {
  it('lists nothing for a first assessment, and nothing when things improve', () => {
    expect(assessmentChanges(undefined, state({ tier: 'alert' }))).toEqual([]);
    expect(assessmentChanges(state({ tier: 'alert' }, [1]), state({ tier: 'low' }))).toEqual([]);
  });

  it('names each new thing in words: recheck (rule rom_recheck) and complication', () => {
    const next = state(
      {
        reasons: [
          { rule: 'rom_recheck', detail: 'x', evidence, site: 'knee', side: 'left' },
          { rule: 'coma_days', detail: 'Coma 20 days', evidence },
        ],
      },
      [7],
    );
    expect(assessmentChanges(state(), next)).toEqual([
      { kind: 'recheck', detail: 'Recheck due: Left knee' },
      { kind: 'complication', detail: 'New complication: pneumonia' },
    ]);
    // The same recheck again is not new.
    expect(assessmentChanges(next, next)).toEqual([]);
    expect(needsRecheck(next.assessment)).toBe(true);
    expect(needsRecheck(state({ flags: ['recheck'] }).assessment)).toBe(true);
    expect(needsRecheck(state().assessment)).toBe(false);
  });
});

describe('strongestFinding', () => {
  it('passes over background risk factors to the first finding', () => {
    expect(
      strongestFinding([
        { rule: 'coma_days', detail: 'Coma 20 days' },
        { rule: 'rom_decline', detail: 'Left knee flexion 108°' },
      ]),
    ).toBe('Left knee flexion 108°');
    expect(strongestFinding([{ rule: 'coma_days', detail: 'Coma 20 days' }])).toBe('Coma 20 days');
    expect(strongestFinding([])).toBeNull();
  });
});

describe('shiftStartBefore', () => {
  const hours = [7, 15, 23];
  it('is the latest shift start in ward time, yesterday evening before 07:00', () => {
    const at = (iso: string) =>
      new Date(shiftStartBefore(Date.parse(iso), 'Europe/Berlin', hours)).toISOString();
    // Berlin is UTC+1 in January: 07:00 local is 06:00 UTC.
    expect(at('2026-01-15T06:00:00.000Z')).toBe('2026-01-15T06:00:00.000Z');
    expect(at('2026-01-15T05:59:00.000Z')).toBe('2026-01-14T22:00:00.000Z');
    expect(at('2026-01-15T14:30:00.000Z')).toBe('2026-01-15T14:00:00.000Z');
    // Summer time (UTC+2).
    expect(at('2026-07-15T12:00:00.000Z')).toBe('2026-07-15T05:00:00.000Z');
  });
});
