import { JOINT_SITES, PRESSURE_INJURY_STAGES, SIDES, VITAL_BOUNDS } from '@ossiwatch/domain';
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import {
  idInput,
  instantInput,
  requireCurrentStay,
  requirePatientScope,
  versionConflict,
  writePatient,
} from '../clinical.ts';
import { recordVitalOrLab } from '../features/patients/vitals-labs.ts';
import { checkClinicalInstant } from '../plausibility.ts';
import { braden, catheterEpisodes, complications, jointObservations } from '../db/schema.ts';
import { refuseWithdrawn } from '../corrections.ts';
import { currentRecord } from '../db/schema/corrections.ts';
import { CATHETER, closeEpisode, COMPLICATION } from '../episodes.ts';
import { nurseOrPhysicianProcedure, nurseProcedure } from '../trpc.ts';

const jointSignsInput = z
  .object({
    site: z.enum(JOINT_SITES),
    side: z.enum(SIDES),
    swelling: z.boolean().nullable().default(null),
    warmth: z.boolean().nullable().default(null),
    erythema: z.boolean().nullable().default(null),
    pain: z.number().int().min(0).max(10).nullable().default(null),
  })
  .refine(
    (o) => o.swelling !== null || o.warmth !== null || o.erythema !== null || o.pain !== null,
    'record at least one sign (swelling, warmth, erythema or pain); a sign not looked for is left empty',
  );

const vitalInput = z
  .object({
    patientId: idInput,
    takenAt: instantInput,
    kind: z.enum(['temperature', 'crp', 'alp', 'ck']),
    value: z.number(),
  })
  .superRefine((input, issues) => {
    const bounds = VITAL_BOUNDS[input.kind];
    if (input.value < bounds.min || input.value > bounds.max) {
      issues.addIssue({
        code: 'custom',
        path: ['value'],
        message: `${input.kind} of ${input.value} ${bounds.unit} is outside the plausible range ${bounds.min}–${bounds.max} ${bounds.unit}`,
      });
    }
  });

const subscale = (max: number) => z.number().int().min(1).max(max);

