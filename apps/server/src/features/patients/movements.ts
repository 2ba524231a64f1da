/**
 * A patient's admission, transfer and discharge as one write each, for every way into the stays:
 * the ward screens (routers/patient.ts) and the hospital's ADT feed (integration/hl7/apply.ts). Each
 * runs inside the caller's transaction and keeps what follows from a stay changing (the census of
 * patient-days, the ward a complication or catheter counts on, a catheter leaving with the patient);
 * the caller adds the audit row, the recomputed assessment and the live events, as every write does.
 *
 * A refusal is a TRPCError naming the field (BAD_REQUEST, or CONFLICT for what another write
 * changed); the feed answers it AE and queues the message.
 */
import { TRPCError } from '@trpc/server';
import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import type { OssiwatchTx } from '../../db/client.ts';
import {
  beds,
  catheterEpisodes,
  complications,
  injuries,
  patients,
  stays,
  surgicalFractures,
} from '../../db/schema.ts';
import { currentRecord } from '../../db/schema/corrections.ts';
import { versionConflict } from '../../clinical.ts';
import { reconcileDailyTiers } from './census.ts';
import { refuseOverlap } from './stays.ts';

/** The stay a transfer or discharge starts from, as the caller read it (its version included). */
export interface CurrentStay {
  readonly id: number;
  readonly wardId: number;
  readonly admittedAt: string;
  readonly version: number;
}

type InjuryRow = typeof injuries.$inferInsert;
type FractureRow = typeof surgicalFractures.$inferInsert;

export interface NewPatient {
  readonly mrn: string;
  readonly name: string;
  readonly dateOfBirth: string;
  readonly sex: (typeof patients.$inferInsert)['sex'];
  /** What brought them; null when the sender could not say (an ADT message carries no injury). */
  readonly injury:
    | (Omit<InjuryRow, 'id' | 'patientId' | 'version'> & {
        readonly surgicalFractures: readonly Omit<FractureRow, 'id' | 'patientId'>[];
      })
    | null;
}

/** Records a patient not known before, with their injury when one is given. */
export function registerPatient(tx: OssiwatchTx, person: NewPatient): { id: number } {
  const patient = tx
    .insert(patients)
    .values({
      mrn: person.mrn,
      name: person.name,
      dateOfBirth: person.dateOfBirth,
      sex: person.sex,
    })
    .returning({ id: patients.id })
    .get();
  if (person.injury) {
    const { surgicalFractures: fractures, ...injury } = person.injury;
    tx.insert(injuries)
      .values({ ...injury, patientId: patient.id })
      .run();
    for (const fracture of fractures) {
      tx.insert(surgicalFractures)
        .values({ ...fracture, patientId: patient.id })
        .run();
    }
  }
  return patient;
}

/** BAD_REQUEST / CONFLICT unless the bed is an active, free bed of the ward. */
export function refuseBed(tx: OssiwatchTx, wardId: number, bedId: number): void {
  const bed = tx.select().from(beds).where(eq(beds.id, bedId)).get();
  if (!bed || bed.wardId !== wardId || !bed.active) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'bedId: not a bed of this ward' });
  }
  const occupied = tx
    .select({ id: stays.id })
    .from(stays)
    .where(and(eq(stays.bedId, bedId), isNull(stays.dischargedAt)))
    .get();
  if (occupied) {
    throw new TRPCError({ code: 'CONFLICT', message: 'bedId: this bed is occupied' });
  }
}

/**
 * Opens a stay for a known patient who is not on a ward now. A backdated admission brings its past
 * days into the census.
 */
export function admitToWard(
  tx: OssiwatchTx,
  admission: {
    readonly patientId: number;
    readonly wardId: number;
    readonly bedId: number | null;
    readonly admittedAt: string;
    readonly now: Date;
  },
): { stayId: number } {
  if (admission.bedId !== null) refuseBed(tx, admission.wardId, admission.bedId);
  refuseOverlap(tx, 'admittedAt', admission.patientId, admission.admittedAt, null);
  const stay = tx
    .insert(stays)
    .values({
      patientId: admission.patientId,
      wardId: admission.wardId,
      bedId: admission.bedId,
      admittedAt: admission.admittedAt,
    })
    .returning({ id: stays.id })
    .get();
  reconcileDailyTiers(tx, admission.patientId, admission.now);
  return { stayId: stay.id };
}

/** Closes `stay` at the caller's version, or CONFLICT naming the version it has now. */
function closeStay(tx: OssiwatchTx, stay: CurrentStay, at: string): void {
  const closed = tx
    .update(stays)
    .set({ dischargedAt: at, version: stay.version + 1 })
    .where(and(eq(stays.id, stay.id), eq(stays.version, stay.version), isNull(stays.dischargedAt)))
    .run();
  if (closed.changes === 1) return;
  const now = tx.select({ version: stays.version }).from(stays).where(eq(stays.id, stay.id)).get();
  throw versionConflict('This stay', now?.version ?? stay.version);
}

