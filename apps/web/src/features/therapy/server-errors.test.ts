import { describe, expect, it } from 'vitest';
import { nameField } from './server-errors.ts';

const readings = [
  { site: 'knee', side: 'right', movement: 'flexion', mode: 'active', degrees: 100 },
  { site: 'hip', side: 'left', movement: 'flexion', mode: 'passive', degrees: 400 },
] as const;

describe('nameField', () => {
  it('names the reading a server error points at by index', () => {
    expect(nameField('readings.1.degrees', readings)).toBe('Left hip flexion (passive) degrees');
    expect(nameField('readings.0', readings)).toBe('Right knee flexion (active)');
  });

  it('leaves fields it cannot resolve as they are', () => {
    expect(nameField('takenAt', readings)).toBe('takenAt');
    expect(nameField('readings.9.degrees', readings)).toBe('readings.9.degrees');
  });
});
