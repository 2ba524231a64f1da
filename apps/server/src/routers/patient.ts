import {
  AIS_GRADES,
  bradenTotal,
  INJURY_TYPES,
  LIMBS,
  SEXES,
  type Assessment,
} from '@ossiwatch/domain';
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import {
  loadHoWatchSettings,
  reassessPatient,
  refreshStaleAssessments,
  type BoardSummary,
} from '../assessments.ts';
import { ageOn } from '../board.ts';
import {
  auditRead,
  checkInstant,
  idInput,
  instantInput,
  patientIdInput,
  requirePatientScope,
  versionConflict,
  writePatient,
  type SignedInContext,
} from '../clinical.ts';
import {
  beds,
  bleedingRisk,
  braden,
  catheterEpisodes,
  complications,
  hoDiagnoses,
  imaging,
  injuries,
  interventions,
  jointObservations,
  mobility,
  patientAssessments,
  patients,
  spasticity,
  stays,
  surgicalFractures,
  vitalsLabs,
  wards,
} from '../db/schema.ts';
import { appendAudit } from '../audit.ts';
import { imagingOf } from '../record.ts';
import { withStatus } from '../corrections.ts';
import { currentRecord } from '../db/schema/corrections.ts';
import { clinicalProcedure, nurseOrPhysicianProcedure, physicianProcedure } from '../trpc.ts';

const injuryFieldsInput = z.strictObject({
  type: z.enum(INJURY_TYPES),
  occurredAt: instantInput,
  lowestGcs: z.number().int().min(3).max(15).nullable(),
  comaDays: z.number().int().min(0).max(3650).nullable(),
  ventilationDays: z.number().int().min(0).max(3650).nullable(),
  diffuseAxonalInjury: z.boolean().nullable(),
  autonomicDysregulation: z.boolean().nullable(),
  aisGrade: z.enum(AIS_GRADES).nullable(),
  surgicalFractures: z
    .array(z.strictObject({ limb: z.enum(LIMBS), fixedAt: instantInput.nullable() }))
    .max(LIMBS.length),
});

const dateOfBirthInput = z.iso
  .date('must be a date, YYYY-MM-DD')
  .refine((date) => date >= '1900-01-01', 'must be after 1900');

function injuryOf(db: SignedInContext['db'], patientId: number) {
  const injury = db.select().from(injuries).where(eq(injuries.patientId, patientId)).get();
  if (!injury) return null;
  const fractures = db
    .select({ limb: surgicalFractures.limb, fixedAt: surgicalFractures.fixedAt })
    .from(surgicalFractures)
    .where(eq(surgicalFractures.patientId, patientId))
    .orderBy(asc(surgicalFractures.id))
    .all();
  const { patientId: _patientId, ...fields } = injury;
  return { ...fields, surgicalFractures: fractures };
}

