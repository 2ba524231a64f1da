import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  entryRows,
  evaluateTyped,
  formatChange,
  latestByCell,
  otherSideKey,
  sessionFromValues,
  type EntryCell,
  type RomReadingLike,
} from './entry.utils.ts';

const rows = entryRows();
const cells = rows.flatMap((row) => row.cells);
const leftHipFlexionPassive = cells.find((c) => c.label === 'Left hip flexion (passive)')!;

describe('entryRows', () => {
  it('has a labelled cell for every side, movement and mode of the catalog', () => {
    expect(rows).toHaveLength(19);
    expect(cells).toHaveLength(19 * 4);
    expect(new Set(cells.map((c) => c.label)).size).toBe(cells.length);
    expect(cells.map((c) => c.label)).toContain('Right elbow forearm supination (active)');
  });

  it('orders each row left before right, passive before active', () => {
    const hipFlexion = rows.find((r) => r.site === 'hip' && r.movement === 'flexion')!;
    expect(hipFlexion.cells.map((c) => c.label)).toEqual([
      'Left hip flexion (passive)',
      'Left hip flexion (active)',
      'Right hip flexion (passive)',
      'Right hip flexion (active)',
    ]);
  });

  it('can leave a mode out', () => {
    expect(entryRows(['passive']).flatMap((r) => r.cells)).toHaveLength(19 * 2);
  });
});

describe('latestByCell and the other side', () => {
  const readings: RomReadingLike[] = [
    {
      site: 'hip',
      side: 'left',
      movement: 'flexion',
      mode: 'passive',
      degrees: 110,
      takenAt: '2026-03-01T09:00:00Z',
    },
    {
      site: 'hip',
      side: 'left',
      movement: 'flexion',
      mode: 'passive',
      degrees: 95,
      takenAt: '2026-03-08T09:00:00Z',
    },
    {
      site: 'hip',
      side: 'left',
      movement: 'flexion',
      mode: 'passive',
      degrees: 120,
      takenAt: '2026-02-20T09:00:00Z',
    },
    {
      site: 'hip',
      side: 'right',
      movement: 'flexion',
      mode: 'passive',
      degrees: 118,
      takenAt: '2026-03-08T09:00:00Z',
    },
  ];

  it('keeps the most recent reading, not the largest or the last in the list', () => {
    const latest = latestByCell(readings);
    expect(latest.get(leftHipFlexionPassive.key)?.degrees).toBe(95);
    expect(latest.get(otherSideKey(leftHipFlexionPassive))?.degrees).toBe(118);
    expect(latest.size).toBe(2);
  });
});

describe('evaluateTyped', () => {
  const last = { ...leftHipFlexionPassive, degrees: 110, takenAt: '2026-03-01T09:00:00Z' };

  it('treats an empty cell as not measured', () => {
    expect(evaluateTyped('  ', leftHipFlexionPassive, last)).toEqual({ kind: 'empty' });
  });

  it('refuses an implausible value and says which reading and which bounds', () => {
    const typed = evaluateTyped('400', leftHipFlexionPassive, last);
    expect(typed.kind).toBe('invalid');
    expect(typed.kind === 'invalid' && typed.message).toMatch(
      /Left hip flexion \(passive\).*0° to 150°/,
    );
  });

  it('refuses text that is not a number', () => {
    expect(evaluateTyped('9O', leftHipFlexionPassive, last).kind).toBe('invalid');
  });

  it('shows the change from the last reading and flags a fall of 15° or more', () => {
    expect(evaluateTyped('82', leftHipFlexionPassive, last)).toEqual({
      kind: 'value',
      degrees: 82,
      change: -28,
      falling: true,
    });
    expect(evaluateTyped('100', leftHipFlexionPassive, last)).toEqual({
      kind: 'value',
      degrees: 100,
      change: -10,
      falling: false,
    });
  });

  it('flags a fall of 20% even when it is under 15°', () => {
    const small = { ...last, degrees: 50 };
    expect(evaluateTyped('39', leftHipFlexionPassive, small)).toMatchObject({ falling: true });
  });

  it('accepts negative values for a joint that cannot reach neutral', () => {
    const elbowExtension = cells.find((c) => c.label === 'Left elbow extension (passive)')!;
    expect(evaluateTyped('-40', elbowExtension, undefined)).toEqual({
      kind: 'value',
      degrees: -40,
      change: null,
      falling: false,
    });
  });

  it('never calls a rise "falling"', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 150 }),
        fc.integer({ min: 0, max: 150 }),
        (before, now) => {
          fc.pre(now >= before);
          const typed = evaluateTyped(String(now), leftHipFlexionPassive, {
            ...last,
            degrees: before,
          });
          return typed.kind === 'value' && !typed.falling && typed.change === now - before;
        },
      ),
    );
  });
});

describe('formatChange', () => {
  it('writes signed degrees with a true minus sign', () => {
    expect(formatChange(-28)).toBe('−28°');
    expect(formatChange(5)).toBe('+5°');
    expect(formatChange(0)).toBe('±0°');
  });
});

describe('sessionFromValues', () => {
  it('saves only the cells that were filled in', () => {
    const { readings, problems } = sessionFromValues(rows, {
      [leftHipFlexionPassive.key]: '95',
      [cells[0]!.key]: '',
    });
    expect(problems).toEqual([]);
    expect(readings).toEqual([
      { site: 'hip', side: 'left', movement: 'flexion', mode: 'passive', degrees: 95 },
    ]);
  });

  it('lists every bad value by its label', () => {
    const bad: EntryCell = leftHipFlexionPassive;
    const { readings, problems } = sessionFromValues(rows, { [bad.key]: '400' });
    expect(readings).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain('Left hip flexion (passive)');
  });
});
