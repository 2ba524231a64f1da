/**
 * A patient is on one ward at a time: stays of one patient never overlap (migration 0010 backs this
 * with triggers). A stay is the half-open interval [admittedAt, dischargedAt); an open stay runs on,
 * so a transfer closes one stay and opens the next at the same instant without overlapping.
 */
import { TRPCError } from '@trpc/server';
import type { DbOrTx } from '../../db/client.ts';
import { preparedStatement } from '../../statements.ts';

export interface StayTimes {
  readonly id: number;
  readonly wardId: number;
  readonly admittedAt: string;
  readonly dischargedAt: string | null;
}

const END_OF_TIME = '9999-12-31T23:59:59.999Z';

const selectOverlapping = preparedStatement<
  [{ patientId: number; from: string; to: string; except: number }],
  StayTimes
>(
  `SELECT id, ward_id AS wardId, admitted_at AS admittedAt, discharged_at AS dischargedAt
   FROM stays
   WHERE patient_id = @patientId AND id <> @except
     AND admitted_at < @to AND @from < coalesce(discharged_at, '${END_OF_TIME}')
   ORDER BY admitted_at LIMIT 1`,
);

/** Another stay of the patient that shares some time with [from, to) (to null: open), if any. */
export function overlappingStay(
  db: DbOrTx,
  patientId: number,
  from: string,
  to: string | null,
  exceptStayId = 0,
): StayTimes | undefined {
  return selectOverlapping(db).get({
    patientId,
    from,
    to: to ?? END_OF_TIME,
    except: exceptStayId,
  });
}

/** BAD_REQUEST naming the field and the other stay's dates. */
export function overlapError(field: string, other: StayTimes): TRPCError {
  const until = other.dischargedAt === null ? 'still open' : `to ${other.dischargedAt}`;
  return new TRPCError({
    code: 'BAD_REQUEST',
    message: `${field}: falls inside or across another stay of this patient (from ${other.admittedAt}, ${until})`,
  });
}

/** Refuses [from, to) when it overlaps another stay of the patient. */
export function refuseOverlap(
  db: DbOrTx,
  field: string,
  patientId: number,
  from: string,
  to: string | null,
  exceptStayId = 0,
): void {
  const other = overlappingStay(db, patientId, from, to, exceptStayId);
  if (other) throw overlapError(field, other);
}
