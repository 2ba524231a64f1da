/**
 * Applying an inbound HL7 v2 message (PRODUCT §11, CR §8b) through the same write path as the
 * screens: one transaction (the group commit) holding the records, the stored message with its
 * outcome and what it touched, the audit row (the feed as actor) and the recomputed assessments;
 * the live events go out once that commit is on the disk.
 *
 * A message that cannot be applied (unmapped location, unknown patient, a conflict with the stays
 * already recorded) is stored as `queued`, answered AE, and waits for an administrator. Messages for
 * one patient apply in arrival order: while one waits, the patient's later messages wait behind it.
 */
import { FUTURE_TOLERANCE_MS } from '@ossiwatch/domain';
import { Hl7Message } from '@medplum/core';
import { TRPCError } from '@trpc/server';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { appendAudit } from '../../audit.ts';
import { preparedStatement } from '../../statements.ts';
import { reassessPatient } from '../../assessments.ts';
import type { OssiwatchDb, OssiwatchTx } from '../../db/client.ts';
import { hl7Messages, patients, stays, vitalsLabs, type Hl7Status } from '../../db/schema.ts';
import { eventBusFor, type EventBus, type WardEventKind } from '../../events.ts';
import { commitWrite } from '../../group-commit.ts';
import { reconcileDailyTiers } from '../../features/patients/census.ts';
import {
  admitToWard,
  dischargeFromWard,
  registerPatient,
  rehomeSince,
  transferToWard,
} from '../../features/patients/movements.ts';
import { recordVitalOrLab } from '../../features/patients/vitals-labs.ts';
import {
  headerOf,
  Hl7Refusal,
  instantOf,
  readMessage,
  rejected,
  waiting,
  type AckCode,
  type Hl7Time,
  type InboundMessage,
} from './message.ts';

/** What a delivery was answered, and why. */
export interface Hl7Outcome {
  readonly messageId: number | null;
  readonly ackCode: AckCode;
  readonly status: Hl7Status | 'duplicate';
  readonly refusal?: Pick<Hl7Refusal, 'errorCode' | 'location' | 'message'>;
  readonly note: string | null;
}

interface Touched {
  patients: number[];
  stays: number[];
  labs: number[];
}

interface Applied {
  readonly patientId: number;
  readonly touched: Touched;
  readonly notes: string[];
  readonly events: { wardId: number; patientId: number; kind: WardEventKind }[];
  /** Patients whose assessment must be recomputed. */
  readonly reassess: number[];
}

/** Who applies: the feed's sender (and, on replay, the administrator who asked). */
export interface Hl7Actor {
  readonly peer: string | null;
  readonly userId?: number | null;
  readonly username?: string;
}

const UTC = 'UTC';

// The feed's hot lookups, compiled once per connection (statements.ts): building each drizzle
// query anew cost more than the rest of applying an admission.
const selectWardZone = preparedStatement<[number], string>(
  'SELECT time_zone FROM wards WHERE id = ?',
);
type PatientRow = typeof patients.$inferSelect;
const selectPatientByMrn = preparedStatement<[string], PatientRow>(
  `SELECT id, mrn, name, date_of_birth AS dateOfBirth, sex, version, created_at AS createdAt
   FROM patients WHERE mrn = ?`,
);
type StayRow = typeof stays.$inferSelect;
const STAY_COLUMNS = `id, patient_id AS patientId, ward_id AS wardId, bed_id AS bedId,
  admitted_at AS admittedAt, discharged_at AS dischargedAt, version`;
const selectOpenStay = preparedStatement<[number], StayRow>(
  `SELECT ${STAY_COLUMNS} FROM stays WHERE patient_id = ? AND discharged_at IS NULL`,
);
const selectLatestStay = preparedStatement<[number], StayRow>(
  `SELECT ${STAY_COLUMNS} FROM stays WHERE patient_id = ? ORDER BY admitted_at DESC, id DESC LIMIT 1`,
);
const selectLocation = preparedStatement<[string], number>(
  'SELECT ward_id FROM hl7_locations WHERE code = ?',
);
const selectBed = preparedStatement<[number, string], { id: number; active: number }>(
  'SELECT id, active FROM beds WHERE ward_id = ? AND label = ?',
);
const selectBedOccupant = preparedStatement<[number], number>(
  'SELECT patient_id FROM stays WHERE bed_id = ? AND discharged_at IS NULL',
);
const selectSeen = preparedStatement<
  [string, string],
  { id: number; status: Hl7Status; note: string | null }
