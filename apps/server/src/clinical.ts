/**
 * What every patient procedure shares: the ward check (a person sees only the patients of the wards
 * they work on), the audit row of every read and write, and the write path itself: the rows, the audit
 * row and the recomputed assessment in one transaction (group-committed), then the live event.
 */
import { FUTURE_TOLERANCE_MS } from '@ossiwatch/domain';
import { TRPCError } from '@trpc/server';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit, queueAudit } from './audit.ts';
import { commitWrite } from './group-commit.ts';
import { reassessPatient, type StoredAssessment } from './assessments.ts';
import type { DbOrTx, OssiwatchTx } from './db/client.ts';
import { patients, stays } from './db/schema.ts';
import { allowedByEmergencyGrant } from './security/emergency.ts';
import { preparedStatement } from './statements.ts';
import type { WardEventKind } from './events.ts';
import { VersionConflict, type Context } from './trpc.ts';
import type { SessionUser } from './users.ts';

/** A context whose user is signed in (after `protectedProcedure`). */
export type SignedInContext = Context & { readonly user: SessionUser; readonly sessionId: string };

export interface PatientScope {
  readonly patientId: number;
  /** The current stay, or the latest one when the patient has been discharged. */
  readonly stay: {
    readonly id: number;
    readonly wardId: number;
    readonly bedId: number | null;
    readonly admittedAt: string;
    readonly dischargedAt: string | null;
    readonly version: number;
  };
}

/** Database ids: positive integers. */
export const idInput = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const patientIdInput = z.strictObject({ patientId: idInput });

/**
 * An instant from the client: an ISO 8601 string with a zone (or a Date, via superjson), stored as
 * UTC `toISOString()` so that text order is time order.
 */
export const instantInput = z
  // 64 characters: room for nanoseconds and an offset; the ISO pattern alone allows any number of digits.
  .union([z.date(), z.iso.datetime({ offset: true }).max(64)])
  .transform((value) => (value instanceof Date ? value : new Date(value)))
  .refine((value) => Number.isFinite(value.getTime()), 'must be a valid date and time')
  .transform((value) => value.toISOString());

function badRequest(field: string, message: string): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message: `${field}: ${message}` });
}

/** Refuses an instant in the future (beyond the tolerance) or before `notBefore`, naming the field. */
export function checkInstant(
  ctx: Pick<Context, 'now'>,
  field: string,
  instant: string,
  notBefore?: { readonly at: string; readonly what: string },
): void {
  const now = ctx.now();
  if (Date.parse(instant) > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw badRequest(field, `${instant} is in the future (now is ${now.toISOString()})`);
  }
  if (notBefore && instant < notBefore.at) {
    throw badRequest(field, `${instant} is before ${notBefore.what} (${notBefore.at})`);
  }
}

// Stays of one patient never overlap: the latest admission is the current (or last) stay. Compiled
// once per connection: every patient procedure starts here.
const selectLatestStay = preparedStatement<[number], PatientScope['stay']>(
  `SELECT id, ward_id AS wardId, bed_id AS bedId, admitted_at AS admittedAt,
     discharged_at AS dischargedAt, version
   FROM stays WHERE patient_id = ? ORDER BY admitted_at DESC, id DESC LIMIT 1`,
);

/** The patient's current (or last) stay, or undefined for an unknown patient or one never admitted. */
export function latestStayOf(db: DbOrTx, patientId: number): PatientScope['stay'] | undefined {
  return selectLatestStay(db).get(patientId);
}

/**
 * The one answer to a patient id the caller may not open: an unknown id, a patient without a stay and
 * another ward's patient all get it, so the answer does not tell which ids exist (existence probing).
 */
export const NO_ACCESS_MESSAGE = 'No patient with this id is on a ward you are assigned to.';

/**
 * Loads the patient's stay and refuses with FORBIDDEN, always with NO_ACCESS_MESSAGE, when there is
 * no such patient, no stay, or the stay's ward is not one of the user's. A refusal is audited (the
 * audit row, which only administrators read, says which it was).
 */
