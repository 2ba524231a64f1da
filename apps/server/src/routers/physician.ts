import {
  BROOKER_CLASSES,
  HASTINGS_GRAHAM_CLASSES,
  IMAGING_MODALITIES,
  IMAGING_RESULTS,
  JOINT_SITES,
  NSAID_DRUGS,
  SIDES,
} from '@ossiwatch/domain';
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  idInput,
  instantInput,
  requirePatientScope,
  versionConflict,
  writePatient,
} from '../clinical.ts';
import { checkClinicalInstant } from '../plausibility.ts';
import { bleedingRisk, hoDiagnoses, imaging, interventions } from '../db/schema.ts';
import { HO_DIAGNOSIS_FINDINGS } from '../db/schema.ts';
import { refuseWithdrawn } from '../corrections.ts';
import { physicianProcedure } from '../trpc.ts';

/** Brooker grades the hip, Hastings & Graham the elbow, free text elsewhere (CR §2.4). */
const imagingGradeInput = z.discriminatedUnion('system', [
  z.strictObject({ system: z.literal('brooker'), grade: z.enum(BROOKER_CLASSES) }),
  z.strictObject({ system: z.literal('hastings_graham'), grade: z.enum(HASTINGS_GRAHAM_CLASSES) }),
  z.strictObject({ system: z.literal('free_text'), text: z.string().trim().min(1).max(500) }),
]);

const imagingInput = z
  .object({
    patientId: idInput,
    takenAt: instantInput,
    modality: z.enum(IMAGING_MODALITIES),
    site: z.enum(JOINT_SITES),
    side: z.enum(SIDES),
    result: z.enum(IMAGING_RESULTS),
    grade: imagingGradeInput.nullable().default(null),
  })
  .superRefine((input, issues) => {
    const grade = input.grade;
    if (grade?.system === 'brooker' && input.site !== 'hip') {
      issues.addIssue({
        code: 'custom',
        path: ['grade', 'system'],
        message: `Brooker grades the hip, not the ${input.site}`,
      });
    }
    if (grade?.system === 'hastings_graham' && input.site !== 'elbow') {
      issues.addIssue({
        code: 'custom',
        path: ['grade', 'system'],
        message: `Hastings & Graham grades the elbow, not the ${input.site}`,
      });
    }
  });

const interventionInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('nsaid'),
    drug: z.enum(NSAID_DRUGS),
    doseMg: z.number().positive().max(5000),
  }),
  z.strictObject({ kind: z.literal('etidronate'), doseMgPerKgDay: z.number().positive().max(50) }),
  z.strictObject({
    kind: z.literal('radiation'),
    doseGy: z.number().positive().max(50),
    site: z.enum(JOINT_SITES),
    side: z.enum(SIDES),
  }),
  z.strictObject({ kind: z.literal('excision'), site: z.enum(JOINT_SITES), side: z.enum(SIDES) }),
  z.strictObject({ kind: z.literal('physiotherapy') }),
]);

export const imagingRouter = {
  /** An imaging study of one joint with its result and grade. */
  record: physicianProcedure.input(imagingInput).mutation(({ ctx, input }) => {
    const action = 'imaging.record';
    const scope = requirePatientScope(ctx, input.patientId, action);
    checkClinicalInstant(ctx, scope, 'takenAt', input.takenAt);
    return writePatient(ctx, { action, scope, kind: 'imaging' }, (tx) => {
      const grade = input.grade;
      const row = tx
        .insert(imaging)
        .values({
          patientId: input.patientId,
          modality: input.modality,
          site: input.site,
          side: input.side,
          result: input.result,
          gradeSystem: grade?.system ?? null,
          grade: grade === null ? null : grade.system === 'free_text' ? grade.text : grade.grade,
          takenAt: input.takenAt,
          recordedBy: ctx.user.id,
        })
        .returning({ id: imaging.id })
        .get();
      const { patientId: _p, ...detail } = input;
      return { result: { id: row.id }, detail };
    });
  }),
} satisfies TRPCRouterRecord;

export const diagnosisRouter = {
  /** A physician confirms or rules out HO at a joint (the HO state itself stays derived). */
  record: physicianProcedure
    .input(
      z.strictObject({
        patientId: idInput,
        diagnosedAt: instantInput,
        site: z.enum(JOINT_SITES),
        side: z.enum(SIDES),
        finding: z.enum(HO_DIAGNOSIS_FINDINGS),
        grade: z.string().trim().min(1).max(100).nullable().default(null),
        note: z.string().trim().max(2000).nullable().default(null),
      }),
    )
    .mutation(({ ctx, input }) => {
      const action = 'diagnosis.record';
      const scope = requirePatientScope(ctx, input.patientId, action);
      checkClinicalInstant(ctx, scope, 'diagnosedAt', input.diagnosedAt);
      return writePatient(ctx, { action, scope, kind: 'diagnosis' }, (tx) => {
        const row = tx
          .insert(hoDiagnoses)
          .values({ ...input, recordedBy: ctx.user.id })
          .returning({ id: hoDiagnoses.id, version: hoDiagnoses.version })
          .get();
        const { patientId: _p, ...detail } = input;
        return { result: row, detail };
      });
    }),
} satisfies TRPCRouterRecord;