export interface Transfer {
  readonly fromStayId: number;
  readonly fromWardId: number;
  readonly toStayId: number;
  readonly toWardId: number;
  /** The version of the stay the patient is in now. */
  readonly version: number;
}

/**
 * Moves the patient from `from` (their open stay) to `wardId`: the stay closes and the next opens at
 * the same instant, so no midnight is lost or counted twice; a catheter in place stays in place (its
 * days follow the patient, PRODUCT §4). A move between beds of the same ward keeps the stay (a new
 * stay would count a second admission to the ward) and only changes its bed.
 */
export function transferToWard(
  tx: OssiwatchTx,
  move: {
    readonly patientId: number;
    readonly from: CurrentStay;
    readonly wardId: number;
    readonly bedId: number | null;
    readonly transferredAt: string;
    readonly now: Date;
  },
): Transfer {
  const { patientId, from, wardId, transferredAt } = move;
  if (move.bedId !== null) refuseBed(tx, wardId, move.bedId);
  if (wardId === from.wardId) {
    const moved = tx
      .update(stays)
      .set({ bedId: move.bedId, version: from.version + 1 })
      .where(and(eq(stays.id, from.id), eq(stays.version, from.version)))
      .run();
    if (moved.changes !== 1) throw versionConflict('This stay', from.version + 1);
    return {
      fromStayId: from.id,
      fromWardId: wardId,
      toStayId: from.id,
      toWardId: wardId,
      version: from.version + 1,
    };
  }
  if (transferredAt <= from.admittedAt) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `transferredAt: must be after the admission to the current ward (${from.admittedAt})`,
    });
  }
  refuseOverlap(tx, 'transferredAt', patientId, from.admittedAt, null, from.id);
  closeStay(tx, from, transferredAt);
  const next = tx
    .insert(stays)
    .values({ patientId, wardId, bedId: move.bedId, admittedAt: transferredAt })
    .returning({ id: stays.id, version: stays.version })
    .get();
  // A transfer dated in the past re-homes what began on the new ward since.
  rehomeSince(tx, patientId, wardId, transferredAt);
  reconcileDailyTiers(tx, patientId, move.now);
  return {
    fromStayId: from.id,
    fromWardId: from.wardId,
    toStayId: next.id,
    toWardId: wardId,
    version: next.version,
  };
}

/**
 * Puts what began at or after `since` on `wardId`: an event counts on the ward the patient was on at
 * onset, a catheter notes the ward it went in on (PRODUCT §4). A transfer dated in the past, or one
 * cancelled, changes which ward that was.
 */
export function rehomeSince(
  tx: OssiwatchTx,
  patientId: number,
  wardId: number,
  since: string,
): void {
  tx.update(complications)
    .set({ wardId, version: sql`${complications.version} + 1` })
    .where(
      and(
        eq(complications.patientId, patientId),
        gte(complications.onsetAt, since),
        eq(complications.presentOnAdmission, false),
      ),
    )
    .run();
  tx.update(catheterEpisodes)
    .set({ wardId, version: sql`${catheterEpisodes.version} + 1` })
    .where(and(eq(catheterEpisodes.patientId, patientId), gte(catheterEpisodes.insertedAt, since)))
    .run();
}

/**
 * Ends the patient's open stay `stay` at `dischargedAt`. A catheter still recorded as in place leaves
 * with the patient; a discharge dated in the past takes back the patient-days after it.
 */
export function dischargeFromWard(
  tx: OssiwatchTx,
  discharge: {
    readonly patientId: number;
    readonly stay: CurrentStay;
    readonly dischargedAt: string;
    readonly now: Date;
  },
): { version: number } {
  const { patientId, stay, dischargedAt } = discharge;
  if (dischargedAt < stay.admittedAt) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `dischargedAt: is before the admission (${stay.admittedAt})`,
    });
  }
  refuseOverlap(tx, 'dischargedAt', patientId, stay.admittedAt, dischargedAt, stay.id);
  const catheter = tx
    .select({ insertedAt: catheterEpisodes.insertedAt })
    .from(catheterEpisodes)
    .where(and(eq(catheterEpisodes.patientId, patientId), isNull(catheterEpisodes.removedAt)))
    .get();
  if (catheter && catheter.insertedAt > dischargedAt) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `dischargedAt: is before the catheter in place was inserted (${catheter.insertedAt})`,
    });
  }
  // Checked again here: a write queued before this one in the same commit may have moved it.
  closeStay(tx, stay, dischargedAt);
  tx.update(catheterEpisodes)
    .set({ removedAt: dischargedAt })
    .where(
      and(
        eq(catheterEpisodes.patientId, patientId),
        isNull(catheterEpisodes.removedAt),
        currentRecord(catheterEpisodes),
      ),
    )
    .run();
  reconcileDailyTiers(tx, patientId, discharge.now);
  return { version: stay.version + 1 };
}
