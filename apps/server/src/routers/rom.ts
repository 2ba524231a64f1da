import { checkRomValue, JOINT_SITES, MOVEMENTS, ROM_MODES, SIDES } from '@ossiwatch/domain';
import type { TRPCRouterRecord } from '@trpc/server';
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
import { romReadings } from '../db/schema.ts';
import { preparedStatement } from '../statements.ts';
import { clinicalProcedure, therapistProcedure } from '../trpc.ts';
import { insertTherapyScales, mobilityListInput, spasticityListInput } from './therapy-inputs.ts';

export const MAX_READINGS_PER_SESSION = 100;

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

  /** Every ROM reading of a patient, oldest first. */
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
    return readings;
  }),
} satisfies TRPCRouterRecord;
