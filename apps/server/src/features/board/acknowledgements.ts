/**
 * Acknowledging a patient's Alert or High row on the ward board (PRODUCT §5): who, when and a note,
 * one current acknowledgement per patient, versioned so that two people acknowledging at once do
 * not overwrite each other silently. An acknowledgement changes nothing in the clinical record, so
 * the assessment is not recomputed; it holds until something new happens (board.ts).
 */
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../../audit.ts';
import { type SignedInContext, type PatientScope, versionConflict } from '../../clinical.ts';
import { boardAcknowledgements, patientAssessments } from '../../db/schema.ts';
import { commitWrite } from '../../group-commit.ts';

export interface AcknowledgeInput {
  readonly patientId: number;
  readonly note: string;
  /** The acknowledgement version the person saw (0: none). */
  readonly version: number;
}

export async function acknowledgePatient(
  ctx: SignedInContext,
  scope: PatientScope,
  input: AcknowledgeInput,
): Promise<{ version: number; acknowledgedAt: string }> {
  const now = ctx.now();
  const at = now.toISOString();
  const note = input.note.trim();
  const result = await commitWrite(ctx.db, (tx) => {
    const stored = tx
      .select({ tier: patientAssessments.tier })
      .from(patientAssessments)
      .where(eq(patientAssessments.patientId, input.patientId))
      .get();
    if (stored?.tier !== 'alert' && stored?.tier !== 'high') {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `patientId: only an Alert or High row is acknowledged (this patient is ${stored?.tier ?? 'not assessed'})`,
      });
    }
    const current = tx
      .select({ version: boardAcknowledgements.version })
      .from(boardAcknowledgements)
      .where(eq(boardAcknowledgements.patientId, input.patientId))
      .get();
    const currentVersion = current?.version ?? 0;
    if (currentVersion !== input.version) {
      throw versionConflict('The acknowledgement', currentVersion);
    }
    const version = currentVersion + 1;
    tx.insert(boardAcknowledgements)
      .values({
        patientId: input.patientId,
        version,
        userId: ctx.user.id,
        byName: ctx.user.displayName,
        note,
        acknowledgedAt: at,
      })
      .onConflictDoUpdate({
        target: boardAcknowledgements.patientId,
        set: {
          version,
          userId: ctx.user.id,
          byName: ctx.user.displayName,
          note,
          acknowledgedAt: at,
        },
      })
      .run();
    appendAudit(tx, {
      at: now,
      userId: ctx.user.id,
      username: ctx.user.username,
      action: 'ward.acknowledge',
      patientId: input.patientId,
      category: 'write',
      outcome: 'success',
      clientIp: ctx.clientIp,
      detail: { wardId: scope.stay.wardId, tier: stored.tier, note, version },
    });
    return { version, acknowledgedAt: at };
  });
  ctx.events.publish({
    wardId: scope.stay.wardId,
    patientId: input.patientId,
    kind: 'acknowledgement',
  });
  return result;
}
