/**
 * Corrections through the real procedures on an in-memory database with every migration: entered in
 * error and amend for every kind of clinical record, their refusals, and what they do to the
 * assessment, the board's live events and the audit log.
 */
import { describe, expect, it } from 'vitest';
import { flushAudit } from './audit.ts';
import type { RecordKind } from './corrections.ts';
import { auditLog, patientAssessments } from './db/schema.ts';
import { eventBusFor } from './events.ts';
import { loadPatientRecord } from './record.ts';
import {
  admitPatient,
  callerAs,
  makeUser,
  makeWard,
  migratedMemoryDb,
  type Caller,
} from './test-support.ts';
import { eq } from 'drizzle-orm';

const INJURY = '2026-01-01T00:00:00.000Z';
const NOW = new Date('2026-02-10T10:00:00.000Z');
const clock = () => NOW;
const EARLIER = '2026-02-10T08:00:00.000Z';

async function arrange() {
  const db = migratedMemoryDb();
  const { wardId, bedIds } = makeWard(db, 'A');
  const patientId = admitPatient(db, {
    wardId,
    bedId: bedIds[0],
    injuryAt: INJURY,
    admittedAt: '2026-01-05T00:00:00.000Z',
  });
  const nurse = callerAs(db, await makeUser(db, ['nurse'], [wardId]), clock);
  const otherNurse = callerAs(db, await makeUser(db, ['nurse'], [wardId]), clock);
  const physician = callerAs(db, await makeUser(db, ['physician'], [wardId]), clock);
  const therapist = callerAs(db, await makeUser(db, ['therapist'], [wardId]), clock);
  return { db, wardId, patientId, nurse, otherNurse, physician, therapist };
}
type Arranged = Awaited<ReturnType<typeof arrange>>;

/** How to make one record of a kind, its author, a valid correction, and where the loader shows it. */
interface KindCase {
  readonly kind: RecordKind;
  readonly author: (a: Arranged) => Caller;
  readonly create: (a: Arranged) => Promise<number>;
  readonly changes: Record<string, unknown>;
  /** The record's current rows as the assessment sees them (by id), and the changed value. */
  readonly loaded: (a: Arranged) => { id: number; value: unknown }[];
}

