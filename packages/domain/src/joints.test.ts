import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  JOINT_CATALOG,
  JOINT_SITES,
  checkRomValue,
  movementSpec,
  movementsOf,
  readingLabel,
} from './joints.ts';

describe('joint catalog', () => {
  it('covers every site, each with at least two movements', () => {
    for (const site of JOINT_SITES) {
      expect(movementsOf(site).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('gives the elbow forearm rotation and the ankle no flexion', () => {
    expect(movementsOf('elbow')).toEqual(['flexion', 'extension', 'pronation', 'supination']);
    expect(movementSpec('ankle', 'flexion')).toBeUndefined();
  });

  it('keeps every normal value inside its own plausible bounds, with a cited source', () => {
    for (const entry of JOINT_CATALOG) {
      expect(entry.normalDegrees).toBeGreaterThanOrEqual(entry.plausibleMin);
      expect(entry.normalDegrees).toBeLessThanOrEqual(entry.plausibleMax);
      expect(entry.normalSource.citation).toMatch(/CR §3\.1/);
    }
  });

  it('uses the published normals (CR §3.1)', () => {
    expect(movementSpec('elbow', 'flexion')?.normalDegrees).toBe(150);
    expect(movementSpec('hip', 'flexion')?.normalDegrees).toBe(125);
    expect(movementSpec('knee', 'extension')?.normalDegrees).toBe(0);
    expect(movementSpec('ankle', 'dorsiflexion')?.normalDegrees).toBe(20);
  });
});

describe('checkRomValue', () => {
  it('refuses a hip flexion of 400° as a typing error, naming the range', () => {
    const problem = checkRomValue('hip', 'flexion', 400);
    expect(problem?.kind).toBe('out_of_bounds');
    expect(problem?.message).toContain('0° to 150°');
  });

  it('accepts a real elbow flexion contracture recorded as negative extension', () => {
    expect(checkRomValue('elbow', 'extension', -40)).toBeUndefined();
  });

  it('refuses a movement the joint does not have', () => {
    expect(checkRomValue('knee', 'pronation', 10)?.kind).toBe('unknown_movement');
  });

  it('refuses NaN and infinities', () => {
    expect(checkRomValue('knee', 'flexion', Number.NaN)?.kind).toBe('not_a_number');
    expect(checkRomValue('knee', 'flexion', Number.POSITIVE_INFINITY)?.kind).toBe('not_a_number');
  });

  it('accepts exactly the bounds and refuses just outside them', () => {
    fc.assert(
      fc.property(fc.constantFrom(...JOINT_CATALOG), (entry) => {
        expect(checkRomValue(entry.site, entry.movement, entry.plausibleMin)).toBeUndefined();
        expect(checkRomValue(entry.site, entry.movement, entry.plausibleMax)).toBeUndefined();
        expect(checkRomValue(entry.site, entry.movement, entry.plausibleMax + 0.5)).toBeDefined();
        expect(checkRomValue(entry.site, entry.movement, entry.plausibleMin - 0.5)).toBeDefined();
      }),
    );
  });
});

describe('readingLabel', () => {
  it('reads as the entry grid labels its inputs', () => {
    expect(readingLabel('left', 'hip', 'flexion', 'passive')).toBe('Left hip flexion (passive)');
    expect(readingLabel('right', 'elbow', 'pronation', 'active')).toBe(
      'Right elbow forearm pronation (active)',
    );
  });
});