>('SELECT id, status, note FROM hl7_messages WHERE sender = ? AND control_id = ?');
const selectBlocking = preparedStatement<[string, string], { id: number; mrn: string }>(
  `SELECT id, mrn FROM hl7_messages WHERE status = 'queued' AND mrn IN (?, ?) ORDER BY id LIMIT 1`,
);

const updatePatient = preparedStatement<[string, string, string, number]>(
  'UPDATE patients SET name = ?, date_of_birth = ?, sex = ?, version = version + 1 WHERE id = ?',
);
const insertMessage = preparedStatement<
  [
    string,
    string,
    string,
    string,
    string,
    number | null,
    string,
    string,
    string,
    string | null,
    string | null,
    string | null,
  ],
  number
>(
  `INSERT INTO hl7_messages
     (received_at, sender, control_id, message_type, mrn, patient_id, raw, status, ack_code, note, touched, peer)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
);

function storeMessage(
  tx: OssiwatchTx,
  row: {
    receivedAt: string;
    sender: string;
    controlId: string;
    messageType: string;
    mrn: string;
    patientId: number | null;
    raw: string;
    status: Hl7Status;
    ackCode: AckCode;
    note: string | null;
    touched: Touched | null;
    peer: string | null;
  },
): { id: number } {
  const id = insertMessage(tx)
    .pluck()
    .get(
      row.receivedAt,
      row.sender,
      row.controlId,
      row.messageType,
      row.mrn,
      row.patientId,
      row.raw,
      row.status,
      row.ackCode,
      row.note,
      row.touched ? JSON.stringify(row.touched) : null,
      row.peer,
    );
  if (id === undefined) throw new Error('the message was not stored');
  return { id };
}

function wardZone(tx: OssiwatchTx, wardId: number): string {
  return selectWardZone(tx).pluck().get(wardId) ?? UTC;
}

function resolveTime(time: Hl7Time, zone: string, now: Date): string {
  const instant = instantOf(time, zone);
  // CR §8b: times are when the event occurred; a future one is an error of the sending system.
  if (Date.parse(instant) > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw rejected(
      102,
      time.field,
      `${time.field} ${instant} is in the future (now is ${now.toISOString()})`,
    );
  }
  return instant;
}

function firstTime(...times: (Hl7Time | null)[]): Hl7Time | null {
  return times.find((t) => t !== null) ?? null;
}

function patientByMrn(tx: OssiwatchTx, mrn: string) {
  return selectPatientByMrn(tx).get(mrn);
}

function knownPatient(tx: OssiwatchTx, mrn: string) {
  const patient = patientByMrn(tx, mrn);
  if (!patient)
    throw waiting(
      204,
      'PID-3',
      `No patient with MRN ${mrn} is known to OssiWatch (no admission received)`,
    );
  return patient;
}

function openStay(tx: OssiwatchTx, patientId: number) {
  return selectOpenStay(tx).get(patientId);
}

/** The known patient of the message and their open stay, or AE saying what there is not to do. */
function admittedPatient(
  tx: OssiwatchTx,
  message: InboundMessage & { kind: 'adt' },
  location: string,
  nothingTo: string,
) {
  const patient = knownPatient(tx, message.patient.mrn);
  const stay = openStay(tx, patient.id);
  if (!stay) {
    throw waiting(207, location, `Patient ${message.patient.mrn} is not admitted: ${nothingTo}`);
  }
  return { patient, stay };
}

function latestStay(tx: OssiwatchTx, patientId: number) {
  return selectLatestStay(tx).get(patientId);
}

/** The mapped ward of a location, or AE (waits until an administrator maps it). */
function wardOf(
  tx: OssiwatchTx,
  location: InboundMessage & { kind: 'adt' },
  field: 'PV1-3' | 'PV1-6' = 'PV1-3',
) {
  const place = field === 'PV1-3' ? location.location : location.priorLocation;
  if (!place) throw rejected(101, field, `${field} assigned location missing`);
  const wardId = selectLocation(tx).pluck().get(place.pointOfCare);
  if (wardId === undefined) {
    throw waiting(103, field, `Location ${place.pointOfCare} (${field}.1) is not mapped to a ward`);
  }
  return { wardId, bedLabel: place.bed };
}

/** The ward's bed labelled as PV1-3.3, when it exists and is free; otherwise no bed, said in a note. */
function bedFor(
  tx: OssiwatchTx,
  wardId: number,
  label: string | null,
  patientId: number | null,
  notes: string[],
): number | null {
  if (!label) return null;
  const bed = selectBed(tx).get(wardId, label);
  if (!bed || bed.active !== 1) {
    notes.push(`Bed ${label} is not a bed of the ward; placed without a bed`);
    return null;
  }
  const occupant = selectBedOccupant(tx).pluck().get(bed.id);
  if (occupant !== undefined && occupant !== patientId) {
    notes.push(`Bed ${label} is occupied by another patient; placed without a bed`);
    return null;
  }
  return bed.id;
}

function applied(patientId: number): Applied {
  return {
    patientId,
    touched: { patients: [], stays: [], labs: [] },
    notes: [],
    events: [],
    reassess: [patientId],
  };
}

function admit(tx: OssiwatchTx, message: InboundMessage & { kind: 'adt' }, now: Date): Applied {
  const { wardId, bedLabel } = wardOf(tx, message);
  const zone = wardZone(tx, wardId);
  const at = firstTime(message.admittedAt, message.occurredAt, message.recordedAt, message.sentAt);
  if (!at)
    throw rejected(101, 'PV1-44', 'PV1-44 admit date/time missing (and no EVN-6, EVN-2 or MSH-7)');
  const admittedAt = resolveTime(at, zone, now);
  const result = applied(0);
  let patient: { id: number } | undefined = patientByMrn(tx, message.patient.mrn);
  if (patient) {
    if (openStay(tx, patient.id)) {
      throw waiting(205, 'PID-3', `Patient ${message.patient.mrn} is already admitted`);
    }
  } else {
    // Only what the message carries: a name and birth date are required, the injury is left unknown.
    const { name, dateOfBirth, sex } = message.patient;
    if (!name) throw rejected(101, 'PID-5', 'PID-5 patient name missing');
    if (!dateOfBirth) throw rejected(101, 'PID-7', 'PID-7 birth date missing');
    patient = registerPatient(tx, {
      mrn: message.patient.mrn,
      name,
      dateOfBirth,
      sex: sex ?? 'unknown',
      injury: null,
    });
    result.touched.patients.push(patient.id);
  }
  const bedId = bedFor(tx, wardId, bedLabel, patient.id, result.notes);
  const { stayId } = admitToWard(tx, { patientId: patient.id, wardId, bedId, admittedAt, now });
  result.touched.stays.push(stayId);
  result.events.push({ wardId, patientId: patient.id, kind: 'stay' });
  return { ...result, patientId: patient.id, reassess: [patient.id] };
}

function transfer(tx: OssiwatchTx, message: InboundMessage & { kind: 'adt' }, now: Date): Applied {
  const { patient, stay: from } = admittedPatient(tx, message, 'PID-3', 'no stay to transfer from');
  const { wardId, bedLabel } = wardOf(tx, message);
  const at = firstTime(message.occurredAt, message.recordedAt, message.sentAt);
  if (!at) throw rejected(101, 'EVN-6', 'EVN-6 event date/time missing (and no EVN-2 or MSH-7)');
  const result = applied(patient.id);
  const bedId = bedFor(tx, wardId, bedLabel, patient.id, result.notes);
  const moved = transferToWard(tx, {
    patientId: patient.id,
    from,
    wardId,
    bedId,
    transferredAt: resolveTime(at, wardZone(tx, wardId), now),
    now,
  });
  result.touched.stays.push(...new Set([moved.fromStayId, moved.toStayId]));
  result.events.push({ wardId: moved.fromWardId, patientId: patient.id, kind: 'stay' });
  if (moved.fromWardId !== wardId)
    result.events.push({ wardId, patientId: patient.id, kind: 'stay' });
  return result;
}

function discharge(tx: OssiwatchTx, message: InboundMessage & { kind: 'adt' }, now: Date): Applied {
  const { patient, stay } = admittedPatient(tx, message, 'PV1-45', 'nothing to discharge');
  const at = firstTime(
    message.dischargedAt,
    message.occurredAt,
    message.recordedAt,
    message.sentAt,
  );
  if (!at)
    throw rejected(
      101,
      'PV1-45',
      'PV1-45 discharge date/time missing (and no EVN-6, EVN-2 or MSH-7)',
    );
  const dischargedAt = resolveTime(at, wardZone(tx, stay.wardId), now);
  dischargeFromWard(tx, { patientId: patient.id, stay, dischargedAt, now });
  const result = applied(patient.id);
  result.touched.stays.push(stay.id);
  result.events.push({ wardId: stay.wardId, patientId: patient.id, kind: 'stay' });
  return result;
}

function updateDemographics(tx: OssiwatchTx, message: InboundMessage & { kind: 'adt' }): Applied {
  const patient = knownPatient(tx, message.patient.mrn);
  const { name, dateOfBirth, sex } = message.patient;
  // Fields the message leaves empty keep their value: empty is "not sent", not "erase".
  updatePatient(tx).run(
    name ?? patient.name,
    dateOfBirth ?? patient.dateOfBirth,
    sex ?? patient.sex,
    patient.id,
  );
  const result = applied(patient.id);
  result.touched.patients.push(patient.id);
  const stay = latestStay(tx, patient.id);
  if (stay) result.events.push({ wardId: stay.wardId, patientId: patient.id, kind: 'stay' });
  return result;
}

function cancelAdmit(
  tx: OssiwatchTx,
  message: InboundMessage & { kind: 'adt' },
  now: Date,
): Applied {
  const { patient, stay } = admittedPatient(tx, message, 'PID-3', 'no admission to cancel');
  tx.delete(stays).where(eq(stays.id, stay.id)).run();
  const result = applied(patient.id);
  result.touched.stays.push(stay.id);
  result.events.push({ wardId: stay.wardId, patientId: patient.id, kind: 'stay' });
  reconcileDailyTiers(tx, patient.id, now);
  return result;
}

function cancelTransfer(
  tx: OssiwatchTx,
  message: InboundMessage & { kind: 'adt' },
  now: Date,
): Applied {
  const { patient, stay } = admittedPatient(tx, message, 'PID-3', 'no transfer to cancel');
  const result = applied(patient.id);
  const previous = tx
    .select()
    .from(stays)
    .where(and(eq(stays.patientId, patient.id), eq(stays.dischargedAt, stay.admittedAt)))
    .orderBy(desc(stays.id))
    .limit(1)
    .get();
  if (previous) {
    tx.delete(stays).where(eq(stays.id, stay.id)).run();
    tx.update(stays)
      .set({ dischargedAt: null, version: previous.version + 1 })
      .where(eq(stays.id, previous.id))
      .run();
    result.touched.stays.push(stay.id, previous.id);
    result.events.push({ wardId: stay.wardId, patientId: patient.id, kind: 'stay' });
    result.events.push({ wardId: previous.wardId, patientId: patient.id, kind: 'stay' });
    // What began since the cancelled transfer happened on the ward the patient never left.
    rehomeSince(tx, patient.id, previous.wardId, stay.admittedAt);
    reconcileDailyTiers(tx, patient.id, now);
    return result;
  }
  // A move between beds of one ward kept the stay: cancelling it puts the patient back in PV1-3's bed.
  const back = wardOf(tx, message);
  if (back.wardId !== stay.wardId) {
    throw waiting(207, 'PV1-3', 'No transfer into the current stay to cancel');
  }
  const bedId = bedFor(tx, stay.wardId, back.bedLabel, patient.id, result.notes);
  tx.update(stays)
    .set({ bedId, version: stay.version + 1 })
    .where(eq(stays.id, stay.id))
    .run();
  result.touched.stays.push(stay.id);
  result.events.push({ wardId: stay.wardId, patientId: patient.id, kind: 'stay' });
  return result;
}

function cancelDischarge(
  tx: OssiwatchTx,
  message: InboundMessage & { kind: 'adt' },
  now: Date,
): Applied {
  const patient = knownPatient(tx, message.patient.mrn);
  if (openStay(tx, patient.id))
    throw waiting(
      207,
      'PID-3',
      `Patient ${message.patient.mrn} is admitted: no discharge to cancel`,
    );
  const stay = latestStay(tx, patient.id);
  if (!stay)
    throw waiting(
      207,
      'PID-3',
      `Patient ${message.patient.mrn} has no stay: no discharge to cancel`,
    );
  const result = applied(patient.id);
  let bedId = stay.bedId;
  if (bedId !== null) {
    if (selectBedOccupant(tx).pluck().get(bedId) !== undefined) {
      result.notes.push(
        'The bed was given to another patient since the discharge; back without a bed',
      );
      bedId = null;
    }
  }
  tx.update(stays)
    .set({ dischargedAt: null, bedId, version: stay.version + 1 })
    .where(eq(stays.id, stay.id))
    .run();
  result.touched.stays.push(stay.id);
  result.events.push({ wardId: stay.wardId, patientId: patient.id, kind: 'stay' });
  reconcileDailyTiers(tx, patient.id, now);
  return result;
}

/** Tables derived from a patient's record: on a merge the survivor's rows win, the others go. */
const DERIVED_TABLES = new Set(['patient_assessments', 'daily_tiers', 'rates_changed_patients']);
/** The audit trail is append-only and keeps naming the identifier it was written under. */
const NOT_MOVED = new Set(['audit_log', 'patients']);

function merge(tx: OssiwatchTx, message: InboundMessage & { kind: 'adt' }, now: Date): Applied {
  const mergedMrn = message.mergedMrn ?? '';
  const old = patientByMrn(tx, mergedMrn);
  if (!old)
    throw waiting(204, 'MRG-1', `No patient with MRN ${mergedMrn} (MRG-1) is known to OssiWatch`);
  const survivor = patientByMrn(tx, message.patient.mrn);
  const result = applied(old.id);
  if (!survivor || survivor.id === old.id) {
    // The identifier changed: the record is the same.
    tx.update(patients)
      .set({ mrn: message.patient.mrn, version: old.version + 1 })
      .where(eq(patients.id, old.id))
      .run();
    result.touched.patients.push(old.id);
  } else {
    const tables = tx
      .all<{ name: string }>(
        sql`SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) p
            WHERE m.type = 'table' AND p.name = 'patient_id' ORDER BY m.name`,
      )
      .map((row) => row.name)
      .filter((name) => !NOT_MOVED.has(name));
    for (const table of tables) {
      const verb = DERIVED_TABLES.has(table) ? 'UPDATE OR IGNORE' : 'UPDATE';
      tx.run(
        sql.raw(`${verb} "${table}" SET patient_id = ${survivor.id} WHERE patient_id = ${old.id}`),
      );
    }
    const overlap = tx.get<{ n: number }>(
      sql`SELECT count(*) AS n FROM stays a JOIN stays b ON a.patient_id = b.patient_id AND a.id < b.id
          WHERE a.patient_id = ${survivor.id}
            AND a.admitted_at < coalesce(b.discharged_at, '9999') AND b.admitted_at < coalesce(a.discharged_at, '9999')`,
    );
    if ((overlap?.n ?? 0) > 0) {
      throw waiting(
        207,
        'MRG-1',
        `The stays of ${mergedMrn} and ${message.patient.mrn} overlap; they cannot be merged automatically`,
      );
    }
    tx.delete(patients).where(eq(patients.id, old.id)).run();
    result.touched.patients.push(survivor.id, old.id);
    result.reassess.splice(0, 1, survivor.id);
    Object.assign(result, { patientId: survivor.id });
  }
  const stay = latestStay(tx, result.patientId);
  if (stay) result.events.push({ wardId: stay.wardId, patientId: result.patientId, kind: 'stay' });
  reconcileDailyTiers(tx, result.patientId, now);
  return result;
}

function labResults(
  tx: OssiwatchTx,
  message: InboundMessage & { kind: 'oru' },
  now: Date,
): Applied {
  const patient = knownPatient(tx, message.patient.mrn);
  const stay = latestStay(tx, patient.id);
  const zone = stay ? wardZone(tx, stay.wardId) : UTC;
  const result = applied(patient.id);
  result.notes.push(...message.skipped);
  for (const lab of message.results) {
    const takenAt = resolveTime(lab.takenAt, zone, now);
    const existing = tx
      .select()
      .from(vitalsLabs)
      .where(
        and(
          eq(vitalsLabs.patientId, patient.id),
          eq(vitalsLabs.kind, lab.kind),
          eq(vitalsLabs.takenAt, takenAt),
        ),
      )
      .orderBy(asc(vitalsLabs.id))
      .get();
    if (lab.status === 'C' && existing) {
      // A corrected result replaces the one it corrects (same test, same specimen time).
      tx.update(vitalsLabs)
        .set({ value: lab.value, unit: lab.unit })
        .where(eq(vitalsLabs.id, existing.id))
        .run();
      result.touched.labs.push(existing.id);
      continue;
    }
    if (existing && existing.value === lab.value) continue;
    result.touched.labs.push(
      recordVitalOrLab(tx, {
        patientId: patient.id,
        kind: lab.kind,
        value: lab.value,
        unit: lab.unit,
        takenAt,
        recordedBy: null,
      }),
    );
  }
  if (stay) result.events.push({ wardId: stay.wardId, patientId: patient.id, kind: 'nursing' });
  return result;
}

function applyMessage(tx: OssiwatchTx, message: InboundMessage, now: Date): Applied {
  if (message.kind === 'oru') return labResults(tx, message, now);
  switch (message.event) {
    case 'A01':
      return admit(tx, message, now);
    case 'A04':
      if (message.patientClass !== 'I') {
        // A registration of an outpatient or emergency visit: not a stay on a rehabilitation ward.
        const ignored = applied(0);
        ignored.reassess.length = 0;
        ignored.notes.push(
          `A04 for patient class ${message.patientClass ?? '(none)'}: only inpatients (I) are admitted; nothing applied`,
        );
        return ignored;
      }
      return admit(tx, message, now);
    case 'A02':
      return transfer(tx, message, now);
    case 'A03':
      return discharge(tx, message, now);
    case 'A08':
      return updateDemographics(tx, message);
    case 'A11':
      return cancelAdmit(tx, message, now);
    case 'A12':
      return cancelTransfer(tx, message, now);
    case 'A13':
      return cancelDischarge(tx, message, now);
    case 'A40':
      return merge(tx, message, now);
  }
}

/** The HL7 field a refusal of the shared write path concerns, from the field it names. */
const FIELD_OF_INPUT: Record<string, string> = {
  admittedAt: 'PV1-44',
  transferredAt: 'EVN-6',
  dischargedAt: 'PV1-45',
  bedId: 'PV1-3',
};

function fieldOf(message: string): string {
  const named = /^(\w+):/.exec(message)?.[1];
  return (named && FIELD_OF_INPUT[named]) ?? 'PID-3';
}

function isConstraintError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')
  );
}

/**
 * Runs `message` in a savepoint of `tx`: its records and their assessments, or nothing and the
 * refusal. A constraint the database enforces (two current stays, a bed twice) is a conflict: AE.
 */
function attemptApply(
  tx: OssiwatchTx,
  message: InboundMessage,
  now: Date,
): { ok: true; applied: Applied } | { ok: false; refusal: Hl7Refusal } {
  try {
    return {
      ok: true,
      applied: tx.transaction((inner) => {
        const done = applyMessage(inner, message, now);
        for (const patientId of done.reassess) reassessPatient(inner, patientId, now);
        return done;
      }),
    };
  } catch (error) {
    if (error instanceof Hl7Refusal) return { ok: false, refusal: error };
    if (error instanceof TRPCError) {
      // The shared write path refused (an overlap, a stale stay, a date before the admission).
      return { ok: false, refusal: waiting(207, fieldOf(error.message), error.message) };
    }
    if (isConstraintError(error)) {
      return {
        ok: false,
        refusal: waiting(
          207,
          'PID-3',
          `Conflicts with the records already kept: ${(error as Error).message}`,
        ),
      };
    }
    throw error;
  }
}

function auditEntry(
  message: Pick<InboundMessage, 'sender' | 'controlId' | 'messageType'>,
  actor: Hl7Actor,
  now: Date,
  patientId: number | null,
  outcome: 'success' | 'failure',
  detail: unknown,
) {
  return {
    at: now,
    userId: actor.userId ?? null,
    username: actor.username ?? `hl7:${message.sender}`,
    action: `hl7.${message.messageType}`,
    patientId,
    category: 'write' as const,
    outcome,
    clientIp: actor.peer,
    detail,
  };
}

interface Pending {
  readonly outcome: Hl7Outcome;
  /** Publishes the live events kept with the write, once its commit is on the disk. */
  readonly announce: readonly (() => unknown)[];
}

/**
 * The end of the write path for a message that applied: its stored row (`keep`), the audit row and
 * the live events, kept in the same transaction as its records.
 */
function settleApplied(
  tx: OssiwatchTx,
  bus: EventBus,
  message: InboundMessage,
  actor: Hl7Actor,
  at: Date,
  done: Applied,
  status: 'applied' | 'replayed',
  keep: (row: { note: string | null; touched: Touched; patientId: number | null }) => number,
): Pending {
  const note = done.notes.length > 0 ? done.notes.join('; ') : null;
  const patientId = done.patientId || null;
  const messageId = keep({ note, touched: done.touched, patientId });
  appendAudit(
    tx,
    auditEntry(message, actor, at, patientId, 'success', {
      messageId,
      ...(status === 'replayed' ? { replay: true } : {}),
      controlId: message.controlId,
      touched: done.touched,
      note,
    }),
  );
  return {
    outcome: { messageId, ackCode: 'AA', status, note },
    announce: done.events.map((event) => bus.stage(tx, event)),
  };
}

function storeRejected(
  tx: OssiwatchTx,
  raw: string,
  hl7: Hl7Message | null,
  refusal: Hl7Refusal,
  actor: Hl7Actor,
  now: Date,
): Pending {
  const header = hl7 ? headerOf(hl7) : { sender: '', controlId: null, messageType: null };
  const values = {
    receivedAt: now.toISOString(),
    sender: header.sender,
    controlId: header.controlId,
    messageType: header.messageType,
    raw,
    status: 'rejected' as const,
    ackCode: 'AR',
    note: refusal.message,
    peer: actor.peer,
  };
  // A rejected message resent keeps its one row (its control id may be all it had right).
  const stored = tx
    .insert(hl7Messages)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: hl7Messages.id })
    .get();
  return {
    outcome: {
      messageId: stored?.id ?? null,
      ackCode: 'AR',
      status: 'rejected',
      refusal,
      note: refusal.message,
    },
    announce: [],
  };
}

/**
 * Receives one message (already framed and parsed by the MLLP layer, or `null` when its text was no
 * HL7 at all) and answers what to acknowledge, once everything it wrote is on the disk.
 */
export async function receiveMessage(
  db: OssiwatchDb,
  raw: string,
  hl7: Hl7Message | null,
  actor: Hl7Actor,
  now: () => Date = () => new Date(),
): Promise<Hl7Outcome> {
  let message: InboundMessage | null = null;
  let refusal: Hl7Refusal | null = null;
  if (!hl7) refusal = rejected(100, 'MSH', 'The frame holds no HL7 message');
  else {
    try {
      message = readMessage(hl7);
    } catch (error) {
      if (!(error instanceof Hl7Refusal)) throw error;
      refusal = error;
    }
  }
  const bus = eventBusFor(db);
  const pending = await commitWrite(db, (tx): Pending => {
    const at = now();
    if (!message) {
      return storeRejected(
        tx,
        raw,
        hl7,
        refusal ?? rejected(100, 'MSH', 'Unreadable message'),
        actor,
        at,
      );
    }
    const seen = selectSeen(tx).get(message.sender, message.controlId);
    if (seen) {
      // Acknowledged again, applied once: the answer is what the message has come to.
      const ackCode: AckCode =
        seen.status === 'applied' || seen.status === 'replayed'
          ? 'AA'
          : seen.status === 'rejected'
            ? 'AR'
            : 'AE';
      return {
        outcome: {
          messageId: seen.id,
          ackCode,
          status: 'duplicate',
          note: seen.note,
          refusal:
            ackCode === 'AA'
              ? undefined
              : {
                  errorCode: 205,
                  location: 'MSH-10',
                  message: seen.note ?? `Message ${message.controlId} was received before`,
                },
        },
        announce: [],
      };
    }
    const mrns = [
      message.patient.mrn,
      ...(message.kind === 'adt' && message.mergedMrn ? [message.mergedMrn] : []),
    ];
    const blocking = selectBlocking(tx).get(mrns[0] ?? '', mrns[1] ?? mrns[0] ?? '');
    const attempt = blocking
      ? ({
          ok: false,
          refusal: waiting(
            206,
            'PID-3',
            `Waits behind message #${blocking.id} for patient ${blocking.mrn}, which is in the interface queue`,
          ),
        } as const)
      : attemptApply(tx, message, at);
    const base = {
      receivedAt: at.toISOString(),
      sender: message.sender,
      controlId: message.controlId,
      messageType: message.messageType,
      mrn: message.patient.mrn,
      raw,
      peer: actor.peer,
    };
    if (!attempt.ok) {
      const patient = patientByMrn(tx, message.patient.mrn);
      if (attempt.refusal.ackCode === 'AR')
        return storeRejected(tx, raw, hl7, attempt.refusal, actor, at);
      const stored = storeMessage(tx, {
        ...base,
        patientId: patient?.id ?? null,
        status: 'queued',
        ackCode: 'AE',
        note: attempt.refusal.message,
        touched: null,
      });
      appendAudit(
        tx,
        auditEntry(message, actor, at, patient?.id ?? null, 'failure', {
          messageId: stored.id,
          controlId: message.controlId,
          reason: attempt.refusal.message,
        }),
      );
      return {
        outcome: {
          messageId: stored.id,
          ackCode: 'AE',
          status: 'queued',
          refusal: attempt.refusal,
          note: attempt.refusal.message,
        },
        announce: [],
      };
    }
    return settleApplied(
      tx,
      bus,
      message,
      actor,
      at,
      attempt.applied,
      'applied',
      (row) => storeMessage(tx, { ...base, ...row, status: 'applied', ackCode: 'AA' }).id,
    );
  });
  for (const announce of pending.announce) announce();
  return pending.outcome;
}

