/**
 * Router tests of the patient record procedures: success, bad input (named by field), not found and
 * conflict, through createCaller on an in-memory database with every migration applied.
 */
import { describe, expect, it } from 'vitest';
import { flushAudit } from '../audit.ts';
import { auditLog, patientAssessments, stays } from '../db/schema.ts';
import { admitPatient, callerAs, makeUser, makeWard, migratedMemoryDb } from '../test-support.ts';

const NOW = new Date('2026-02-10T10:00:00.000Z');
const clock = () => NOW;
const EARLIER = '2026-02-10T08:00:00.000Z';

async function arrange() {
  const db = migratedMemoryDb();
  const { wardId, bedIds } = makeWard(db, 'A');
  const patientId = admitPatient(db, { wardId, bedId: bedIds[0], name: 'Ann Marie Smith' });
  const nurse = callerAs(db, await makeUser(db, ['nurse'], [wardId]), clock);
  const physician = callerAs(db, await makeUser(db, ['physician'], [wardId]), clock);
  const therapist = callerAs(db, await makeUser(db, ['therapist'], [wardId]), clock);
  return { db, wardId, bedIds, patientId, nurse, physician, therapist };
}

describe('patient.get and patient.timeline', () => {
  it('returns the patient, stay, injury and assessment, and audits the read', async () => {
    const { db, patientId, nurse } = await arrange();
    const record = await nurse.patient.get({ patientId });
    expect(record.patient).toMatchObject({ id: patientId, name: 'Ann Marie Smith', age: 45 });
    expect(record.stay).toMatchObject({ wardName: 'A', bed: '01', dischargedAt: null });
    expect(record.injury).toMatchObject({ type: 'tbi', version: 1, surgicalFractures: [] });
    expect(record.assessment?.tier).toBeDefined();
    expect(record.assessment?.sites).toHaveLength(10);
    flushAudit(db);
    expect(db.select().from(auditLog).all().at(-1)).toMatchObject({
      action: 'patient.get',
      category: 'read',
      patientId,
    });
  });

  it('answers an unknown patient as one on another ward (FORBIDDEN), so ids cannot be probed', async () => {
    const { nurse } = await arrange();
    await expect(nurse.patient.get({ patientId: 12345 })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(nurse.patient.timeline({ patientId: 12345 })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('puts complications, imaging, treatments and scales on the timeline, oldest first', async () => {
    const { patientId, nurse, physician, therapist } = await arrange();
    await nurse.nursing.recordBraden({
      patientId,
      takenAt: '2026-02-09T08:00:00Z',
      sensoryPerception: 3,
      moisture: 3,
      activity: 3,
      mobility: 3,
      nutrition: 3,
      frictionShear: 3,
    });
    await nurse.nursing.recordBraden({
      patientId,
      takenAt: '2026-02-08T08:00:00Z',
      sensoryPerception: 2,
      moisture: 2,
      activity: 2,
      mobility: 2,
      nutrition: 2,
      frictionShear: 2,
    });
    await therapist.therapy.recordScales({
      patientId,
      takenAt: EARLIER,
      spasticity: [{ site: 'elbow', side: 'right', grade: '2' }],
      mobility: [{ scale: 'gg', item: 'GG0170B', code: '03' }],
    });
    await physician.imaging.record({
      patientId,
      takenAt: EARLIER,
      modality: 'bone_scan',
      site: 'elbow',
      side: 'right',
      result: 'equivocal',
    });
    await physician.intervention.start({
      patientId,
      startedAt: EARLIER,
      intervention: { kind: 'nsaid', drug: 'indomethacin', doseMg: 75 },
    });
    const timeline = await nurse.patient.timeline({ patientId });
    expect(timeline.braden.map((b) => b.total)).toEqual([12, 18]);
    expect(timeline.spasticity).toEqual([expect.objectContaining({ grade: '2', site: 'elbow' })]);
    expect(timeline.mobility).toEqual([
      expect.objectContaining({ scale: 'gg', item: 'GG0170B', code: '03' }),
    ]);
    expect(timeline.imaging).toEqual([
      expect.objectContaining({ modality: 'bone_scan', result: 'equivocal', grade: null }),
    ]);
    expect(timeline.interventions).toEqual([
      expect.objectContaining({ kind: 'nsaid', drug: 'indomethacin', doseMg: 75, version: 1 }),
    ]);
  });
});

describe('admission, discharge and the injury', () => {
  const injury = {
    type: 'sci' as const,
    occurredAt: '2026-01-20T00:00:00Z',
    lowestGcs: null,
    comaDays: null,
    ventilationDays: 3,
    diffuseAxonalInjury: null,
    autonomicDysregulation: false,
    aisGrade: 'A' as const,
    surgicalFractures: [{ limb: 'left_leg' as const, fixedAt: '2026-01-21T00:00:00Z' }],
  };

  it('admits to a free bed, refuses an occupied one, and readmits by MRN after discharge', async () => {
    const { db, wardId, bedIds, nurse } = await arrange();
    const admitted = await nurse.patient.admit({
      mrn: 'X-1',
      name: 'Bo Berg',
      dateOfBirth: '1970-03-04',
      sex: 'male',
      wardId,
      bedId: bedIds[1]!,
      admittedAt: EARLIER,
      injury,
    });
    expect(admitted.patientId).toBeGreaterThan(0);
    expect(
      db
        .select()
        .from(patientAssessments)
        .all()
        .map((a) => a.patientId),
    ).toContain(admitted.patientId);
    await expect(
      nurse.patient.admit({
        mrn: 'X-2',
        name: 'Cy',
        dateOfBirth: '1970-03-04',
        sex: 'male',
        wardId,
        bedId: bedIds[1]!,
        admittedAt: EARLIER,
        injury,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: 'bedId: this bed is occupied' });
    await expect(
      nurse.patient.discharge({
        patientId: admitted.patientId,
        dischargedAt: '2026-02-10T09:00:00Z',
        expectedVersion: 2,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await nurse.patient.discharge({
      patientId: admitted.patientId,
      dischargedAt: '2026-02-10T09:00:00Z',
      expectedVersion: 1,
    });
    const again = await nurse.patient.admit({
      mrn: 'X-1',
      name: 'Bo Berg',
      dateOfBirth: '1970-03-04',
      sex: 'male',
      wardId,
      bedId: bedIds[1]!,
      admittedAt: '2026-02-10T09:30:00Z',
      injury,
    });
    expect(again.patientId).toBe(admitted.patientId);
    expect(
      db
        .select()
        .from(stays)
        .all()
        .filter((s) => s.patientId === again.patientId),
    ).toHaveLength(2);
  });

  it('refuses a date of birth that is not a date and an admission before the injury', async () => {
    const { wardId, nurse } = await arrange();
    const base = { mrn: 'Y', name: 'Y', sex: 'female' as const, wardId, bedId: null, injury };
    await expect(
      nurse.patient.admit({ ...base, dateOfBirth: '1970-13-45', admittedAt: EARLIER }),
    ).rejects.toThrow(/dateOfBirth/);
    await expect(
      nurse.patient.admit({
        ...base,
        dateOfBirth: '1970-01-01',
        admittedAt: '2026-01-10T00:00:00Z',
      }),
    ).rejects.toThrow(/admittedAt: .* before the injury/);
  });

  it('updates the injury with its version; a stale version gets CONFLICT with the current one', async () => {
    const { patientId, physician } = await arrange();
    const updated = await physician.patient.updateInjury({
      patientId,
      expectedVersion: 1,
      ...injury,
    });
    expect(updated.version).toBe(2);
    const stale = await physician.patient
      .updateInjury({ patientId, expectedVersion: 1, ...injury, comaDays: 30 })
      .catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: 'CONFLICT' });
    expect(String((stale as Error).message)).toContain('version 2');
    const record = await physician.patient.get({ patientId });
    expect(record.injury).toMatchObject({ aisGrade: 'A', comaDays: null, version: 2 });
    expect(record.injury?.surgicalFractures).toEqual([
      { limb: 'left_leg', fixedAt: '2026-01-21T00:00:00.000Z' },
    ]);
  });
});

describe('nursing', () => {
  it('records joint signs, and refuses an observation with nothing examined', async () => {
    const { patientId, nurse } = await arrange();
    const saved = await nurse.nursing.recordJointSigns({
      patientId,
      takenAt: EARLIER,
      observations: [
        { site: 'hip', side: 'left', swelling: true, warmth: true, pain: 6 },
        { site: 'knee', side: 'right', erythema: false },
      ],
    });
    expect(saved.observationIds).toHaveLength(2);
    await expect(
      nurse.nursing.recordJointSigns({
        patientId,
        takenAt: EARLIER,
        observations: [{ site: 'hip', side: 'left' }],
      }),
    ).rejects.toThrow(/observations\.0: record at least one sign/);
    await expect(
      nurse.nursing.recordJointSigns({
        patientId,
        takenAt: EARLIER,
        observations: [{ site: 'hip', side: 'left', pain: 11 }],
      }),
    ).rejects.toThrow(/observations\.0\.pain/);
  });

  it('records a temperature in °C and refuses an implausible one', async () => {
    const { patientId, nurse } = await arrange();
    await nurse.nursing.recordVital({
      patientId,
      takenAt: EARLIER,
      kind: 'temperature',
      value: 38.4,
    });
    await expect(
      nurse.nursing.recordVital({ patientId, takenAt: EARLIER, kind: 'temperature', value: 98.6 }),
    ).rejects.toThrow(/value: temperature of 98.6 °C is outside the plausible range 30–45 °C/);
    const timeline = await nurse.patient.timeline({ patientId });
    expect(timeline.vitals).toEqual([expect.objectContaining({ value: 38.4, unit: '°C' })]);
  });

  it('refuses a Braden subscale out of range, naming it', async () => {
    const { patientId, nurse } = await arrange();
    await expect(
      nurse.nursing.recordBraden({
        patientId,
        takenAt: EARLIER,
        sensoryPerception: 3,
        moisture: 3,
        activity: 3,
        mobility: 3,
        nutrition: 3,
        frictionShear: 4,
      }),
    ).rejects.toThrow(/frictionShear/);
  });

  it('inserts and removes a catheter, with one in place at a time and versions on removal', async () => {
    const { patientId, nurse } = await arrange();
    const catheter = await nurse.nursing.insertCatheter({ patientId, insertedAt: EARLIER });
    await expect(
      nurse.nursing.insertCatheter({ patientId, insertedAt: EARLIER }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await nurse.patient.get({ patientId })).openCatheter).toMatchObject({
      id: catheter.id,
    });
    await expect(
      nurse.nursing.removeCatheter({
        patientId,
        catheterId: catheter.id,
        removedAt: '2026-02-10T07:00:00Z',
        expectedVersion: 1,
      }),
    ).rejects.toThrow(/removedAt: .* before the insertion/);
    await expect(
      nurse.nursing.removeCatheter({
        patientId,
        catheterId: 999,
        removedAt: '2026-02-10T09:00:00Z',
        expectedVersion: 1,
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const removed = await nurse.nursing.removeCatheter({
      patientId,
      catheterId: catheter.id,
      removedAt: '2026-02-10T09:00:00Z',
      expectedVersion: 1,
    });
    expect(removed.version).toBe(2);
    await expect(
      nurse.nursing.removeCatheter({
        patientId,
        catheterId: catheter.id,
        removedAt: '2026-02-10T09:00:00Z',
        expectedVersion: 1,
      }),
    ).rejects.toThrow(/version 2/);
    await expect(
      nurse.nursing.removeCatheter({
        patientId,
        catheterId: catheter.id,
        removedAt: '2026-02-10T10:00:00Z',
        expectedVersion: 2,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: 'This catheter was already removed.' });
  });
});

describe('complications', () => {
  it('starts and resolves; two nurses resolving at once: the second gets CONFLICT', async () => {
    const { db, wardId, patientId, nurse } = await arrange();
    const other = callerAs(db, await makeUser(db, ['nurse'], [wardId]), clock);
    const started = await nurse.complication.start({
      patientId,
      onsetAt: EARLIER,
      presentOnAdmission: false,
      complication: {
        kind: 'pressure_injury',
        bodySite: 'sacrum',
        stage: '2',
        deviceRelated: false,
      },
    });
    expect((await nurse.patient.get({ patientId })).activeComplications).toEqual([
      expect.objectContaining({ id: started.id, kind: 'pressure_injury', stage: '2' }),
    ]);
    await nurse.complication.resolve({
      patientId,
      complicationId: started.id,
      resolvedAt: '2026-02-10T09:00:00Z',
      expectedVersion: 1,
    });
    const second = await other.complication
      .resolve({
        patientId,
        complicationId: started.id,
        resolvedAt: '2026-02-10T09:30:00Z',
        expectedVersion: 1,
      })
      .catch((e: unknown) => e);
    expect(second).toMatchObject({ code: 'CONFLICT' });
    expect((await nurse.patient.get({ patientId })).activeComplications).toEqual([]);
  });

  it('refuses a pressure injury without a stage and a hospital-acquired one before admission', async () => {
    const { patientId, nurse } = await arrange();
    await expect(
      nurse.complication.start({
        patientId,
        onsetAt: EARLIER,
        presentOnAdmission: false,
        complication: { kind: 'pressure_injury', bodySite: 'heel', deviceRelated: false } as never,
      }),
    ).rejects.toThrow(/complication\.stage/);
    await expect(
      nurse.complication.start({
        patientId,
        onsetAt: '2026-01-05T00:00:00Z',
        presentOnAdmission: false,
        complication: { kind: 'pneumonia' },
      }),
    ).rejects.toThrow(/onsetAt: .* before the admission/);
    // Present on admission: it began before.
    await nurse.complication.start({
      patientId,
      onsetAt: '2026-01-05T00:00:00Z',
      presentOnAdmission: true,
      complication: { kind: 'pneumonia' },
    });
  });

  it('corrects a stage with its version, and refuses a stage on a pneumonia', async () => {
    const { patientId, nurse } = await arrange();
    const injury = await nurse.complication.start({
      patientId,
      onsetAt: EARLIER,
      presentOnAdmission: false,
      complication: {
        kind: 'pressure_injury',
        bodySite: 'sacrum',
        stage: '2',
        deviceRelated: false,
      },
    });
    expect(
      await nurse.complication.update({
        patientId,
        complicationId: injury.id,
        expectedVersion: 1,
        stage: '3',
      }),
    ).toMatchObject({ version: 2 });
    const pneumonia = await nurse.complication.start({
      patientId,
      onsetAt: EARLIER,
      presentOnAdmission: false,
      complication: { kind: 'pneumonia' },
    });
    await expect(
      nurse.complication.update({
        patientId,
        complicationId: pneumonia.id,
        expectedVersion: 1,
        stage: '2',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('physician entries', () => {
  it('records imaging with the grade system of the joint, and refuses Brooker on an elbow', async () => {
    const { patientId, physician } = await arrange();
    await physician.imaging.record({
      patientId,
      takenAt: EARLIER,
      modality: 'xray',
      site: 'hip',
      side: 'right',
      result: 'positive',
      grade: { system: 'brooker', grade: 'III' },
    });
    await expect(
      physician.imaging.record({
        patientId,
        takenAt: EARLIER,
        modality: 'xray',
        site: 'elbow',
        side: 'right',
        result: 'positive',
        grade: { system: 'brooker', grade: 'III' },
      }),
    ).rejects.toThrow(/grade\.system: Brooker grades the hip, not the elbow/);
    const record = await physician.patient.get({ patientId });
    expect(record.assessment?.sites).toContainEqual(
      expect.objectContaining({ site: 'hip', side: 'right', state: 'confirmed' }),
    );
  });

  it('records a diagnosis, starts and stops a course, and sets the bleeding risk with versions', async () => {
    const { patientId, physician } = await arrange();
    expect(
      await physician.diagnosis.record({
        patientId,
        diagnosedAt: EARLIER,
        site: 'hip',
        side: 'left',
        finding: 'ho_ruled_out',
        note: 'Doppler negative; ultrasound normal',
      }),
    ).toMatchObject({ version: 1 });
    const course = await physician.intervention.start({
      patientId,
      startedAt: EARLIER,
      intervention: { kind: 'etidronate', doseMgPerKgDay: 20 },
    });
    await expect(
      physician.intervention.stop({
        patientId,
        interventionId: course.id,
        stoppedAt: '2026-02-10T07:00:00Z',
        expectedVersion: 1,
      }),
    ).rejects.toThrow(/stoppedAt: .* before the start/);
    await physician.intervention.stop({
      patientId,
      interventionId: course.id,
      stoppedAt: '2026-02-10T09:00:00Z',
      expectedVersion: 1,
    });
    const radiation = await physician.intervention.start({
      patientId,
      startedAt: EARLIER,
      intervention: { kind: 'radiation', doseGy: 7, site: 'hip', side: 'left' },
    });
    await expect(
      physician.intervention.stop({
        patientId,
        interventionId: radiation.id,
        stoppedAt: '2026-02-10T09:00:00Z',
        expectedVersion: 1,
      }),
    ).rejects.toThrow(/given once/);

    const risk = {
      gastrointestinalBleed: true,
      intracranialBleed: false,
      renalImpairment: false,
      anticoagulated: true,
    };
    expect(await physician.bleedingRisk.set({ patientId, expectedVersion: null, ...risk })).toEqual(
      expect.objectContaining({ version: 1 }),
    );
    await expect(
      physician.bleedingRisk.set({ patientId, expectedVersion: null, ...risk }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(
      await physician.bleedingRisk.set({
        patientId,
        expectedVersion: 1,
        ...risk,
        anticoagulated: false,
      }),
    ).toEqual(expect.objectContaining({ version: 2 }));
  });

  it('cautions about bleeding when an NSAID starts for a patient with bleeding risk', async () => {
    const { patientId, physician } = await arrange();
    await physician.bleedingRisk.set({
      patientId,
      expectedVersion: null,
      gastrointestinalBleed: true,
      intracranialBleed: false,
      renalImpairment: false,
      anticoagulated: false,
    });
    await physician.intervention.start({
      patientId,
      startedAt: EARLIER,
      intervention: { kind: 'nsaid', drug: 'celecoxib', doseMg: 200 },
    });
    const record = await physician.patient.get({ patientId });
    expect(record.assessment?.advisories.map((a) => a.rule)).toContain('caution_nsaid_bleeding');
  });
});
