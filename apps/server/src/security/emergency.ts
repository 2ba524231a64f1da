/**
 * Emergency access, "break the glass" (HIPAA §164.312(a)(2)(ii), ONC §170.315(d)(6)): a clinician may
 * open a patient outside their wards after typing a reason. The grant is for that person and that
 * patient only, lasts a limited time (60 minutes unless OSSIWATCH_EMERGENCY_MINUTES says otherwise),
 * and is audited twice over: the grant itself, and a flagged row for every access made under it.
 * Admins review the grants with `access.emergencyList`.
 */
import { and, desc, eq, gt } from 'drizzle-orm';
import { appendAudit, queueAudit } from '../audit.ts';
import type { OssiwatchDb, OssiwatchTx } from '../db/client.ts';
import { emergencyAccess } from '../db/schema.ts';

export const DEFAULT_EMERGENCY_MINUTES = 60;
/** A grant longer than a shift is not an emergency; ward membership is the answer then. */
export const MAX_EMERGENCY_MINUTES = 12 * 60;

/** How long a grant lasts, from OSSIWATCH_EMERGENCY_MINUTES (1 to 720), refused by name if unusable. */
export function emergencyAccessMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.OSSIWATCH_EMERGENCY_MINUTES;
  if (text === undefined || text === '') return DEFAULT_EMERGENCY_MINUTES * 60_000;
  const minutes = Number(text);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_EMERGENCY_MINUTES) {
    throw new Error(
      `OSSIWATCH_EMERGENCY_MINUTES must be a whole number from 1 to ${MAX_EMERGENCY_MINUTES}, not "${text}"`,
    );
  }
  return minutes * 60_000;
}

export const DEFAULT_EMERGENCY_PER_DAY = 3;
export const MAX_EMERGENCY_PER_DAY = 50;

/**
 * How many emergency accesses one person may ask for in 24 hours, from OSSIWATCH_EMERGENCY_PER_DAY
 * (1 to 50, default 3): breaking the glass is for the rare emergency; someone who needs it daily
 * needs the ward assigned. Attempts on unknown ids count too, so the cap also bounds probing.
 */
export function emergencyPerDay(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.OSSIWATCH_EMERGENCY_PER_DAY;
  if (text === undefined || text === '') return DEFAULT_EMERGENCY_PER_DAY;
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1 || count > MAX_EMERGENCY_PER_DAY) {
    throw new Error(
      `OSSIWATCH_EMERGENCY_PER_DAY must be a whole number from 1 to ${MAX_EMERGENCY_PER_DAY}, not "${text}"`,
    );
  }
  return count;
}

export interface EmergencyGrant {
  readonly id: number;
  readonly expiresAt: string;
}

/** The user's latest unexpired grant for this patient, if any. */
export function activeEmergencyGrant(
  db: OssiwatchDb,
  userId: number,
  patientId: number,
  now: Date,
): EmergencyGrant | undefined {
  return db
    .select({ id: emergencyAccess.id, expiresAt: emergencyAccess.expiresAt })
    .from(emergencyAccess)
    .where(
      and(
        eq(emergencyAccess.userId, userId),
        eq(emergencyAccess.patientId, patientId),
        gt(emergencyAccess.expiresAt, now.toISOString()),
      ),
    )
    .orderBy(desc(emergencyAccess.expiresAt))
    .limit(1)
    .get();
}

/**
 * For the ward check: true when an unexpired grant lets this user at this patient, in which case an
 * audit row flagged as emergency access records the procedure used under it.
 */
export function allowedByEmergencyGrant(
  ctx: {
    readonly db: OssiwatchDb;
    readonly now: () => Date;
    readonly clientIp: string | null;
    readonly user: { readonly id: number; readonly username: string };
  },
  patientId: number,
  action: string,
): boolean {
  const now = ctx.now();
  const grant = activeEmergencyGrant(ctx.db, ctx.user.id, patientId, now);
  if (!grant) return false;
  queueAudit(ctx.db, {
    at: now,
    userId: ctx.user.id,
    username: ctx.user.username,
    action: 'access.emergency.use',
    patientId,
    category: 'auth',
    outcome: 'success',
    clientIp: ctx.clientIp,
    detail: { emergency: true, grantId: grant.id, procedure: action, expiresAt: grant.expiresAt },
  });
  return true;
}

/**
 * Records a grant for this user and patient with its reason, and its audit row, inside the caller's
 * transaction; `wardId` is the ward the patient was last on (null when none).
 */
export function grantEmergencyAccess(
  tx: OssiwatchTx,
  ctx: {
    readonly clientIp: string | null;
    readonly user: { readonly id: number; readonly username: string };
  },
  grant: {
    readonly patientId: number;
    readonly reason: string;
    readonly wardId: number | null;
    readonly now: Date;
    /** The procedure the grant was asked for in, when not `access.emergency` itself. */
    readonly procedure?: string;
  },
): EmergencyGrant {
  const expiresAt = new Date(grant.now.getTime() + emergencyAccessMs()).toISOString();
  const row = tx
    .insert(emergencyAccess)
    .values({
      userId: ctx.user.id,
      patientId: grant.patientId,
      reason: grant.reason,
      grantedAt: grant.now.toISOString(),
      expiresAt,
      clientIp: ctx.clientIp,
    })
    .returning({ id: emergencyAccess.id })
    .get();
  appendAudit(tx, {
    at: grant.now,
    userId: ctx.user.id,
    username: ctx.user.username,
    action: 'access.emergency',
    patientId: grant.patientId,
    category: 'auth',
    outcome: 'success',
    clientIp: ctx.clientIp,
    detail: {
      emergency: true,
      grantId: row.id,
      reason: grant.reason,
      wardId: grant.wardId,
      expiresAt,
      ...(grant.procedure ? { procedure: grant.procedure } : {}),
    },
  });
  return { id: row.id, expiresAt };
}
