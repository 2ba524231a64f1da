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
  currentStayOf,
  idInput,
  instantInput,
  patientIdInput,
  requirePatientScope,
  versionConflict,
  type PatientScope,
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
import { appendAudit, queueAudit } from '../audit.ts';
import { EMERGENCY_REASON_MAX_LENGTH, EMERGENCY_REASON_MIN_LENGTH } from '../db/schema.ts';
import { identityMismatch } from '../features/patients/identity.ts';
import {
  admitToWard,
  dischargeFromWard,
  registerPatient,
  transferToWard,
} from '../features/patients/movements.ts';
import {
  checkDateOfBirth,
  checkInjuryInstant,
  patientDates,
  personNameInput,
} from '../plausibility.ts';
import { grantEmergencyAccess } from '../security/emergency.ts';
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

const emergencyReasonInput = z
  .string()
  .trim()
  .min(
    EMERGENCY_REASON_MIN_LENGTH,
    `say why, in at least ${EMERGENCY_REASON_MIN_LENGTH} characters`,
  )
  .max(EMERGENCY_REASON_MAX_LENGTH);

/** FORBIDDEN unless the caller works on the ward a patient is admitted or moved to. */
function requireWardAssignment(ctx: SignedInContext, wardId: number): void {
  if (!ctx.user.wardIds.includes(wardId)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'You are not assigned to this ward.' });
  }
}

/** CONFLICT when the stay changed since the caller read it. */
function requireStayVersion(scope: PatientScope, expectedVersion: number): void {
  if (scope.stay.version !== expectedVersion)
    throw versionConflict('This stay', scope.stay.version);
}

interface Readmission {
  /** The patient's latest stay, if any. */
  readonly previous: { readonly id: number; readonly wardId: number } | undefined;
  /** Why the caller may readmit: their ward, their role, or an emergency reason. */
  readonly access: 'ward' | 'physician' | 'emergency';
}

/**
 * Whether the caller may readmit the patient known under the MRN sent. Refuses (audited) a name or date
 * of birth that does not match, naming the field and nothing else, and a patient last seen on another
 * ward unless the caller is a physician or gives an emergency reason. Nothing here says where the
 * patient is, or whether they are on a ward now, to a caller who may not see them.
 */
