import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { auditRead, idInput, requirePatientScope } from '../clinical.ts';
import {
  amendInput,
  amendRecord,
  enterInError,
  enterInErrorInput,
  RECORD_KINDS,
  versionsOf,
} from '../corrections.ts';
import { clinicalProcedure } from '../trpc.ts';

/** Corrections of any clinical record (PRODUCT §5): entered in error, amended, versions. */
export const recordsRouter = {
  /** Withdraws a record with a reason: kept and shown struck through, out of every rule and rate. */
  enterInError: clinicalProcedure.input(enterInErrorInput).mutation(({ ctx, input }) =>
    enterInError(ctx, {
      kind: input.kind,
      ids: [input.id],
      versions: [input.version],
      reason: input.reason,
      action: 'records.enterInError',
    }),
  ),

  /** Replaces a record with a corrected version (the old one kept, linked, shown on request). */
  amend: clinicalProcedure
    .input(amendInput)
    .mutation(({ ctx, input }) => amendRecord(ctx, input, 'records.amend')),

  /** Every version of a record, newest first, with who replaced or withdrew each, when and why. */
  versions: clinicalProcedure
    .input(z.strictObject({ kind: z.enum(RECORD_KINDS), id: idInput }))
    .query(({ ctx, input }) => {
      const { patientId, versions } = versionsOf(ctx.db, input.kind, input.id);
      requirePatientScope(ctx, patientId, 'records.versions');
      auditRead(ctx, 'records.versions', patientId, { kind: input.kind, id: input.id });
      return versions;
    }),
} satisfies TRPCRouterRecord;
