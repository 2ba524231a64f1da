/**
 * A temperature or lab value (CRP, ALP, CK) kept for a patient, for every way in: the nursing
 * screen (routers/nursing.ts) and the hospital's result feed (integration/hl7/apply.ts, ORU^R01).
 * Runs inside the caller's write; the caller audits, reassesses and tells the board. The database
 * holds each kind to its unit and plausible range (CR §7.3), whichever way the value came.
 */
import type { OssiwatchTx } from '../../db/client.ts';
import type { vitalsLabs } from '../../db/schema.ts';
import { preparedStatement } from '../../statements.ts';

export interface VitalOrLab {
  readonly patientId: number;
  readonly kind: (typeof vitalsLabs.$inferInsert)['kind'];
  readonly value: number;
  readonly unit: string;
  readonly takenAt: string;
  /** The user who typed it; null for a value a hospital system sent. */
  readonly recordedBy: number | null;
}

const insertValue = preparedStatement<
  [number, string, number, string, string, number | null],
  number
>(
  `INSERT INTO vitals_labs (patient_id, kind, value, unit, taken_at, recorded_by)
   VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
);

/** Keeps one value; returns its id. */
export function recordVitalOrLab(tx: OssiwatchTx, reading: VitalOrLab): number {
  const id = insertValue(tx)
    .pluck()
    .get(
      reading.patientId,
      reading.kind,
      reading.value,
      reading.unit,
      reading.takenAt,
      reading.recordedBy,
    );
  if (id === undefined) throw new Error('the value was not stored');
  return id;
}
