/**
 * A transfer as one write: the current stay closes and the next one opens at the same instant, in
 * the caller's transaction, so the patient is never on two wards nor on none. Written for the ADT
 * feed (A02); the ward screens' transfer can share it.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { OssiwatchTx } from '../../db/client.ts';
import { stays } from '../../db/schema.ts';

export interface TransferInput {
  readonly patientId: number;
  readonly toWardId: number;
  readonly toBedId: number | null;
  /** The instant the patient leaves one stay and starts the other (UTC ISO). */
  readonly at: string;
}

export type TransferResult =
  | {
      readonly ok: true;
      readonly fromStayId: number;
      readonly fromWardId: number;
      readonly toStayId: number;
    }
  | { readonly ok: false; readonly reason: 'not_admitted' | 'before_admission' };

/**
 * Closes the patient's open stay at `at` and opens a stay on `toWardId` at `at`. A move between beds
 * of the same ward keeps the stay (a new stay would count a second admission to the ward) and only
 * changes its bed. Refuses (without writing) when the patient has no open stay or `at` precedes it.
 */
export function transferStay(tx: OssiwatchTx, input: TransferInput): TransferResult {
  const current = tx
    .select()
    .from(stays)
    .where(and(eq(stays.patientId, input.patientId), isNull(stays.dischargedAt)))
    .get();
  if (!current) return { ok: false, reason: 'not_admitted' };
  if (input.at < current.admittedAt) return { ok: false, reason: 'before_admission' };
  if (current.wardId === input.toWardId) {
    tx.update(stays)
      .set({ bedId: input.toBedId, version: current.version + 1 })
      .where(eq(stays.id, current.id))
      .run();
    return { ok: true, fromStayId: current.id, fromWardId: current.wardId, toStayId: current.id };
  }
  tx.update(stays)
    .set({ dischargedAt: input.at, version: current.version + 1 })
    .where(eq(stays.id, current.id))
    .run();
  const opened = tx
    .insert(stays)
    .values({
      patientId: input.patientId,
      wardId: input.toWardId,
      bedId: input.toBedId,
      admittedAt: input.at,
    })
    .returning({ id: stays.id })
    .get();
  return { ok: true, fromStayId: current.id, fromWardId: current.wardId, toStayId: opened.id };
}