function readmissionAccess(
  ctx: SignedInContext,
  patient: typeof patients.$inferSelect,
  input: { readonly name: string; readonly dateOfBirth: string; readonly emergencyReason?: string },
): Readmission {
  const deny = (reason: string, message: string, code: 'CONFLICT' | 'FORBIDDEN'): never => {
    queueAudit(ctx.db, {
      at: ctx.now(),
      userId: ctx.user.id,
      username: ctx.user.username,
      action: 'patient.admit',
      patientId: patient.id,
      category: 'auth',
      outcome: 'denied',
      clientIp: ctx.clientIp,
      detail: { reason },
    });
    throw new TRPCError({ code, message });
  };
  const mismatch = identityMismatch(patient, input);
  if (mismatch) {
    return deny(
      `identity:${mismatch}`,
      `${mismatch}: does not match the patient recorded under this MRN`,
      'CONFLICT',
    );
  }
  const previous = ctx.db
    .select({ id: stays.id, wardId: stays.wardId })
    .from(stays)
    .where(eq(stays.patientId, patient.id))
    .orderBy(desc(stays.admittedAt), desc(stays.id))
    .limit(1)
    .get();
  if (!previous || ctx.user.wardIds.includes(previous.wardId)) return { previous, access: 'ward' };
  if (ctx.user.roles.includes('physician')) return { previous, access: 'physician' };
  if (input.emergencyReason) return { previous, access: 'emergency' };
  return deny(
    'ward',
    "emergencyReason: this patient's last stay was on a ward you are not assigned to; say why you readmit them (emergency access) or ask a physician",
    'FORBIDDEN',
  );
}

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
   * known by MRN is readmitted (a new stay; their record and injury are kept) only when the name and
   * date of birth match the stored ones; when their last stay was on a ward the caller is not on, only
   * a physician or a clinician giving an emergency reason (audited, as `access.emergency`) may.
   */
  admit: nurseOrPhysicianProcedure
    .input(
      z.strictObject({
        mrn: z.string().trim().min(1).max(64),
        name: personNameInput,
        dateOfBirth: dateOfBirthInput,
        sex: z.enum(SEXES),
        wardId: idInput,
        bedId: idInput.nullable(),
        admittedAt: instantInput,
        injury: injuryFieldsInput,
        /** Why a patient last seen on another ward is readmitted here (emergency access). */
        emergencyReason: emergencyReasonInput.optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      requireWardAssignment(ctx, input.wardId);
      checkInstant(ctx, 'admittedAt', input.admittedAt, {
        at: input.injury.occurredAt,
        what: 'the injury',
      });
      checkDateOfBirth(ctx.now(), 'dateOfBirth', input.dateOfBirth);
      checkInjuryInstant(ctx, 'injury.occurredAt', input.injury.occurredAt, input.dateOfBirth);
      const now = ctx.now();
      const known = ctx.db.select().from(patients).where(eq(patients.mrn, input.mrn)).get();
      const readmission = known ? readmissionAccess(ctx, known, input) : undefined;
      const admitted = ctx.db.transaction((tx) => {
        const existing = tx
          .select({ id: patients.id })
          .from(patients)
          .where(eq(patients.mrn, input.mrn))
          .get();
        let grantId: number | null = null;
        let patient: { id: number };
        if (existing) {
          patient = existing;
          if (patient.id !== known?.id || !readmission) {
            throw new TRPCError({
              code: 'CONFLICT',
              message: 'mrn: another admission with this MRN was saved at the same time',
            });
          }
          if (currentStayOf(tx, patient.id)) {
            // Only reached by a caller allowed to see this patient (readmissionAccess).
            throw new TRPCError({
              code: 'CONFLICT',
              message: 'mrn: this patient is already admitted',
            });
          }
          if (readmission.access === 'emergency' && input.emergencyReason) {
            grantId = grantEmergencyAccess(tx, ctx, {
              patientId: patient.id,
              reason: input.emergencyReason,
              wardId: readmission.previous?.wardId ?? null,
              now,
              procedure: 'patient.admit',
            }).id;
          }
        } else {
          patient = registerPatient(tx, input);
        }
        const stay = { id: admitToWard(tx, { ...input, patientId: patient.id, now }).stayId };
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
          detail: {
            stayId: stay.id,
            wardId: input.wardId,
            bedId: input.bedId,
            admittedAt: input.admittedAt,
            ...(readmission
              ? {
                  readmission: true,
                  previousStayId: readmission.previous?.id ?? null,
                  previousWardId: readmission.previous?.wardId ?? null,
                  access: readmission.access,
                  ...(grantId === null ? {} : { emergencyGrantId: grantId }),
                }
              : {}),
          },
        });
        return {
          patientId: patient.id,
          stayId: stay.id,
          assessment: stored ? { tier: stored.assessment.tier } : null,
        };
      });
      ctx.events.publish({ wardId: input.wardId, patientId: admitted.patientId, kind: 'stay' });
      const previousWard = readmission?.previous?.wardId;
      if (previousWard !== undefined && previousWard !== input.wardId) {
        ctx.events.publish({ wardId: previousWard, patientId: admitted.patientId, kind: 'stay' });
      }
      return admitted;
    }),

  /**
   * Moves a patient from their current stay to a bed on another of the caller's wards: the stay closes
   * and the next opens at the same instant, in one transaction, so no midnight is lost or counted
   * twice; a catheter in place stays in place (its days follow the patient, PRODUCT §4). Both wards'
   * boards are told.
   */
  transfer: nurseOrPhysicianProcedure
    .input(
      z.strictObject({
        patientId: idInput,
        wardId: idInput,
        bedId: idInput.nullable(),
        transferredAt: instantInput,
        /** The version of the current stay the caller saw. */
        expectedVersion: idInput,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const action = 'patient.transfer';
      const scope = requirePatientScope(ctx, input.patientId, action);
      requireWardAssignment(ctx, input.wardId);
      if (scope.stay.dischargedAt !== null) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `patientId: the patient was discharged at ${scope.stay.dischargedAt}; admit them instead`,
        });
      }
      requireStayVersion(scope, input.expectedVersion);
      if (input.wardId === scope.stay.wardId) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'wardId: the patient is on this ward already',
        });
      }
      checkInstant(ctx, 'transferredAt', input.transferredAt);
      const now = ctx.now();
      const moved = await writePatient(ctx, { action, scope, kind: 'stay' }, (tx) => {
        const transfer = transferToWard(tx, {
          patientId: input.patientId,
          from: scope.stay,
          wardId: input.wardId,
          bedId: input.bedId,
          transferredAt: input.transferredAt,
          now,
        });
        return {
          result: {
            stayId: transfer.toStayId,
            version: transfer.version,
            previousStayId: scope.stay.id,
          },
          detail: { ...transfer, bedId: input.bedId, transferredAt: input.transferredAt },
        };
      });
      ctx.events.publish({ wardId: input.wardId, patientId: input.patientId, kind: 'stay' });
      return moved;
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
      requireStayVersion(scope, input.expectedVersion);
      checkInstant(ctx, 'dischargedAt', input.dischargedAt, {
        at: scope.stay.admittedAt,
        what: 'the admission',
      });
      const now = ctx.now();
      return writePatient(ctx, { action, scope, kind: 'stay' }, (tx) => {
        const { version } = dischargeFromWard(tx, {
          patientId: input.patientId,
          stay: scope.stay,
          dischargedAt: input.dischargedAt,
          now,
        });
        return {
          result: { stayId: scope.stay.id, version },
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
      const { dateOfBirth } = patientDates(ctx, input.patientId);
      if (dateOfBirth !== null)
        checkInjuryInstant(ctx, 'occurredAt', input.occurredAt, dateOfBirth);
      else checkInstant(ctx, 'occurredAt', input.occurredAt);
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