const CASES: readonly KindCase[] = [
  {
    kind: 'rom',
    author: (a) => a.therapist,
    create: async (a) =>
      (
        await a.therapist.rom.recordSession({
          patientId: a.patientId,
          takenAt: EARLIER,
          readings: [
            { site: 'knee', side: 'left', movement: 'flexion', mode: 'passive', degrees: 12 },
          ],
        })
      ).readingIds[0]!,
    changes: { degrees: 120 },
    loaded: (a) =>
      loadPatientRecord(a.db, a.patientId)!.romReadings.map((r) => ({
        id: r.id,
        value: r.degrees,
      })),
  },
  {
    kind: 'spasticity',
    author: (a) => a.therapist,
    create: async (a) =>
      (
        await a.therapist.therapy.recordScales({
          patientId: a.patientId,
          takenAt: EARLIER,
          spasticity: [{ site: 'elbow', side: 'right', grade: '2' }],
        })
      ).spasticityIds[0]!,
    changes: { grade: '1+' },
    loaded: (a) =>
      loadPatientRecord(a.db, a.patientId)!.spasticity.map((r) => ({ id: r.id, value: r.grade })),
  },
  {
    kind: 'mobility',
    author: (a) => a.therapist,
    create: async (a) =>
      (
        await a.therapist.therapy.recordScales({
          patientId: a.patientId,
          takenAt: EARLIER,
          mobility: [{ scale: 'jh_hlm', code: '2' }],
        })
      ).mobilityIds[0]!,
    changes: { code: '6' },
    loaded: (a) =>
      loadPatientRecord(a.db, a.patientId)!.mobility.map((r) => ({ id: r.id, value: r.code })),
  },
  {
    kind: 'braden',
    author: (a) => a.nurse,
    create: async (a) =>
      (
        await a.nurse.nursing.recordBraden({
          patientId: a.patientId,
          takenAt: EARLIER,
          sensoryPerception: 2,
          moisture: 2,
          activity: 2,
          mobility: 2,
          nutrition: 2,
          frictionShear: 2,
        })
      ).id,
    changes: { moisture: 4 },
    loaded: (a) =>
      loadPatientRecord(a.db, a.patientId)!.braden.map((r) => ({ id: r.id, value: r.moisture })),
  },
  {
    kind: 'joint',
    author: (a) => a.nurse,
    create: async (a) =>
      (
        await a.nurse.nursing.recordJointSigns({
          patientId: a.patientId,
          takenAt: EARLIER,
          observations: [{ site: 'hip', side: 'left', swelling: true }],
        })
      ).observationIds[0]!,
    changes: { swelling: false },
    loaded: (a) =>
      loadPatientRecord(a.db, a.patientId)!.jointObservations.map((r) => ({
        id: r.id,
        value: r.swelling,
      })),
  },
  {
    kind: 'vital',
    author: (a) => a.nurse,
    create: async (a) =>
      (
        await a.nurse.nursing.recordVital({
          patientId: a.patientId,
          takenAt: EARLIER,
          kind: 'temperature',
          value: 39.8,
        })
      ).id,
    changes: { value: 36.8 },
    loaded: (a) =>
      loadPatientRecord(a.db, a.patientId)!.vitalsAndLabs.map((r) => ({
        id: r.id,
        value: r.value,
      })),
  },
  {
    kind: 'imaging',
    author: (a) => a.physician,
    create: async (a) =>
      (
        await a.physician.imaging.record({
          patientId: a.patientId,
          takenAt: EARLIER,
          modality: 'bone_scan',
          site: 'hip',
          side: 'left',
          result: 'positive',
        })
      ).id,
    changes: { result: 'negative' },
    loaded: (a) =>
      loadPatientRecord(a.db, a.patientId)!.imaging.map((r) => ({ id: r.id, value: r.result })),
  },
  {
    kind: 'diagnosis',
    author: (a) => a.physician,
    create: async (a) =>
      (
        await a.physician.diagnosis.record({
          patientId: a.patientId,
          diagnosedAt: EARLIER,
          site: 'hip',
          side: 'left',
          finding: 'ho_confirmed',
        })
      ).id,
    changes: { finding: 'ho_ruled_out', note: 'CT negative' },
    // Diagnoses are not part of the rules' record: the timeline is where they show.
    loaded: (a) =>
      a.db.$client
        .prepare(
          `SELECT id, finding AS value FROM ho_diagnoses WHERE patient_id = ? AND status IN ('final', 'amended')`,
        )
        .all(a.patientId) as { id: number; value: unknown }[],
  },
  {
    kind: 'complication',
    author: (a) => a.nurse,
    create: async (a) =>
      (
        await a.nurse.complication.start({
          patientId: a.patientId,
          onsetAt: EARLIER,
          presentOnAdmission: false,
          complication: { kind: 'pneumonia' },
        })
      ).id,
    changes: { onsetAt: '2026-02-09T08:00:00.000Z' },
    loaded: (a) =>
      loadPatientRecord(a.db, a.patientId)!.complications.map((r) => ({
        id: r.id,
        value: r.onsetAt,
      })),
  },
  {
    kind: 'catheter',
    author: (a) => a.nurse,
    create: async (a) =>
      (await a.nurse.nursing.insertCatheter({ patientId: a.patientId, insertedAt: EARLIER })).id,
    changes: { insertedAt: '2026-02-10T07:00:00.000Z' },
    loaded: (a) =>
      loadPatientRecord(a.db, a.patientId)!.catheterEpisodes.map((r) => ({
        id: r.id,
        value: r.insertedAt,
      })),
  },
  {
    kind: 'intervention',
    author: (a) => a.physician,
    create: async (a) =>
      (
        await a.physician.intervention.start({
          patientId: a.patientId,
          startedAt: EARLIER,
          intervention: { kind: 'nsaid', drug: 'indomethacin', doseMg: 75 },
        })
      ).id,
    changes: { doseMg: 50 },
    loaded: (a) =>
      loadPatientRecord(a.db, a.patientId)!.interventions.map((r) => ({
        id: r.id,
        value: r.kind === 'nsaid' ? r.doseMg : null,
      })),
  },
];

