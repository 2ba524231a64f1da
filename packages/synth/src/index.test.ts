import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  countEstimate,
  generatePatients,
  planHospital,
  type HospitalOptions,
  type SyntheticPatient,
} from './index.ts';

const NOW = '2026-03-01T12:00:00.000Z';
const demo: HospitalOptions = { seed: 7, scale: 1, now: NOW };

function hashHospital(options: HospitalOptions): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(planHospital(options)));
  for (const patient of generatePatients(options)) hash.update(JSON.stringify(patient));
  return hash.digest('hex');
}

function firstPatients(options: HospitalOptions, n: number): SyntheticPatient[] {
  const out: SyntheticPatient[] = [];
  for (const p of generatePatients(options)) {
    out.push(p);
    if (out.length === n) break;
  }
  return out;
}

describe('determinism', () => {
  it('streams the same hospital, byte for byte, for the same options', () => {
    const short = { ...demo, historyMonths: 4 };
    expect(hashHospital(short)).toBe(hashHospital(short));
  });

  it('makes another hospital from another seed', () => {
    expect(planHospital({ ...demo, seed: 8 })).not.toEqual(planHospital(demo));
    expect(JSON.stringify(firstPatients({ ...demo, seed: 8 }, 5))).not.toBe(
      JSON.stringify(firstPatients(demo, 5)),
    );
  });
});

describe('options', () => {
  it('refuses a now that is not an instant, a bad scale or an unknown time zone', () => {
    expect(() => planHospital({ ...demo, now: 'yesterday' })).toThrow(RangeError);
    expect(() => planHospital({ ...demo, scale: 0 })).toThrow(RangeError);
    expect(() => planHospital({ ...demo, timeZone: 'Mars/Olympus_Mons' })).toThrow(RangeError);
  });

  it('places every ward in the requested time zone', () => {
    const plan = planHospital({ ...demo, timeZone: 'America/New_York' });
    expect(plan.wards.every((w) => w.timeZone === 'America/New_York')).toBe(true);
  });
});

describe('the plan', () => {
  it('has three named wards of 20–30 uniquely labelled beds at scale 1', () => {
    const plan = planHospital(demo);
    expect(plan.wards.map((w) => w.name)).toEqual([
      'Neurorehabilitation A',
      'Neurorehabilitation B',
      'Spinal Injuries Unit',
    ]);
    for (const ward of plan.wards) {
      expect(ward.beds.length).toBeGreaterThanOrEqual(20);
      expect(ward.beds.length).toBeLessThanOrEqual(30);
    }
    const allBeds = plan.wards.flatMap((w) => w.beds);
    expect(new Set(allBeds).size).toBe(allBeds.length);
  });

  it('grows to 40 wards with distinct names at the benchmark scale', () => {
    const plan = planHospital({ ...demo, scale: 13 });
    expect(plan.wards).toHaveLength(40);
    expect(new Set(plan.wards.map((w) => w.name)).size).toBe(40);
    expect(plan.wards.filter((w) => w.kind === 'spinal').length).toBe(10);
  });

  it('staffs every ward with nurses, therapists and physicians, none of them a demo account', () => {
    const plan = planHospital(demo);
    const usernames = plan.staff.map((s) => s.username);
    expect(new Set(usernames).size).toBe(usernames.length);
    for (const demoAccount of ['nurse', 'therapist', 'physician', 'manager', 'admin']) {
      expect(usernames).not.toContain(demoAccount);
    }
    for (const ward of plan.wards) {
      for (const role of ['nurse', 'therapist', 'physician'] as const) {
        const onWard = plan.staff.filter(
          (s) => s.roles.includes(role) && s.wardKeys.includes(ward.key),
        );
        expect(onWard.length, `${role} on ${ward.name}`).toBeGreaterThanOrEqual(2);
      }
    }
    expect(plan.staff.some((s) => s.roles.includes('admin'))).toBe(true);
    expect(plan.staff.some((s) => s.roles.includes('manager'))).toBe(true);
  });
});

describe('size', () => {
  it('estimates the demo within 15% of what it generates', () => {
    const estimate = countEstimate(demo);
    let readings = 0;
    let stays = 0;
    let patients = 0;
    let current = 0;
    for (const p of generatePatients(demo)) {
      patients += 1;
      stays += p.record.stays.length;
      readings += p.record.romReadings.length;
      if (p.currentBedLabel !== null) current += 1;
    }
    expect(estimate.patients).toBe(patients);
    expect(estimate.stays).toBe(stays);
    expect(estimate.currentPatients).toBe(current);
    expect(Math.abs(estimate.romReadings - readings) / readings).toBeLessThan(0.15);
  });

  it('reaches the benchmark hospital of PRODUCT §9 at scale 13 with 36 months of history', () => {
    const estimate = countEstimate({ ...demo, scale: 13, historyMonths: 36 });
    expect(estimate.wards).toBe(40);
    expect(estimate.currentPatients).toBeGreaterThanOrEqual(850);
    expect(estimate.currentPatients).toBeLessThanOrEqual(1150);
    expect(estimate.stays).toBeGreaterThanOrEqual(17_000);
    expect(estimate.stays).toBeLessThanOrEqual(25_000);
    expect(estimate.romReadings).toBeGreaterThanOrEqual(5_000_000);
  });
});