export const nursingRouter = {
  /** Swelling, warmth, erythema and pain at one or more joints (nurse signs count towards suspected HO). */
  recordJointSigns: nurseProcedure
    .input(
      z.strictObject({
        patientId: idInput,
        takenAt: instantInput,
        observations: z
          .array(jointSignsInput)
          .min(1)
          .max(2 * JOINT_SITES.length),
      }),
    )
    .mutation(({ ctx, input }) => {
      const action = 'nursing.recordJointSigns';
      const scope = requireCurrentStay(ctx, input.patientId, action);
      checkClinicalInstant(ctx, scope, 'takenAt', input.takenAt, {
        at: scope.stay.admittedAt,
        what: 'the admission',
      });
      return writePatient(ctx, { action, scope, kind: 'nursing' }, (tx) => {
        const ids = input.observations.map(
          (observation) =>
            tx
              .insert(jointObservations)
              .values({
                ...observation,
                patientId: input.patientId,
                takenAt: input.takenAt,
                recordedBy: ctx.user.id,
              })
              .returning({ id: jointObservations.id })
              .get().id,
        );
        return { result: { observationIds: ids }, detail: { observations: input.observations } };
      });
    }),

  /** Temperature (°C) or a lab value (CRP mg/L, ALP U/L, CK U/L). */
  recordVital: nurseOrPhysicianProcedure.input(vitalInput).mutation(({ ctx, input }) => {
    const action = 'nursing.recordVital';
    const scope = requireCurrentStay(ctx, input.patientId, action);
    checkClinicalInstant(ctx, scope, 'takenAt', input.takenAt, {
      at: scope.stay.admittedAt,
      what: 'the admission',
    });
    return writePatient(ctx, { action, scope, kind: 'nursing' }, (tx) => {
      const id = recordVitalOrLab(tx, {
        patientId: input.patientId,
        kind: input.kind,
        value: input.value,
        unit: VITAL_BOUNDS[input.kind].unit,
        takenAt: input.takenAt,
        recordedBy: ctx.user.id,
      });
      return {
        result: { id },
        detail: { kind: input.kind, value: input.value, unit: VITAL_BOUNDS[input.kind].unit },
      };
    });
  }),

  /** A Braden assessment: six subscales (CR §5.3); the total is derived. */
  recordBraden: nurseProcedure
    .input(
      z.strictObject({
        patientId: idInput,
        takenAt: instantInput,
        sensoryPerception: subscale(4),
        moisture: subscale(4),
        activity: subscale(4),
        mobility: subscale(4),
        nutrition: subscale(4),
        frictionShear: subscale(3),
      }),
    )
    .mutation(({ ctx, input }) => {
      const action = 'nursing.recordBraden';
      const scope = requireCurrentStay(ctx, input.patientId, action);
      checkClinicalInstant(ctx, scope, 'takenAt', input.takenAt, {
        at: scope.stay.admittedAt,
        what: 'the admission',
      });
      return writePatient(ctx, { action, scope, kind: 'braden' }, (tx) => {
        const row = tx
          .insert(braden)
          .values({ ...input, recordedBy: ctx.user.id })
          .returning({ id: braden.id })
          .get();
        const { patientId: _p, takenAt: _t, ...subscales } = input;
        return { result: { id: row.id }, detail: subscales };
      });
    }),

  /** An indwelling urinary catheter goes in (the CAUTI denominator, CR §5.4). */
  insertCatheter: nurseProcedure
    .input(z.strictObject({ patientId: idInput, insertedAt: instantInput }))
    .mutation(({ ctx, input }) => {
      const action = 'nursing.insertCatheter';
      const scope = requireCurrentStay(ctx, input.patientId, action);
      checkClinicalInstant(ctx, scope, 'insertedAt', input.insertedAt, {
        at: scope.stay.admittedAt,
        what: 'the admission',
      });
      return writePatient(ctx, { action, scope, kind: 'catheter' }, (tx) => {
        const open = tx
          .select({ id: catheterEpisodes.id })
          .from(catheterEpisodes)
          .where(
            and(
              eq(catheterEpisodes.patientId, input.patientId),
              isNull(catheterEpisodes.removedAt),
              currentRecord(catheterEpisodes),
            ),
          )
          .get();
        if (open) {
          throw new TRPCError({
            code: 'CONFLICT',
            message: 'A catheter is already recorded as in place; record its removal first.',
          });
        }
        const row = tx
          .insert(catheterEpisodes)
          .values({
            patientId: input.patientId,
            wardId: scope.stay.wardId,
            insertedAt: input.insertedAt,
            recordedBy: ctx.user.id,
          })
          .returning({ id: catheterEpisodes.id, version: catheterEpisodes.version })
          .get();
        return { result: row, detail: { catheterId: row.id, insertedAt: input.insertedAt } };
      });
    }),

  /** The catheter comes out; a stale version gets CONFLICT. */
  removeCatheter: nurseProcedure
    .input(
      z.strictObject({
        patientId: idInput,
        catheterId: idInput,
        removedAt: instantInput,
        expectedVersion: idInput,
      }),
    )
    .mutation(({ ctx, input }) => {
      const action = 'nursing.removeCatheter';
      const scope = requirePatientScope(ctx, input.patientId, action);
      checkClinicalInstant(ctx, scope, 'removedAt', input.removedAt);
      return writePatient(ctx, { action, scope, kind: 'catheter' }, (tx) => {
        const result = closeEpisode(tx, CATHETER, {
          id: input.catheterId,
          patientId: input.patientId,
          endedAt: input.removedAt,
          expectedVersion: input.expectedVersion,
        });
        return { result, detail: { catheterId: result.id, removedAt: input.removedAt } };
      });
    }),
} satisfies TRPCRouterRecord;

const complicationStartInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('pressure_injury'),
    bodySite: z.string().trim().min(1).max(100),
    stage: z.enum(PRESSURE_INJURY_STAGES),
    deviceRelated: z.boolean(),
  }),
  z.strictObject({ kind: z.literal('pneumonia') }),
  z.strictObject({ kind: z.literal('uti') }),
  z.strictObject({
    kind: z.literal('dvt'),
    site: z.enum(JOINT_SITES).nullable().default(null),
    side: z.enum(SIDES).nullable().default(null),
  }),
]);