describe.each(CASES)('corrections of a $kind record', (c) => {
  it('entered in error: kept with who, when and why, out of the record, audited; only once', async () => {
    const a = await arrange();
    const id = await c.create(a);
    expect(c.loaded(a).map((r) => r.id)).toContain(id);
    const result = await c
      .author(a)
      .records.enterInError({ kind: c.kind, id, version: 1, reason: 'wrong patient' });
    expect(result).toMatchObject({ ids: [id], status: 'entered-in-error' });
    expect(c.loaded(a).map((r) => r.id)).not.toContain(id);
    const versions = await a.physician.records.versions({ kind: c.kind, id });
    expect(versions).toEqual([
      expect.objectContaining({
        id,
        status: 'entered-in-error',
        statusReason: 'wrong patient',
        statusAt: NOW.toISOString(),
        version: 2,
      }),
    ]);
    expect(versions[0]!.statusByName).toEqual(expect.any(String));
    const again = await c
      .author(a)
      .records.enterInError({ kind: c.kind, id, version: 2, reason: 'twice' })
      .catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'CONFLICT' });
    flushAudit(a.db);
    const audit = a.db.select().from(auditLog).where(eq(auditLog.action, 'records.enterInError'));
    expect(audit.all()).toEqual([
      expect.objectContaining({ category: 'write', outcome: 'success', patientId: a.patientId }),
    ]);
  });

  it('amend: a new current version with the change, the old one kept and linked; CONFLICT when stale', async () => {
    const a = await arrange();
    const id = await c.create(a);
    const amended = await a.physician.records.amend({
      kind: c.kind,
      id,
      version: 1,
      reason: 'typed in the wrong field',
      changes: c.changes,
    });
    expect(amended).toMatchObject({ supersedes: id, version: 1 });
    const [field, value] = Object.entries(c.changes)[0]!;
    const loaded = c.loaded(a);
    expect(loaded.map((r) => r.id)).toEqual([amended.id]);
    expect(loaded[0]!.value).toEqual(value);
    const versions = await a.nurse.records.versions({ kind: c.kind, id: amended.id });
    expect(versions.map((v) => [v.id, v.status, v.supersedes])).toEqual([
      [amended.id, 'amended', id],
      [id, 'superseded', null],
    ]);
    expect(versions[1]).toMatchObject({ statusReason: 'typed in the wrong field' });
    expect(versions[0]![field]).toEqual(typeof value === 'boolean' ? Number(value) : value);
    const stale = await a.physician.records
      .amend({
        kind: c.kind,
        id,
        version: 1,
        reason: 'again',
        changes: c.changes,
      })
      .catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: 'CONFLICT' });
    const wrongVersion = await a.physician.records
      .enterInError({ kind: c.kind, id: amended.id, version: 7, reason: 'stale' })
      .catch((e: unknown) => e);
    expect(wrongVersion).toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses someone who is neither the author nor a physician, changing nothing', async () => {
    const a = await arrange();
    const id = await c.create(a);
    const stranger = c.author(a) === a.nurse ? a.otherNurse : a.nurse;
    const error = await stranger.records
      .enterInError({ kind: c.kind, id, version: 1, reason: 'not mine' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'FORBIDDEN' });
    expect(c.loaded(a).map((r) => r.id)).toContain(id);
  });
});

