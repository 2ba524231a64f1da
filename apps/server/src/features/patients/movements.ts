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
import type { OssiwatchTx } from '../../db/client.ts';
import { injuries, surgicalFractures, type patients } from '../../db/schema.ts';
import { CURRENT_RECORD } from '../../db/schema/corrections.ts';
import { versionConflict } from '../../clinical.ts';
import { preparedStatement } from '../../statements.ts';
import { reconcileDailyTiers } from './census.ts';
import { refuseOverlap } from './stays.ts';

// Compiled once per connection (statements.ts): every admission the ADT feed applies runs these,
// and building each drizzle query anew cost more than running it.
const insertPatient = preparedStatement<[string, string, string, string], number>(
  'INSERT INTO patients (mrn, name, date_of_birth, sex) VALUES (?, ?, ?, ?) RETURNING id',
);
const selectBed = preparedStatement<[number], { wardId: number; active: number }>(
  'SELECT ward_id AS wardId, active FROM beds WHERE id = ?',
);
const selectBedTaken = preparedStatement<[number], number>(
  'SELECT id FROM stays WHERE bed_id = ? AND discharged_at IS NULL LIMIT 1',
);
const insertStay = preparedStatement<
  [number, number, number | null, string],
  { id: number; version: number }
>(
  `INSERT INTO stays (patient_id, ward_id, bed_id, admitted_at) VALUES (?, ?, ?, ?)
   RETURNING id, version`,
);
const closeStayAt = preparedStatement<[string, number, number]>(
  `UPDATE stays SET discharged_at = ?, version = version + 1
   WHERE id = ? AND version = ? AND discharged_at IS NULL`,
);
const moveBed = preparedStatement<[number | null, number, number]>(
  'UPDATE stays SET bed_id = ?, version = version + 1 WHERE id = ? AND version = ?',
);
const selectStayVersion = preparedStatement<[number], number>(
  'SELECT version FROM stays WHERE id = ?',
);
type Rehome = [{ wardId: number; patientId: number; since: string }];
const rehomeComplications = preparedStatement<Rehome>(
  `UPDATE complications SET ward_id = @wardId, version = version + 1
   WHERE patient_id = @patientId AND onset_at >= @since AND present_on_admission = 0
     AND ward_id <> @wardId`,
);
const rehomeCatheters = preparedStatement<Rehome>(
  `UPDATE catheter_episodes SET ward_id = @wardId, version = version + 1
   WHERE patient_id = @patientId AND inserted_at >= @since AND ward_id <> @wardId`,
);
const selectOpenCatheter = preparedStatement<[number], string>(
  'SELECT inserted_at FROM catheter_episodes WHERE patient_id = ? AND removed_at IS NULL LIMIT 1',
);
const removeOpenCatheter = preparedStatement<[string, number]>(
  `UPDATE catheter_episodes SET removed_at = ?
   WHERE patient_id = ? AND removed_at IS NULL AND ${CURRENT_RECORD}`,
);

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
  const id = insertPatient(tx).pluck().get(person.mrn, person.name, person.dateOfBirth, person.sex);
  if (id === undefined) throw new Error('the patient was not stored');
  if (person.injury) {
    const { surgicalFractures: fractures, ...injury } = person.injury;
    tx.insert(injuries)
      .values({ ...injury, patientId: id })
      .run();
    for (const fracture of fractures) {
      tx.insert(surgicalFractures)
        .values({ ...fracture, patientId: id })
        .run();
    }
  }
  return { id };
}

/** BAD_REQUEST / CONFLICT unless the bed is an active, free bed of the ward. */
export function refuseBed(tx: OssiwatchTx, wardId: number, bedId: number): void {
  const bed = selectBed(tx).get(bedId);
  if (bed?.wardId !== wardId || bed.active !== 1) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'bedId: not a bed of this ward' });
  }
  if (selectBedTaken(tx).pluck().get(bedId) !== undefined) {
    throw new TRPCError({ code: 'CONFLICT', message: 'bedId: this bed is occupied' });
  }
}

/** The new stay, or an error: the insert returns its row. */
function openStay(
  tx: OssiwatchTx,
  patientId: number,
  wardId: number,
  bedId: number | null,
  admittedAt: string,
): { id: number; version: number } {
  const stay = insertStay(tx).get(patientId, wardId, bedId, admittedAt);
  if (!stay) throw new Error('the stay was not stored');
  return stay;
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
  const stay = openStay(
    tx,
    admission.patientId,
    admission.wardId,
    admission.bedId,
    admission.admittedAt,
  );
  reconcileDailyTiers(tx, admission.patientId, admission.now);
  return { stayId: stay.id };
}

/** Closes `stay` at the caller's version, or CONFLICT naming the version it has now. */
function closeStay(tx: OssiwatchTx, stay: CurrentStay, at: string): void {
  if (closeStayAt(tx).run(at, stay.id, stay.version).changes === 1) return;
  const now = selectStayVersion(tx).pluck().get(stay.id);
  throw versionConflict('This stay', now ?? stay.version);
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
    const moved = moveBed(tx).run(move.bedId, from.id, from.version);
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
  const next = openStay(tx, patientId, wardId, move.bedId, transferredAt);
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
  rehomeComplications(tx).run({ wardId, patientId, since });
  rehomeCatheters(tx).run({ wardId, patientId, since });
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
  const inserted = selectOpenCatheter(tx).pluck().get(patientId);
  if (inserted !== undefined && inserted > dischargedAt) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `dischargedAt: is before the catheter in place was inserted (${inserted})`,
    });
  }
  // Checked again here: a write queued before this one in the same commit may have moved it.
  closeStay(tx, stay, dischargedAt);
  removeOpenCatheter(tx).run(dischargedAt, patientId);
  reconcileDailyTiers(tx, patientId, discharge.now);
  return { version: stay.version + 1 };
}