export const patientRouter = {
  /** The patient, the current stay, the injury and the HO watch assessment, with the latest scales. */
  get: clinicalProcedure.input(patientIdInput).query(({ ctx, input }) => {
    const scope = requirePatientScope(ctx, input.patientId, 'patient.get');
    const now = ctx.now();
    refreshStaleAssessments(ctx.db, [input.patientId], now);
    const patient = ctx.db.select().from(patients).where(eq(patients.id, input.patientId)).get();
    if (!patient) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such patient.' });
    const stay = ctx.db
      .select({
        id: stays.id,
        wardId: stays.wardId,
        wardName: wards.name,
        bedId: stays.bedId,
        bed: beds.label,
        admittedAt: stays.admittedAt,
        dischargedAt: stays.dischargedAt,
        version: stays.version,
      })
      .from(stays)
      .innerJoin(wards, eq(wards.id, stays.wardId))
      .leftJoin(beds, eq(beds.id, stays.bedId))
      .where(eq(stays.id, scope.stay.id))
      .get();
    const stored = ctx.db
      .select()
      .from(patientAssessments)
      .where(eq(patientAssessments.patientId, input.patientId))
      .get();
    const assessment = (stored?.assessment ?? null) as Assessment | null;
    const board = (stored?.board ?? null) as BoardSummary | null;
    const latestTemperature = ctx.db
      .select({ value: vitalsLabs.value, unit: vitalsLabs.unit, takenAt: vitalsLabs.takenAt })
      .from(vitalsLabs)
      .where(
        and(
          eq(vitalsLabs.patientId, input.patientId),
          eq(vitalsLabs.kind, 'temperature'),
          currentRecord(vitalsLabs),
        ),
      )
      .orderBy(desc(vitalsLabs.takenAt), desc(vitalsLabs.id))
      .limit(1)
      .get();
    const risk = ctx.db
      .select()
      .from(bleedingRisk)
      .where(eq(bleedingRisk.patientId, input.patientId))
      .get();
    const openCatheter = ctx.db
      .select({
        id: catheterEpisodes.id,
        insertedAt: catheterEpisodes.insertedAt,
        version: catheterEpisodes.version,
      })
      .from(catheterEpisodes)
      .where(
        and(
          eq(catheterEpisodes.patientId, input.patientId),
          isNull(catheterEpisodes.removedAt),
          currentRecord(catheterEpisodes),
        ),
      )
      .get();
    auditRead(ctx, 'patient.get', input.patientId);
    return {
      patient: {
        id: patient.id,
        mrn: patient.mrn,
        name: patient.name,
        dateOfBirth: patient.dateOfBirth,
        age: ageOn(patient.dateOfBirth, now),
        sex: patient.sex,
        version: patient.version,
      },
      stay: stay ?? null,
      injury: injuryOf(ctx.db, input.patientId),
      assessment: assessment
        ? {
            assessedAt: assessment.assessedAt,
            tier: assessment.tier,
            reasons: assessment.reasons,
            sites: assessment.sites,
            functionalImpacts: assessment.functionalImpacts,
            advisories: assessment.advisories,
            flags: assessment.flags,
            romSignals: assessment.romSignals,
            daysSinceInjury: assessment.daysSinceInjury,
            lastRomAt: assessment.lastRomAt,
          }
        : null,
      latest: {
        jhHlm: board?.latestJhHlm ?? null,
        fac: board?.latestFac ?? null,
        braden: board?.latestBraden ?? null,
        temperature: latestTemperature ?? null,
      },
      activeComplications: board?.activeComplications ?? [],
      /** What the entry screens check as values are typed (a setting; see HoWatchSettings). */
      entryChecks: { romTypoChangeDegrees: loadHoWatchSettings(ctx.db).romTypoChangeDegrees },
      openCatheter: openCatheter ?? null,
      bleedingRisk: risk
        ? {
            gastrointestinalBleed: risk.gastrointestinalBleed,
            intracranialBleed: risk.intracranialBleed,
            renalImpairment: risk.renalImpairment,
            anticoagulated: risk.anticoagulated,
            updatedAt: risk.updatedAt,
            version: risk.version,
          }
        : null,
    };
  }),

  /**
   * Everything dated in the record except ROM (see `rom.list`): complications, imaging, diagnoses,
   * interventions and catheters for the timeline; mobility, Braden, spasticity, joint signs and
   * vitals as series for the charts. Oldest first.
   */
  timeline: clinicalProcedure.input(patientIdInput).query(({ ctx, input }) => {
    requirePatientScope(ctx, input.patientId, 'patient.timeline');
    const id = input.patientId;
    const result = {
      complications: withStatus(
        ctx.db,
        'complication',
        id,
        ctx.db
          .select({
            id: complications.id,
            kind: complications.kind,
            wardId: complications.wardId,
            onsetAt: complications.onsetAt,
            resolvedAt: complications.resolvedAt,
            presentOnAdmission: complications.presentOnAdmission,
            bodySite: complications.bodySite,
            stage: complications.stage,
            deviceRelated: complications.deviceRelated,
            site: complications.site,
            side: complications.side,
            version: complications.version,
          })
          .from(complications)
          .where(eq(complications.patientId, id))
          .orderBy(asc(complications.onsetAt), asc(complications.id))
          .all(),
      ),
      imaging: withStatus(
        ctx.db,
        'imaging',
        id,
        ctx.db
          .select()
          .from(imaging)
          .where(eq(imaging.patientId, id))
          .orderBy(asc(imaging.takenAt), asc(imaging.id))
          .all()
          .map(imagingOf),
      ),
      diagnoses: withStatus(
        ctx.db,
        'diagnosis',
        id,
        ctx.db
          .select({
            id: hoDiagnoses.id,
            site: hoDiagnoses.site,
            side: hoDiagnoses.side,
            finding: hoDiagnoses.finding,
            grade: hoDiagnoses.grade,
            note: hoDiagnoses.note,
            diagnosedAt: hoDiagnoses.diagnosedAt,
            version: hoDiagnoses.version,
          })
          .from(hoDiagnoses)
          .where(eq(hoDiagnoses.patientId, id))
          .orderBy(asc(hoDiagnoses.diagnosedAt), asc(hoDiagnoses.id))
          .all(),
      ),
      interventions: withStatus(
        ctx.db,
        'intervention',
        id,
        ctx.db
          .select({
            id: interventions.id,
            kind: interventions.kind,
            drug: interventions.drug,
            doseMg: interventions.doseMg,
            doseMgPerKgDay: interventions.doseMgPerKgDay,
            doseGy: interventions.doseGy,
            site: interventions.site,
            side: interventions.side,
            startedAt: interventions.startedAt,
            stoppedAt: interventions.stoppedAt,
            version: interventions.version,
          })
          .from(interventions)
          .where(eq(interventions.patientId, id))
          .orderBy(asc(interventions.startedAt), asc(interventions.id))
          .all(),
      ),
      catheterEpisodes: withStatus(
        ctx.db,
        'catheter',
        id,
        ctx.db
          .select({
            id: catheterEpisodes.id,
            wardId: catheterEpisodes.wardId,
            insertedAt: catheterEpisodes.insertedAt,
            removedAt: catheterEpisodes.removedAt,
            version: catheterEpisodes.version,
          })
          .from(catheterEpisodes)
          .where(eq(catheterEpisodes.patientId, id))
          .orderBy(asc(catheterEpisodes.insertedAt), asc(catheterEpisodes.id))
          .all(),
      ),
      mobility: withStatus(
        ctx.db,
        'mobility',
        id,
        ctx.db
          .select({
            id: mobility.id,
            scale: mobility.scale,
            item: mobility.item,
            code: mobility.code,
            takenAt: mobility.takenAt,
          })
          .from(mobility)
          .where(eq(mobility.patientId, id))
          .orderBy(asc(mobility.takenAt), asc(mobility.id))
          .all(),
      ),
      braden: withStatus(
        ctx.db,
        'braden',
        id,
        ctx.db
          .select()
          .from(braden)
          .where(eq(braden.patientId, id))
          .orderBy(asc(braden.takenAt), asc(braden.id))
          .all()
          .map(({ patientId: _p, recordedBy: _r, ...row }) => ({
            ...row,
            total: bradenTotal(row as Parameters<typeof bradenTotal>[0]),
          })),
      ),
      spasticity: withStatus(
        ctx.db,
        'spasticity',
        id,
        ctx.db
          .select({
            id: spasticity.id,
            site: spasticity.site,
            side: spasticity.side,
            grade: spasticity.grade,
            takenAt: spasticity.takenAt,
          })
          .from(spasticity)
          .where(eq(spasticity.patientId, id))
          .orderBy(asc(spasticity.takenAt), asc(spasticity.id))
          .all(),
      ),
      jointObservations: withStatus(
        ctx.db,
        'joint',
        id,
        ctx.db
          .select({
            id: jointObservations.id,
            site: jointObservations.site,
            side: jointObservations.side,
            swelling: jointObservations.swelling,
            warmth: jointObservations.warmth,
            erythema: jointObservations.erythema,
            pain: jointObservations.pain,
            takenAt: jointObservations.takenAt,
          })
          .from(jointObservations)
          .where(eq(jointObservations.patientId, id))
          .orderBy(asc(jointObservations.takenAt), asc(jointObservations.id))
          .all(),
      ),
      vitals: withStatus(
        ctx.db,
        'vital',
        id,
        ctx.db
          .select({
            id: vitalsLabs.id,
            kind: vitalsLabs.kind,
            value: vitalsLabs.value,
            unit: vitalsLabs.unit,
            takenAt: vitalsLabs.takenAt,
          })
          .from(vitalsLabs)
          .where(eq(vitalsLabs.patientId, id))
          .orderBy(asc(vitalsLabs.takenAt), asc(vitalsLabs.id))
          .all(),
      ),
    };
    auditRead(ctx, 'patient.timeline', id);
    return result;
  }),

  /**
   * Admits a patient to a bed on one of the user's wards, with the injury that brought them. A patient
   * known by MRN is readmitted (a new stay); their record and injury are kept.
   */
  admit: nurseOrPhysicianProcedure
    .input(
      z.strictObject({
        mrn: z.string().trim().min(1).max(64),
        name: z.string().trim().min(1).max(200),
        dateOfBirth: dateOfBirthInput,
        sex: z.enum(SEXES),
        wardId: idInput,
        bedId: idInput.nullable(),
        admittedAt: instantInput,
        injury: injuryFieldsInput,
      }),
    )
    .mutation(({ ctx, input }) => {
      if (!ctx.user.wardIds.includes(input.wardId)) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'You are not assigned to this ward.' });
      }
      checkInstant(ctx, 'admittedAt', input.admittedAt, {
        at: input.injury.occurredAt,
        what: 'the injury',
      });
      checkInstant(ctx, 'injury.occurredAt', input.injury.occurredAt);
      const now = ctx.now();
      const admitted = ctx.db.transaction((tx) => {
        if (input.bedId !== null) {
          const bed = tx.select().from(beds).where(eq(beds.id, input.bedId)).get();
          if (!bed || bed.wardId !== input.wardId || !bed.active) {
            throw new TRPCError({ code: 'BAD_REQUEST', message: 'bedId: not a bed of this ward' });
          }
          const occupied = tx
            .select({ id: stays.id })
            .from(stays)
            .where(and(eq(stays.bedId, input.bedId), isNull(stays.dischargedAt)))
            .get();
          if (occupied) {
            throw new TRPCError({ code: 'CONFLICT', message: 'bedId: this bed is occupied' });
          }
        }
        let patient = tx.select().from(patients).where(eq(patients.mrn, input.mrn)).get();
        if (patient) {
          const current = tx
            .select({ id: stays.id })
            .from(stays)
            .where(and(eq(stays.patientId, patient.id), isNull(stays.dischargedAt)))
            .get();
          if (current) {
            throw new TRPCError({
              code: 'CONFLICT',
              message: 'mrn: this patient is already admitted',
            });
          }
        } else {
          patient = tx
            .insert(patients)
            .values({
              mrn: input.mrn,
              name: input.name,
              dateOfBirth: input.dateOfBirth,
              sex: input.sex,
            })
            .returning()
            .get();
          const { surgicalFractures: fractures, ...injury } = input.injury;
          tx.insert(injuries)
            .values({ ...injury, patientId: patient.id })
            .run();
          for (const fracture of fractures) {
            tx.insert(surgicalFractures)
              .values({ ...fracture, patientId: patient.id })
              .run();
          }
        }
        const stay = tx
          .insert(stays)
          .values({
            patientId: patient.id,
            wardId: input.wardId,
            bedId: input.bedId,
            admittedAt: input.admittedAt,
          })
          .returning({ id: stays.id })
          .get();
        const stored = reassessPatient(tx, patient.id, now);
        appendAudit(tx, {
          at: now,
          userId: ctx.user.id,
          username: ctx.user.username,
          action: 'patient.admit',
          patientId: patient.id,
          category: 'write',
          outcome: 'success',
          clientIp: ctx.clientIp,
          detail: { stayId: stay.id, wardId: input.wardId, bedId: input.bedId },
        });
        return {
          patientId: patient.id,
          stayId: stay.id,
          assessment: stored ? { tier: stored.assessment.tier } : null,
        };
      });
      ctx.events.publish({ wardId: input.wardId, patientId: admitted.patientId, kind: 'stay' });
      return admitted;
    }),

  /** Discharges a patient from their current stay (optimistic concurrency on the stay). */
  discharge: nurseOrPhysicianProcedure
    .input(
      z.strictObject({ patientId: idInput, dischargedAt: instantInput, expectedVersion: idInput }),
    )
    .mutation(({ ctx, input }) => {
      const action = 'patient.discharge';
      const scope = requirePatientScope(ctx, input.patientId, action);
      if (scope.stay.dischargedAt !== null) {
        throw new TRPCError({ code: 'CONFLICT', message: 'The patient is already discharged.' });
      }
      if (scope.stay.version !== input.expectedVersion) {
        throw versionConflict('This stay', scope.stay.version);
      }
      checkInstant(ctx, 'dischargedAt', input.dischargedAt, {
        at: scope.stay.admittedAt,
        what: 'the admission',
      });
      return writePatient(ctx, { action, scope, kind: 'stay' }, (tx) => {
        // Checked again here: a write queued before this one in the same commit may have moved it.
        const moved = tx
          .update(stays)
          .set({ dischargedAt: input.dischargedAt, version: scope.stay.version + 1 })
          .where(and(eq(stays.id, scope.stay.id), eq(stays.version, input.expectedVersion)))
          .run();
        if (moved.changes !== 1) {
          const current = tx
            .select({ version: stays.version })
            .from(stays)
            .where(eq(stays.id, scope.stay.id))
            .get();
          throw versionConflict('This stay', current?.version ?? scope.stay.version);
        }
        // A catheter still recorded as in place leaves with the patient.
        tx.update(catheterEpisodes)
          .set({ removedAt: input.dischargedAt })
          .where(
            and(
              eq(catheterEpisodes.patientId, input.patientId),
              isNull(catheterEpisodes.removedAt),
              currentRecord(catheterEpisodes),
            ),
          )
          .run();
        return {
          result: { stayId: scope.stay.id, version: scope.stay.version + 1 },
          detail: { stayId: scope.stay.id, dischargedAt: input.dischargedAt },
        };
      });
    }),

  /** A physician corrects the injury details; a stale version gets CONFLICT. */
  updateInjury: physicianProcedure
    .input(injuryFieldsInput.extend({ patientId: idInput, expectedVersion: idInput }))
    .mutation(({ ctx, input }) => {
      const action = 'patient.updateInjury';
      const scope = requirePatientScope(ctx, input.patientId, action);
      checkInstant(ctx, 'occurredAt', input.occurredAt);
      const { patientId, expectedVersion, surgicalFractures: fractures, ...fields } = input;
      return writePatient(ctx, { action, scope, kind: 'injury' }, (tx) => {
        const current = tx.select().from(injuries).where(eq(injuries.patientId, patientId)).get();
        if (!current) {
          throw new TRPCError({
            code: 'NOT_FOUND',
            message: 'This patient has no injury recorded.',
          });
        }
        if (current.version !== expectedVersion) {
          throw versionConflict('The injury details', current.version);
        }
        tx.update(injuries)
          .set({ ...fields, version: current.version + 1 })
          .where(eq(injuries.id, current.id))
          .run();
        tx.delete(surgicalFractures).where(eq(surgicalFractures.patientId, patientId)).run();
        for (const fracture of fractures) {
          tx.insert(surgicalFractures)
            .values({ ...fracture, patientId })
            .run();
        }
        return {
          result: { version: current.version + 1 },
          detail: { before: { ...current }, after: fields, surgicalFractures: fractures },
        };
      });
    }),
} satisfies TRPCRouterRecord;