/**
 * Replays a queued message for an administrator (after mapping its location, admitting its patient,
 * or clearing the message it waited behind). Earlier queued messages of the same patient go first.
 */
export async function replayMessage(
  db: OssiwatchDb,
  messageId: number,
  admin: { userId: number | null; username: string; clientIp: string | null },
  now: () => Date = () => new Date(),
): Promise<Hl7Outcome> {
  const bus = eventBusFor(db);
  const pending = await commitWrite(db, (tx): Pending => {
    const at = now();
    const row = tx.select().from(hl7Messages).where(eq(hl7Messages.id, messageId)).get();
    if (!row) throw new Hl7QueueError('NOT_FOUND', `No message #${messageId}`);
    if (row.status !== 'queued')
      throw new Hl7QueueError(
        'CONFLICT',
        `Message #${messageId} is ${row.status}, not waiting in the queue`,
      );
    const earlier = tx
      .select({ id: hl7Messages.id })
      .from(hl7Messages)
      .where(
        and(
          eq(hl7Messages.status, 'queued'),
          eq(hl7Messages.mrn, row.mrn ?? ''),
          sql`${hl7Messages.id} < ${row.id}`,
        ),
      )
      .orderBy(asc(hl7Messages.id))
      .limit(1)
      .get();
    if (earlier)
      throw new Hl7QueueError(
        'CONFLICT',
        `Replay message #${earlier.id} first: it arrived earlier for the same patient`,
      );
    const message = readMessage(Hl7Message.parse(row.raw));
    const attempt = attemptApply(tx, message, at);
    const actor: Hl7Actor = {
      peer: admin.clientIp,
      userId: admin.userId,
      username: admin.username,
    };
    if (!attempt.ok) {
      tx.update(hl7Messages)
        .set({ note: attempt.refusal.message })
        .where(eq(hl7Messages.id, row.id))
        .run();
      return {
        outcome: {
          messageId: row.id,
          ackCode: 'AE',
          status: 'queued',
          refusal: attempt.refusal,
          note: attempt.refusal.message,
        },
        announce: [],
      };
    }
    return settleApplied(tx, bus, message, actor, at, attempt.applied, 'replayed', (done) => {
      tx.update(hl7Messages)
        .set({
          ...done,
          status: 'replayed',
          ackCode: 'AA',
          resolvedAt: at.toISOString(),
          resolvedBy: admin.userId,
        })
        .where(eq(hl7Messages.id, row.id))
        .run();
      return row.id;
    });
  });
  for (const announce of pending.announce) announce();
  return pending.outcome;
}

/** A queue operation refused (tRPC and the CLI word it their own way). */
export class Hl7QueueError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST',
    message: string,
  ) {
    super(message);
  }
}
