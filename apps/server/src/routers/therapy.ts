import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { idInput, instantInput, requireCurrentStay, writePatient } from '../clinical.ts';
import { checkClinicalInstant } from '../plausibility.ts';
import { therapistProcedure } from '../trpc.ts';
import { insertTherapyScales, mobilityListInput, spasticityListInput } from './therapy-inputs.ts';

export const therapyRouter = {
  /**
   * Modified Ashworth grades and mobility codes (JH-HLM, Section GG items, FAC) taken at one time,
   * without goniometry (with it, they go along with `rom.recordSession`).
   */
  recordScales: therapistProcedure
    .input(
      z
        .object({
          patientId: idInput,
          takenAt: instantInput,
          spasticity: spasticityListInput.default([]),
          mobility: mobilityListInput.default([]),
        })
        .refine(
          (input) => input.spasticity.length + input.mobility.length > 0,
          'record at least one spasticity grade or mobility code',
        ),
    )
    .mutation(({ ctx, input }) => {
      const action = 'therapy.recordScales';
      const scope = requireCurrentStay(ctx, input.patientId, action);
      checkClinicalInstant(ctx, scope, 'takenAt', input.takenAt, {
        at: scope.stay.admittedAt,
        what: 'the admission',
      });
      return writePatient(ctx, { action, scope, kind: 'therapy' }, (tx) => {
        const ids = insertTherapyScales(
          tx,
          input.patientId,
          input.takenAt,
          ctx.user.id,
          input.spasticity,
          input.mobility,
        );
        return {
          result: ids,
          detail: { spasticity: input.spasticity, mobility: input.mobility },
        };
      });
    }),
} satisfies TRPCRouterRecord;
