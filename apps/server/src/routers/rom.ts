import { checkRomValue, JOINT_SITES, MOVEMENTS, ROM_MODES, SIDES } from '@ossiwatch/domain';
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  auditRead,
  idInput,
  instantInput,
  patientIdInput,
  requireCurrentStay,
  requirePatientScope,
  writePatient,
} from '../clinical.ts';
import { checkClinicalInstant } from '../plausibility.ts';
import { enterInError, reasonInput, withStatus } from '../corrections.ts';
import { romReadings } from '../db/schema.ts';
import { CURRENT_RECORD } from '../db/schema/corrections.ts';
import { preparedStatement } from '../statements.ts';
import { clinicalProcedure, roleProcedure, therapistProcedure } from '../trpc.ts';
import { insertTherapyScales, mobilityListInput, spasticityListInput } from './therapy-inputs.ts';

export const MAX_READINGS_PER_SESSION = 100;

const therapistOrPhysicianProcedure = roleProcedure('therapist', 'physician');

const romReadingInput = z.strictObject({
  site: z.enum(JOINT_SITES),
  side: z.enum(SIDES),
  movement: z.enum(MOVEMENTS),
  mode: z.enum(ROM_MODES),
  degrees: z.number(),
});

/**
 * A goniometry session. Each reading is checked against the joint catalog (does the joint have that
 * movement, is the value plausible); one bad reading refuses the whole session, naming the reading's
 * field (`readings.3.degrees`) and the bound.
 */
export const romSessionInput = z
  .object({
    patientId: idInput,
    takenAt: instantInput,
    readings: z.array(romReadingInput).min(1).max(MAX_READINGS_PER_SESSION),
    /** Modified Ashworth grades taken in the same sitting (optional). */
    spasticity: spasticityListInput.optional(),
    /** JH-HLM, FAC or Section GG codes taken in the same sitting (optional). */
    mobility: mobilityListInput.optional(),
  })
  .superRefine((input, issues) => {
    const seen = new Map<string, number>();
    input.readings.forEach((reading, index) => {
      const problem = checkRomValue(reading.site, reading.movement, reading.degrees);
      if (problem) {
        issues.addIssue({
          code: 'custom',
          path: ['readings', index, problem.kind === 'unknown_movement' ? 'movement' : 'degrees'],
          message: problem.message,
        });
      }
      const key = `${reading.site}:${reading.side}:${reading.movement}:${reading.mode}`;
      const first = seen.get(key);
      if (first !== undefined) {
        issues.addIssue({
          code: 'custom',
          path: ['readings', index],
          message: `the same ${reading.side} ${reading.site} ${reading.movement.replace('_', ' ')} (${reading.mode}) is already reading ${first}`,
        });
      } else {
        seen.set(key, index);
      }
    });
  });

// A save inserts a session and its readings with statements compiled once (a ROM save is the
// busiest write; see statements.ts).
const insertSession = preparedStatement<[number, string, number]>(
  'INSERT INTO rom_sessions (patient_id, taken_at, recorded_by) VALUES (?, ?, ?)',
);
const insertReading = preparedStatement<
  [number, number, string, string, string, string, number, string]
>(
  `INSERT INTO rom_readings (session_id, patient_id, site, side, movement, mode, degrees, taken_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
);

const selectSessionPatient = preparedStatement<[number], { patientId: number }>(
  'SELECT patient_id AS patientId FROM rom_sessions WHERE id = ?',
);
const selectSessionReadings = preparedStatement<[number], { id: number }>(
  `SELECT id FROM rom_readings WHERE session_id = ? AND ${CURRENT_RECORD} ORDER BY id`,
);

export const romRouter = {
  /** Saves a therapist's session: every reading, or none. */
  recordSession: therapistProcedure.input(romSessionInput).mutation(({ ctx, input }) => {
    const action = 'rom.recordSession';
    const scope = requireCurrentStay(ctx, input.patientId, action);
    checkClinicalInstant(ctx, scope, 'takenAt', input.takenAt, {
      at: scope.stay.admittedAt,
      what: 'the admission',
    });
    return writePatient(ctx, { action, scope, kind: 'rom' }, (tx) => {
      const sessionId = Number(
        insertSession(tx).run(input.patientId, input.takenAt, ctx.user.id).lastInsertRowid,
      );
      const insert = insertReading(tx);
      const readingIds = input.readings.map((reading) =>
        Number(
          insert.run(
            sessionId,
            input.patientId,
            reading.site,
            reading.side,
            reading.movement,
            reading.mode,
            reading.degrees,
            input.takenAt,
          ).lastInsertRowid,
        ),
      );
      const scales = insertTherapyScales(
        tx,
        input.patientId,
        input.takenAt,
        ctx.user.id,
        input.spasticity ?? [],
        input.mobility ?? [],
      );
      return {
        result: { sessionId, readingIds, ...scales },
        detail: {
          sessionId,
          readings: readingIds.length,
          spasticity: scales.spasticityIds.length,
          mobility: scales.mobilityIds.length,
        },
      };
    });
  }),

  /**
   * Withdraws a session's readings (all, or `readingIds` of it) as entered in error, with a reason:
   * they stay in `rom.list` with their status, and leave every rule, assessment, board and rate.
   */
  // A ROM session is a therapist's: its author (a therapist) or a physician may withdraw it.
  enterInError: therapistOrPhysicianProcedure
    .input(
      z.strictObject({
        sessionId: idInput,
        readingIds: z.array(idInput).min(1).max(MAX_READINGS_PER_SESSION).optional(),
        reason: reasonInput,
      }),
    )
    .mutation(({ ctx, input }) => {
      const session = selectSessionPatient(ctx.db).get(input.sessionId);
      if (!session) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such session.' });
      requirePatientScope(ctx, session.patientId, 'rom.enterInError');
      const current = selectSessionReadings(ctx.db).all(input.sessionId);
      if (current.length === 0) {
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: 'None of the readings of this session is still current.',
        });
      }
      const ids = input.readingIds ?? current.map((row) => row.id);
      const known = new Set(current.map((row) => row.id));
      ids.forEach((id, index) => {
        if (!known.has(id)) {
          throw new TRPCError({
            code: 'BAD_REQUEST',
            message: `readingIds.${index}: reading ${id} is not a current reading of session ${input.sessionId}`,
          });
        }
      });
      return enterInError(ctx, {
        kind: 'rom',
        ids,
        reason: input.reason,
        action: 'rom.enterInError',
        detail: { sessionId: input.sessionId },
      });
    }),

  /**
   * Every ROM reading of a patient, oldest first, each with its `status` ('final', or
   * 'entered-in-error' with who, when and why); a corrected reading is listed in its newest version
   * ('amended'), the versions it replaced through `records.versions`.
   */
  list: clinicalProcedure.input(patientIdInput).query(({ ctx, input }) => {
    requirePatientScope(ctx, input.patientId, 'rom.list');
    const readings = ctx.db
      .select({
        id: romReadings.id,
        sessionId: romReadings.sessionId,
        site: romReadings.site,
        side: romReadings.side,
        movement: romReadings.movement,
        mode: romReadings.mode,
        degrees: romReadings.degrees,
        takenAt: romReadings.takenAt,
      })
      .from(romReadings)
      .where(eq(romReadings.patientId, input.patientId))
      .orderBy(asc(romReadings.takenAt), asc(romReadings.id))
      .all();
    auditRead(ctx, 'rom.list', input.patientId, { readings: readings.length });
    return withStatus(ctx.db, 'rom', input.patientId, readings);
  }),
} satisfies TRPCRouterRecord;
