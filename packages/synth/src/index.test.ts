import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generatePatients, planHospital, type HospitalOptions } from './index.ts';

const demo: HospitalOptions = { seed: 7, scale: 1, now: '2026-03-01T12:00:00.000Z' };

function hashHospital(options: HospitalOptions): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(planHospital(options)));
  for (const patient of generatePatients(options)) hash.update(JSON.stringify(patient));
  return hash.digest('hex');
}

describe('determinism', () => {
  it('gives the same hospital for the same options, and another for another seed', () => {
    const a = hashHospital(demo);
    expect(hashHospital(demo)).toBe(a);
    expect(hashHospital({ ...demo, seed: 8 })).not.toBe(a);
  });
});

describe('the demo hospital', () => {
  it('has three named wards of 20–30 beds', () => {
    const plan = planHospital(demo);
    expect(plan.wards.map((w) => w.name)).toEqual([
      'Neurorehabilitation A',
      'Neurorehabilitation B',
      'Spinal Injuries Unit',
    ]);
    for (const ward of plan.wards) {
      expect(ward.beds.length).toBeGreaterThanOrEqual(20);
      expect(ward.beds.length).toBeLessThanOrEqual(30);
      expect(new Set(ward.beds).size).toBe(ward.beds.length);
    }
  });
});