export function requirePatientScope(
  ctx: SignedInContext,
  patientId: number,
  action: string,
): PatientScope {
  const stay = selectLatestStay(ctx.db).get(patientId);
  if (
    !stay ||
    (!ctx.user.wardIds.includes(stay.wardId) && !allowedByEmergencyGrant(ctx, patientId, action))
  ) {
    const exists =
      stay !== undefined ||
      ctx.db.select({ id: patients.id }).from(patients).where(eq(patients.id, patientId)).get() !==
        undefined;
    queueAudit(ctx.db, {
      at: ctx.now(),
      userId: ctx.user.id,
      username: ctx.user.username,
      action,
      patientId: exists ? patientId : null,
      category: 'auth',
      outcome: 'denied',
      clientIp: ctx.clientIp,
      detail: stay
        ? { reason: 'ward', wardId: stay.wardId }
        : { reason: exists ? 'no stay' : 'unknown patient', patientId },
    });
    throw new TRPCError({ code: 'FORBIDDEN', message: NO_ACCESS_MESSAGE });
  }
  return { patientId, stay };
}

/** As requirePatientScope, and the patient must still be on the ward (no entries after discharge). */
export function requireCurrentStay(
  ctx: SignedInContext,
  patientId: number,
  action: string,
): PatientScope {
  const scope = requirePatientScope(ctx, patientId, action);
  if (scope.stay.dischargedAt !== null) {
    throw badRequest('patientId', `the patient was discharged at ${scope.stay.dischargedAt}`);
  }
  return scope;
}

/** The current stay of a patient, if any (inside a write). */
export function currentStayOf(tx: OssiwatchTx, patientId: number) {
  return tx
    .select()
    .from(stays)
    .where(and(eq(stays.patientId, patientId), isNull(stays.dischargedAt)))
    .get();
}

/** Audits a read of one patient's data (group-committed with other reads). */
export function auditRead(
  ctx: SignedInContext,
  action: string,
  patientId: number | null,
  detail?: unknown,
): void {
  queueAudit(ctx.db, {
    at: ctx.now(),
    userId: ctx.user.id,
    username: ctx.user.username,
    action,
    patientId,
    category: 'read',
    outcome: 'success',
    clientIp: ctx.clientIp,
    detail,
  });
}

export interface PatientWrite {
  readonly action: string;
  readonly scope: PatientScope;
  readonly kind: WardEventKind;
}

/**
 * Runs a write on one patient: `write`, the audit row and the recomputed assessment commit together
 * (or none of them do), in the next group commit (group-commit.ts); the caller is answered once that
 * commit is on the disk, and then the ward's boards are told. `write` returns the procedure's result
 * and the audit detail.
 *
 * The scope was checked when the request arrived; a write queued behind it in the same batch may have
 * discharged or readmitted the patient since, so the stay is confirmed again inside the transaction.
 */
export async function writePatient<T extends object>(
  ctx: SignedInContext,
  { action, scope, kind }: PatientWrite,
  write: (tx: OssiwatchTx) => { result: T; detail?: unknown },
): Promise<T & { assessment: Pick<StoredAssessment['assessment'], 'tier'> | null }> {
  const now = ctx.now();
  const { result, stored, announce } = await commitWrite(ctx.db, (tx) => {
    confirmStay(tx, scope);
    const { result: written, detail } = write(tx);
    const assessment = reassessPatient(tx, scope.patientId, now);
    appendAudit(tx, {
      at: now,
      userId: ctx.user.id,
      username: ctx.user.username,
      action,
      patientId: scope.patientId,
      category: 'write',
      outcome: 'success',
      clientIp: ctx.clientIp,
      detail,
    });
    // The event is kept with the write, so a board reconnecting after a restart is still sent it.
    const event = { wardId: scope.stay.wardId, patientId: scope.patientId, kind };
    return { result: written, stored: assessment, announce: ctx.events.stage(tx, event) };
  });
  announce();
  return { ...result, assessment: stored ? { tier: stored.assessment.tier } : null };
}

/** CONFLICT when the patient's latest stay is no longer the one the scope was checked against. */
function confirmStay(tx: OssiwatchTx, scope: PatientScope): void {
  const stay = selectLatestStay(tx).get(scope.patientId);
  if (stay?.id === scope.stay.id && stay.dischargedAt === scope.stay.dischargedAt) return;
  throw new TRPCError({
    code: 'CONFLICT',
    message:
      'The patient was discharged or readmitted while this was being saved; nothing was saved. Reload and try again.',
  });
}

/** CONFLICT when the record's version is not the one the caller edited; carries the current version. */
export function versionConflict(record: string, currentVersion: number): TRPCError {
  const cause = new VersionConflict(record, currentVersion);
  return new TRPCError({ code: 'CONFLICT', message: cause.message, cause });
}