export const interventionRouter = {
  /**
   * A treatment starts (NSAID, etidronate, physiotherapy) or is given (radiation, excision: those
   * have no stop).
   */
  start: physicianProcedure
    .input(
      z.strictObject({
        patientId: idInput,
        startedAt: instantInput,
        intervention: interventionInput,
      }),
    )
    .mutation(({ ctx, input }) => {
      const action = 'intervention.start';
      const scope = requirePatientScope(ctx, input.patientId, action);
      checkClinicalInstant(ctx, scope, 'startedAt', input.startedAt);
      const i = input.intervention;
      return writePatient(ctx, { action, scope, kind: 'intervention' }, (tx) => {
        const row = tx
          .insert(interventions)
          .values({
            patientId: input.patientId,
            kind: i.kind,
            drug: i.kind === 'nsaid' ? i.drug : null,
            doseMg: i.kind === 'nsaid' ? i.doseMg : null,
            doseMgPerKgDay: i.kind === 'etidronate' ? i.doseMgPerKgDay : null,
            doseGy: i.kind === 'radiation' ? i.doseGy : null,
            site: i.kind === 'radiation' || i.kind === 'excision' ? i.site : null,
            side: i.kind === 'radiation' || i.kind === 'excision' ? i.side : null,
            startedAt: input.startedAt,
            recordedBy: ctx.user.id,
          })
          .returning({ id: interventions.id, version: interventions.version })
          .get();
        return { result: row, detail: { ...i, startedAt: input.startedAt } };
      });
    }),

  /** A course stops; a stale version gets CONFLICT. */
  stop: physicianProcedure
    .input(
      z.strictObject({
        patientId: idInput,
        interventionId: idInput,
        stoppedAt: instantInput,
        expectedVersion: idInput,
      }),
    )
    .mutation(({ ctx, input }) => {
      const action = 'intervention.stop';
      const scope = requirePatientScope(ctx, input.patientId, action);
      checkClinicalInstant(ctx, scope, 'stoppedAt', input.stoppedAt);
      return writePatient(ctx, { action, scope, kind: 'intervention' }, (tx) => {
        const current = tx
          .select()
          .from(interventions)
          .where(
            and(
              eq(interventions.id, input.interventionId),
              eq(interventions.patientId, input.patientId),
            ),
          )
          .get();
        if (!current) {
          throw new TRPCError({
            code: 'NOT_FOUND',
            message: 'No such treatment for this patient.',
          });
        }
        refuseWithdrawn('This treatment', current.status);
        if (current.version !== input.expectedVersion) {
          throw versionConflict('This treatment', current.version);
        }
        if (current.kind === 'radiation' || current.kind === 'excision') {
          throw new TRPCError({
            code: 'BAD_REQUEST',
            message: `interventionId: a ${current.kind} is given once; it has no stop`,
          });
        }
        if (current.stoppedAt !== null) {
          throw new TRPCError({ code: 'CONFLICT', message: 'This treatment was already stopped.' });
        }
        if (input.stoppedAt < current.startedAt) {
          throw new TRPCError({
            code: 'BAD_REQUEST',
            message: `stoppedAt: ${input.stoppedAt} is before the start (${current.startedAt})`,
          });
        }
        tx.update(interventions)
          .set({ stoppedAt: input.stoppedAt, version: current.version + 1 })
          .where(eq(interventions.id, current.id))
          .run();
        return {
          result: { id: current.id, version: current.version + 1 },
          detail: { interventionId: current.id, stoppedAt: input.stoppedAt },
        };
      });
    }),
} satisfies TRPCRouterRecord;

export const bleedingRiskRouter = {
  /**
   * Sets the patient's known bleeding risk (drives the NSAID bleeding caution, CR §6.1). The first
   * time `expectedVersion` is null; afterwards the version read, or CONFLICT.
   */
  set: physicianProcedure
    .input(
      z.strictObject({
        patientId: idInput,
        expectedVersion: idInput.nullable(),
        gastrointestinalBleed: z.boolean(),
        intracranialBleed: z.boolean(),
        renalImpairment: z.boolean(),
        anticoagulated: z.boolean(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const action = 'bleedingRisk.set';
      const scope = requirePatientScope(ctx, input.patientId, action);
      const { patientId, expectedVersion, ...flags } = input;
      return writePatient(ctx, { action, scope, kind: 'bleeding_risk' }, (tx) => {
        const current = tx
          .select({ version: bleedingRisk.version })
          .from(bleedingRisk)
          .where(eq(bleedingRisk.patientId, patientId))
          .get();
        const currentVersion = current?.version ?? null;
        if (currentVersion !== expectedVersion) {
          throw versionConflict('The bleeding risk', currentVersion ?? 0);
        }
        const version = (currentVersion ?? 0) + 1;
        const updatedAt = ctx.now().toISOString();
        tx.insert(bleedingRisk)
          .values({ patientId, ...flags, updatedAt, recordedBy: ctx.user.id, version })
          .onConflictDoUpdate({
            target: bleedingRisk.patientId,
            set: { ...flags, updatedAt, recordedBy: ctx.user.id, version },
          })
          .run();
        return { result: { version }, detail: flags };
      });
    }),
} satisfies TRPCRouterRecord;
