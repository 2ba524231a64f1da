import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assessPatient } from './assess.ts';
import { compareTiers } from './scales.ts';
import type { PatientRecord, RomReading } from './model.ts';
import { day, injury, record } from '../test/builders.ts';

const readingArb = fc.record({
  site: fc.constantFrom('hip' as const, 'knee' as const, 'elbow' as const),
  side: fc.constantFrom('left' as const, 'right' as const),
  mode: fc.constantFrom('active' as const, 'passive' as const),
  day: fc.integer({ min: 0, max: 1500 }).map((tenths) => tenths / 10),
  degrees: fc.integer({ min: 0, max: 140 }),
});

const recordArb = fc
  .record({
    readings: fc.array(readingArb, { maxLength: 25 }),
    signs: fc.array(
      fc.record({
        site: fc.constantFrom('hip' as const, 'knee' as const),
        side: fc.constantFrom('left' as const, 'right' as const),
        day: fc.integer({ min: 0, max: 150 }),
        warmth: fc.boolean(),
      }),
      { maxLength: 4 },
    ),
    positiveImagingDay: fc.option(fc.integer({ min: 10, max: 150 }), { nil: null }),
    excisionDay: fc.option(fc.integer({ min: 10, max: 150 }), { nil: null }),
    dai: fc.option(fc.boolean(), { nil: null }),
    psh: fc.option(fc.boolean(), { nil: null }),
    gcs: fc.option(fc.integer({ min: 3, max: 15 }), { nil: null }),
  })
  .map((g): PatientRecord =>
    record({
      injury: injury({
        diffuseAxonalInjury: g.dai,
        autonomicDysregulation: g.psh,
        lowestGcs: g.gcs,
      }),
      romReadings: g.readings.map((r, i): RomReading => ({
        id: i + 1,
        sessionId: i + 1,
        site: r.site,
        side: r.side,
        movement: 'flexion',
        mode: r.mode,
        degrees: r.degrees,
        takenAt: day(r.day),
      })),
      jointObservations: g.signs.map((s, i) => ({
        id: i + 1,
        site: s.site,
        side: s.side,
        swelling: null,
        warmth: s.warmth,
        erythema: null,
        pain: null,
        takenAt: day(s.day),
      })),
      imaging:
        g.positiveImagingDay === null
          ? []
          : [
              {
                id: 1,
                modality: 'bone_scan',
                site: 'hip',
                side: 'left',
                result: 'positive',
                grade: null,
                takenAt: day(g.positiveImagingDay),
              },
            ],
      interventions:
        g.excisionDay === null
          ? []
          : [
              {
                id: 1,
                kind: 'excision',
                site: 'knee',
                side: 'right',
                performedAt: day(g.excisionDay),
              },
            ],
    }),
  );

const nowArb = fc.integer({ min: 0, max: 1600 }).map((tenths) => day(tenths / 10));

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 16807) % 2147483647;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('HO watch properties', () => {
  it('does not depend on the order readings and observations arrive in', () => {
    fc.assert(
      fc.property(recordArb, nowArb, fc.integer({ min: 1, max: 1e6 }), (r, now, seed) => {
        const shuffled: PatientRecord = {
          ...r,
          romReadings: shuffle(r.romReadings, seed),
          jointObservations: shuffle(r.jointObservations, seed + 1),
        };
        expect(assessPatient(shuffled, now)).toEqual(assessPatient(r, now));
      }),
    );
  });

  it('never lowers the tier when the latest reading of a series is lower', () => {
    fc.assert(
      fc.property(
        recordArb,
        nowArb,
        fc.nat(),
        fc.integer({ min: 1, max: 60 }),
        (r, now, pick, drop) => {
          const visible = r.romReadings.filter((x) => Date.parse(x.takenAt) <= Date.parse(now));
          if (visible.length === 0) return;
          const chosen = visible[pick % visible.length]!;
          const series = visible.filter(
            (x) =>
              x.site === chosen.site &&
              x.side === chosen.side &&
              x.movement === chosen.movement &&
              x.mode === chosen.mode,
          );
          const latest = series.reduce((a, b) =>
            Date.parse(b.takenAt) > Date.parse(a.takenAt) ||
            (b.takenAt === a.takenAt && b.id > a.id)
              ? b
              : a,
          );
          const lowered: PatientRecord = {
            ...r,
            romReadings: r.romReadings.map((x) =>
              x.id === latest.id ? { ...x, degrees: x.degrees - drop } : x,
            ),
          };
          const before = assessPatient(r, now).tier;
          const after = assessPatient(lowered, now).tier;
          expect(compareTiers(after, before)).toBeLessThanOrEqual(0);
        },
      ),
    );
  });

  it('never lowers the tier when a major risk factor is added', () => {
    const addFactor: ((r: PatientRecord, now: string) => PatientRecord)[] = [
      (r) => ({ ...r, injury: { ...r.injury, comaDays: 30 } }),
      (r) => ({ ...r, injury: { ...r.injury, ventilationDays: 21 } }),
      (r) => ({ ...r, injury: { ...r.injury, autonomicDysregulation: true } }),
      (r) => ({ ...r, injury: { ...r.injury, diffuseAxonalInjury: true } }),
      (r) => ({ ...r, injury: { ...r.injury, type: 'sci', aisGrade: 'A' } }),
      (r) => ({
        ...r,
        injury: { ...r.injury, surgicalFractures: [{ limb: 'left_leg', fixedAt: null }] },
      }),
      (r, now) => ({
        ...r,
        spasticity: [{ id: 99, site: 'knee', side: 'left', grade: '3', takenAt: now }],
      }),
      (r, now) => ({
        ...r,
        mobility: [{ id: 99, scale: 'fac', code: '0', takenAt: now }],
      }),
      (r, now) => ({
        ...r,
        complications: [
          {
            id: 99,
            kind: 'pneumonia',
            onsetAt: now,
            resolvedAt: null,
            wardId: 1,
            presentOnAdmission: true,
          },
        ],
      }),
      (r, now) => ({
        ...r,
        complications: [
          {
            id: 98,
            kind: 'pressure_injury',
            bodySite: 'heel',
            stage: '3',
            deviceRelated: false,
            onsetAt: now,
            resolvedAt: null,
            wardId: 1,
            presentOnAdmission: false,
          },
        ],
      }),
    ];
    fc.assert(
      fc.property(
        recordArb,
        nowArb,
        fc.integer({ min: 0, max: addFactor.length - 1 }),
        (r, now, which) => {
          const withFactor = addFactor[which]!(r, now);
          const before = assessPatient(r, now);
          const after = assessPatient(withFactor, now);
          expect(compareTiers(after.tier, before.tier)).toBeLessThanOrEqual(0);
          expect(after.majorFactorCount).toBeGreaterThanOrEqual(before.majorFactorCount ?? 0);
        },
      ),
    );
  });

  it('always gives ten sites and sentences without holes', () => {
    fc.assert(
      fc.property(recordArb, nowArb, (r, now) => {
        const a = assessPatient(r, now);
        expect(a.sites).toHaveLength(10);
        for (const reason of a.reasons) {
          expect(reason.detail).not.toMatch(/undefined|NaN|null|\[object/);
        }
        if (a.flags.includes('overdue')) expect(['alert', 'high']).toContain(a.tier);
      }),
    );
  });
});