export const complicationRouter = {
  /**
   * A complication begins. It counts on the patient's current ward (PRODUCT §4); one present on
   * admission may have begun before it. UTI on a catheter is derived as CAUTI, never typed (CR §5.4).
   */
  start: nurseOrPhysicianProcedure
    .input(
      z.strictObject({
        patientId: idInput,
        onsetAt: instantInput,
        presentOnAdmission: z.boolean(),
        complication: complicationStartInput,
      }),
    )
    .mutation(({ ctx, input }) => {
      const action = 'complication.start';
      const scope = requireCurrentStay(ctx, input.patientId, action);
      checkClinicalInstant(
        ctx,
        scope,
        'onsetAt',
        input.onsetAt,
        input.presentOnAdmission ? undefined : { at: scope.stay.admittedAt, what: 'the admission' },
      );
      return writePatient(ctx, { action, scope, kind: 'complication' }, (tx) => {
        const c = input.complication;
        const row = tx
          .insert(complications)
          .values({
            patientId: input.patientId,
            wardId: scope.stay.wardId,
            kind: c.kind,
            onsetAt: input.onsetAt,
            presentOnAdmission: input.presentOnAdmission,
            bodySite: c.kind === 'pressure_injury' ? c.bodySite : null,
            stage: c.kind === 'pressure_injury' ? c.stage : null,
            deviceRelated: c.kind === 'pressure_injury' ? c.deviceRelated : null,
            site: c.kind === 'dvt' && c.side !== null ? c.site : null,
            side: c.kind === 'dvt' && c.site !== null ? c.side : null,
            recordedBy: ctx.user.id,
          })
          .returning({ id: complications.id, version: complications.version })
          .get();
        return {
          result: row,
          detail: { complicationId: row.id, ...c, onsetAt: input.onsetAt },
        };
      });
    }),

  /** A complication resolves; a stale version gets CONFLICT with the current version. */
  resolve: nurseOrPhysicianProcedure
    .input(
      z.strictObject({
        patientId: idInput,
        complicationId: idInput,
        resolvedAt: instantInput,
        expectedVersion: idInput,
      }),
    )
    .mutation(({ ctx, input }) => {
      const action = 'complication.resolve';
      const scope = requirePatientScope(ctx, input.patientId, action);
      checkClinicalInstant(ctx, scope, 'resolvedAt', input.resolvedAt);
      return writePatient(ctx, { action, scope, kind: 'complication' }, (tx) => {
        const result = closeEpisode(tx, COMPLICATION, {
          id: input.complicationId,
          patientId: input.patientId,
          endedAt: input.resolvedAt,
          expectedVersion: input.expectedVersion,
        });
        return { result, detail: { complicationId: result.id, resolvedAt: input.resolvedAt } };
      });
    }),

  /** Corrects a pressure injury's stage or site, or the present-on-admission flag; versioned. */
  update: nurseOrPhysicianProcedure
    .input(
      z.strictObject({
        patientId: idInput,
        complicationId: idInput,
        expectedVersion: idInput,
        presentOnAdmission: z.boolean().optional(),
        stage: z.enum(PRESSURE_INJURY_STAGES).optional(),
        bodySite: z.string().trim().min(1).max(100).optional(),
        deviceRelated: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const action = 'complication.update';
      const scope = requirePatientScope(ctx, input.patientId, action);
      return writePatient(ctx, { action, scope, kind: 'complication' }, (tx) => {
        const current = tx
          .select()
          .from(complications)
          .where(
            and(
              eq(complications.id, input.complicationId),
              eq(complications.patientId, input.patientId),
            ),
          )
          .get();
        if (!current) {
          throw new TRPCError({
            code: 'NOT_FOUND',
            message: 'No such complication for this patient.',
          });
        }
        refuseWithdrawn('This complication', current.status);
        if (current.version !== input.expectedVersion) {
          throw versionConflict('This complication', current.version);
        }
        const pressureFields = [input.stage, input.bodySite, input.deviceRelated];
        if (current.kind !== 'pressure_injury' && pressureFields.some((f) => f !== undefined)) {
          throw new TRPCError({
            code: 'BAD_REQUEST',
            message: `stage: only a pressure injury has a stage, site and device flag, not a ${current.kind}`,
          });
        }
        const changes = {
          ...(input.presentOnAdmission !== undefined
            ? { presentOnAdmission: input.presentOnAdmission }
            : {}),
          ...(input.stage !== undefined ? { stage: input.stage } : {}),
          ...(input.bodySite !== undefined ? { bodySite: input.bodySite } : {}),
          ...(input.deviceRelated !== undefined ? { deviceRelated: input.deviceRelated } : {}),
        };
        tx.update(complications)
          .set({ ...changes, version: current.version + 1 })
          .where(eq(complications.id, current.id))
          .run();
        return {
          result: { id: current.id, version: current.version + 1 },
          detail: { complicationId: current.id, changes },
        };
      });
    }),
} satisfies TRPCRouterRecord;
