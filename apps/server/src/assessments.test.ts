import { zoneCalendar } from '@ossiwatch/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  loadHoWatchSettings,
  nextLocalMidnight,
  reassessPatient,
  refreshExpiredAssessments,
} from './assessments.ts';
import { romReadings, romSessions, settings, wards } from './db/schema.ts';
import { loadPatientRecord } from './record.ts';
import { admitPatient, makeWard, migratedMemoryDb } from './test-support.ts';
import { eq } from 'drizzle-orm';

describe('nextLocalMidnight', () => {
  it('is the first instant of the next local day, across daylight-saving changes', () => {
    const zones = [
      'Europe/London',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
      'UTC',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2024-01-01'), max: Date.parse('2030-01-01') }),
        fc.constantFrom(...zones),
        (nowMs, zone) => {
          const calendar = zoneCalendar(zone);
          const midnight = nextLocalMidnight(nowMs, zone);
          expect(midnight).toBeGreaterThan(nowMs);
          expect(calendar.localDay(midnight)).toBe(calendar.localDay(nowMs) + 1);
          expect(calendar.localDay(midnight - 1)).toBe(calendar.localDay(nowMs));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('loadPatientRecord and reassessPatient', () => {
  it('maps the rows to the domain record and stores the assessment until local midnight', () => {
    const db = migratedMemoryDb();
    const { wardId } = makeWard(db, 'A');
    db.update(wards).set({ timeZone: 'America/New_York' }).where(eq(wards.id, wardId)).run();
    const patientId = admitPatient(db, { wardId, injury: { comaDays: 21, aisGrade: null } });
    const session = db
      .insert(romSessions)
      .values({ patientId, takenAt: '2026-02-01T10:00:00.000Z' })
      .returning()
      .get();
    db.insert(romReadings)
      .values({
        sessionId: session.id,
        patientId,
        site: 'elbow',
        side: 'right',
        movement: 'flexion',
        mode: 'active',
        degrees: 120,
        takenAt: session.takenAt,
      })
      .run();
    const record = loadPatientRecord(db, patientId)!;
    expect(record.injury).toMatchObject({ type: 'tbi', comaDays: 21, surgicalFractures: [] });
    expect(record.stays).toEqual([
      expect.objectContaining({ wardId, dischargedAt: null, bedLabel: null }),
    ]);
    expect(record.romReadings).toEqual([
      expect.objectContaining({ site: 'elbow', movement: 'flexion', degrees: 120 }),
    ]);
    expect(loadPatientRecord(db, 999)).toBeUndefined();

    // 20:00 UTC on 10 February is 15:00 in New York: valid until 05:00 UTC on the 11th.
    const stored = reassessPatient(db, patientId, new Date('2026-02-10T20:00:00.000Z'))!;
    expect(stored.validUntil).toBe('2026-02-11T05:00:00.000Z');
    expect(stored.assessment.daysSinceInjury).toBe(40);
  });

  it('ends validity early when an entry dated a little ahead comes into view', () => {
    const db = migratedMemoryDb();
    const { wardId } = makeWard(db, 'A');
    const patientId = admitPatient(db, { wardId });
    db.insert(romSessions).values({ patientId, takenAt: '2026-02-10T10:03:00.000Z' }).run();
    const stored = reassessPatient(db, patientId, new Date('2026-02-10T10:00:00.000Z'))!;
    expect(stored.validUntil).toBe('2026-02-11T00:00:00.000Z');
    const readingAhead = new Date('2026-02-10T10:03:00.000Z');
    const session = db.select().from(romSessions).get()!;
    db.insert(romReadings)
      .values({
        sessionId: session.id,
        patientId,
        site: 'knee',
        side: 'left',
        movement: 'flexion',
        mode: 'passive',
        degrees: 100,
        takenAt: readingAhead.toISOString(),
      })
      .run();
    expect(reassessPatient(db, patientId, new Date('2026-02-10T10:00:00.000Z'))!.validUntil).toBe(
      readingAhead.toISOString(),
    );
  });

  it('reads the HO watch settings from the settings table, or the defaults', () => {
    const db = migratedMemoryDb();
    expect(loadHoWatchSettings(db).vigilanceStartDay).toBe(14);
    db.insert(settings)
      .values({ key: 'ho_watch', value: { vigilanceStartDay: 10 } })
      .run();
    expect(loadHoWatchSettings(db).vigilanceStartDay).toBe(10);
    // A change is read at the next write, and the other database keeps its own settings.
    db.update(settings)
      .set({ value: { vigilanceStartDay: 12 } })
      .where(eq(settings.key, 'ho_watch'))
      .run();
    expect(loadHoWatchSettings(db).vigilanceStartDay).toBe(12);
    expect(loadHoWatchSettings(migratedMemoryDb()).vigilanceStartDay).toBe(14);
  });
});

describe('refreshExpiredAssessments', () => {
  it('recomputes only expired rows, a slice at a time', () => {
    const db = migratedMemoryDb();
    const { wardId } = makeWard(db, 'A');
    const ids = [1, 2, 3].map(() => admitPatient(db, { wardId }));
    const evening = new Date('2026-02-10T20:00:00.000Z');
    for (const id of ids) reassessPatient(db, id, evening);
    expect(refreshExpiredAssessments(db, evening, 2)).toBe(0);
    const morning = new Date('2026-02-11T06:00:00.000Z');
    expect(refreshExpiredAssessments(db, morning, 2)).toBe(2);
    expect(refreshExpiredAssessments(db, morning, 2)).toBe(1);
    expect(refreshExpiredAssessments(db, morning, 2)).toBe(0);
  });
});