describe('rom.enterInError', () => {
  /** Day 30 after injury: inside the HO vigilance window. */
  const day = (n: number, hour = 9) =>
    new Date(Date.parse(INJURY) + n * 86_400_000 + hour * 3_600_000).toISOString();

  it('a typo that made a site suspected, withdrawn: the tier returns, the board hears it, the reading stays listed', async () => {
    const db = migratedMemoryDb();
    const { wardId, bedIds } = makeWard(db, 'A');
    let now = new Date(day(28, 8));
    const clockNow = () => now;
    const patientId = admitPatient(db, {
      wardId,
      bedId: bedIds[0],
      injuryAt: INJURY,
      admittedAt: '2026-01-05T00:00:00.000Z',
    });
    const therapistUser = await makeUser(db, ['therapist'], [wardId]);
    const therapist = callerAs(db, therapistUser, clockNow);
    const nurse = callerAs(db, await makeUser(db, ['nurse'], [wardId]), clockNow);
    const hip = { site: 'hip', side: 'left', movement: 'flexion', mode: 'passive' } as const;
    await therapist.rom.recordSession({
      patientId,
      takenAt: day(27),
      readings: [{ ...hip, degrees: 108 }],
    });
    now = new Date(day(30, 10));
    await nurse.nursing.recordJointSigns({
      patientId,
      takenAt: day(30, 8),
      observations: [{ site: 'hip', side: 'left', warmth: true }],
    });
    const tierBefore = db
      .select()
      .from(patientAssessments)
      .where(eq(patientAssessments.patientId, patientId))
      .get()!.tier;
    const typo = await therapist.rom.recordSession({
      patientId,
      takenAt: day(30, 9),
      readings: [
        { ...hip, degrees: 12 },
        { ...hip, side: 'right', degrees: 110 },
      ],
    });
    const withTypo = (await nurse.patient.get({ patientId })).assessment!;
    expect(withTypo.sites).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ site: 'hip', side: 'left', state: 'suspected' }),
      ]),
    );
    expect(withTypo.tier).not.toBe(tierBefore);

    const controller = new AbortController();
    const board = eventBusFor(db).listen(wardId, undefined, controller.signal);
    const nextEvent = board.next();
    const result = await therapist.rom.enterInError({
      sessionId: typo.sessionId,
      readingIds: [typo.readingIds[0]!],
      reason: 'typo: 12 for 108',
    });
    expect(result.assessment?.tier).toBe(tierBefore);
    expect((await nextEvent).value).toMatchObject({ wardId, patientId, kind: 'rom' });
    controller.abort();
    const after = (await nurse.patient.get({ patientId })).assessment!;
    expect(after.tier).toBe(tierBefore);
    expect(after.sites.find((s) => s.site === 'hip' && s.side === 'left')?.state).not.toBe(
      'suspected',
    );

    const list = await nurse.rom.list({ patientId });
    expect(list.find((r) => r.id === typo.readingIds[0])).toMatchObject({
      degrees: 12,
      status: 'entered-in-error',
      statusReason: 'typo: 12 for 108',
      statusByName: therapistUser.displayName,
      statusAt: now.toISOString(),
    });
    expect(list.find((r) => r.id === typo.readingIds[1])).toMatchObject({ status: 'final' });
    flushAudit(db);
    const audit = db.select().from(auditLog).where(eq(auditLog.action, 'rom.enterInError')).all();
    expect(audit.map((row) => [row.patientId, row.category])).toEqual([[patientId, 'write']]);
    expect(audit[0]?.detail).toMatchObject({
      reason: 'typo: 12 for 108',
      ids: [typo.readingIds[0]],
    });
  });

  it('withdraws a whole session; refuses a reading of another session, a missing reason, and a nurse', async () => {
    const a = await arrange();
    const session = await a.therapist.rom.recordSession({
      patientId: a.patientId,
      takenAt: EARLIER,
      readings: [
        { site: 'knee', side: 'left', movement: 'flexion', mode: 'passive', degrees: 100 },
        { site: 'knee', side: 'right', movement: 'flexion', mode: 'passive', degrees: 101 },
      ],
    });
    const other = await a.therapist.rom.recordSession({
      patientId: a.patientId,
      takenAt: EARLIER,
      readings: [{ site: 'hip', side: 'left', movement: 'flexion', mode: 'passive', degrees: 100 }],
    });
    const wrong = await a.therapist.rom
      .enterInError({ sessionId: session.sessionId, readingIds: other.readingIds, reason: 'x y z' })
      .catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'BAD_REQUEST' });
    expect(String((wrong as Error).message)).toContain('readingIds.0');
    const noReason = await a.therapist.rom
      .enterInError({ sessionId: session.sessionId, reason: ' ' })
      .catch((e: unknown) => e);
    expect(noReason).toMatchObject({ code: 'BAD_REQUEST' });
    expect(String((noReason as Error).message)).toContain('reason');
    const nurse = await a.nurse.rom
      .enterInError({ sessionId: session.sessionId, reason: 'not mine' })
      .catch((e: unknown) => e);
    expect(nurse).toMatchObject({ code: 'FORBIDDEN' });

    await a.therapist.rom.enterInError({ sessionId: session.sessionId, reason: 'wrong patient' });
    const list = await a.nurse.rom.list({ patientId: a.patientId });
    expect(list.map((r) => r.status)).toEqual(['entered-in-error', 'entered-in-error', 'final']);
    expect(loadPatientRecord(a.db, a.patientId)!.romReadings.map((r) => r.id)).toEqual(
      other.readingIds,
    );
  });

  it('an amended reading keeps its plausible bounds, named by field', async () => {
    const a = await arrange();
    const { readingIds } = await a.therapist.rom.recordSession({
      patientId: a.patientId,
      takenAt: EARLIER,
      readings: [{ site: 'knee', side: 'left', movement: 'flexion', mode: 'passive', degrees: 12 }],
    });
    const error = await a.therapist.records
      .amend({
        kind: 'rom',
        id: readingIds[0]!,
        version: 1,
        reason: 'typo',
        changes: { degrees: 400 },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(String((error as Error).message)).toContain('changes.degrees');
    const inconsistent = await a.nurse.records
      .amend({
        kind: 'catheter',
        id: (await a.nurse.nursing.insertCatheter({ patientId: a.patientId, insertedAt: EARLIER }))
          .id,
        version: 1,
        reason: 'typo',
        changes: { removedAt: '2026-02-01T00:00:00.000Z' },
      })
      .catch((e: unknown) => e);
    expect(inconsistent).toMatchObject({ code: 'BAD_REQUEST' });
  });
});
