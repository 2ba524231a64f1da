/**
 * Who is calling the FHIR API (PRODUCT §11 "Who may call"), resolved once per request into one shape,
 * a FhirCaller: a person with their session cookie, or another system with a bearer token
 * (features/tokens). The routes ask the caller which patients it may open, whether it sees identities,
 * and write its audit rows through it; they never look at cookies or tokens themselves.
 *
 * - A person: clinical roles only, their own wards and emergency grants, exactly as `/trpc` decides
 *   (requirePatientScope). A patient they may not open answers 404, the same as an unknown id.
 * - A token: `Authorization: Bearer ossw_…`, looked up on every call (a revocation takes effect on the
 *   next request); its scope says whether it sees identities, its wards which patients (none listed:
 *   every ward). A patient outside them answers 403, the same as an unknown id, so a token cannot probe
 *   which ids exist either.
 */
import type { Bundle, Condition, Patient, Resource } from '@medplum/fhirtypes';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { queueAudit, type AuditEntry } from '../../audit.ts';
import { resumeSession } from '../../auth/sessions.ts';
import {
  auditRead,
  latestStayOf,
  requirePatientScope,
  type SignedInContext,
} from '../../clinical.ts';
import type { ServerConfig } from '../../config.ts';
import type { OssiwatchDb } from '../../db/client.ts';
import { patients } from '../../db/schema.ts';
import { FHIR_SCOPES, findToken } from '../../features/tokens/tokens.ts';
import { CLINICAL_ROLES, createContextInner } from '../../trpc.ts';
import { FhirError } from './errors.ts';

export interface CallerOptions {
  readonly db: OssiwatchDb;
  readonly config: ServerConfig;
  readonly now: () => Date;
  readonly cookieName: string;
}

interface CallerBase {
  readonly db: OssiwatchDb;
  readonly now: () => Date;
  readonly clientIp: string;
  /** The wards whose patients may be read; `all` only for a token issued without wards. */
  readonly wardIds: readonly number[] | 'all';
  /** False: every Patient's name, MRN and birth date is removed from the answers (`present`). */
  readonly identities: boolean;
}

export type FhirCaller =
  | (CallerBase & { readonly kind: 'person'; readonly ctx: SignedInContext })
  | (CallerBase & { readonly kind: 'token'; readonly token: { id: number; name: string } });

const REALM = 'Bearer realm="OssiWatch FHIR"';

/** A 401 with the challenge RFC 7235 asks of every 401 (RFC 6750 §3 for bearer tokens). */
function unauthorized(message: string, error?: string): FhirError {
  const challenge = error ? `${REALM}, error="${error}", error_description="${message}"` : REALM;
  return new FhirError(401, 'login', message, { 'www-authenticate': challenge });
}

/** The caller of this request, or a FhirError: 401 without valid credentials, 403 without the right. */
export function resolveCaller(
  request: FastifyRequest,
  options: CallerOptions,
  action: string,
): FhirCaller {
  // A request that presents a token is judged by it alone: a bad token is not rescued by a cookie.
  if (request.headers.authorization !== undefined) {
    return tokenCaller(request, options, action, request.headers.authorization);
  }
  return personCaller(request, options, action);
}

function personCaller(request: FastifyRequest, options: CallerOptions, action: string): FhirCaller {
  const { db, config, now } = options;
  const cookie = request.cookies[options.cookieName];
  const session = cookie ? resumeSession(db, cookie, now()) : undefined;
  if (!session) throw unauthorized('Please sign in, or present a system token.');
  const user = session.user;
  if (!user.roles.some((role) => (CLINICAL_ROLES as readonly string[]).includes(role))) {
    // As roleProcedure: the refusal is audited.
    queueAudit(db, {
      at: now(),
      userId: user.id,
      username: user.username,
      action,
      patientId: null,
      category: 'auth',
      outcome: 'denied',
      clientIp: request.ip,
      detail: { reason: 'role', needs: CLINICAL_ROLES },
    });
    throw new FhirError(403, 'forbidden', 'Only a nurse, a therapist or a physician may do this.');
  }
  const ctx = createContextInner({
    db,
    config,
    now,
    user,
    sessionId: session.sessionId,
    clientIp: request.ip,
  }) as SignedInContext;
  return {
    kind: 'person',
    ctx,
    db,
    now,
    clientIp: request.ip,
    wardIds: user.wardIds,
    identities: true,
  };
}

function tokenCaller(
  request: FastifyRequest,
  options: CallerOptions,
  action: string,
  header: string,
): FhirCaller {
  const { db, now } = options;
  const presented = /^Bearer +(\S+) *$/i.exec(header)?.[1];
  const grant = presented === undefined ? undefined : findToken(db, presented, now());
  const refuse = (detail: object, tokenName: string | null): void =>
    queueAudit(db, {
      at: now(),
      userId: null,
      username: tokenName === null ? null : `token:${tokenName}`,
      action,
      patientId: null,
      category: 'auth',
      outcome: 'denied',
      clientIp: request.ip,
      detail,
    });
  if (!grant || grant.revoked) {
    // Unknown, malformed and revoked answer alike; the audit row (never the token) says which.
    refuse(
      grant ? { reason: 'revoked token', tokenId: grant.id } : { reason: 'unknown token' },
      grant?.name ?? null,
    );
    throw unauthorized(
      'The bearer token is not valid (unknown, revoked or malformed).',
      'invalid_token',
    );
  }
  const identities = grant.scopes.includes('fhir:read');
  if (!identities && !grant.scopes.includes('fhir:read:no-identities')) {
    refuse({ reason: 'scope', tokenId: grant.id, needs: FHIR_SCOPES }, grant.name);
    throw new FhirError(403, 'forbidden', `This token has no scope to read FHIR.`, {
      'www-authenticate': `${REALM}, error="insufficient_scope", scope="${FHIR_SCOPES.join(' ')}"`,
    });
  }
  return {
    kind: 'token',
    token: { id: grant.id, name: grant.name },
    db,
    now,
    clientIp: request.ip,
    wardIds: grant.wardIds ?? 'all',
    identities,
  };
}

/** True when the caller's wards include this one. */
export function coversWard(caller: FhirCaller, wardId: number): boolean {
  return caller.wardIds === 'all' || caller.wardIds.includes(wardId);
}

/** An audit row in the caller's name: a person by account, a token as `token:<name>` with its id. */
function auditAs(
  caller: FhirCaller,
  entry: Pick<AuditEntry, 'action' | 'patientId' | 'category' | 'outcome'> & { detail?: unknown },
): void {
  if (caller.kind === 'person') {
    queueAudit(caller.db, {
      ...entry,
      at: caller.now(),
      userId: caller.ctx.user.id,
      username: caller.ctx.user.username,
      clientIp: caller.clientIp,
    });
    return;
  }
  queueAudit(caller.db, {
    ...entry,
    at: caller.now(),
    userId: null,
    username: `token:${caller.token.name}`,
    clientIp: caller.clientIp,
    detail: { tokenId: caller.token.id, ...(entry.detail ?? {}) },
  });
}

/** The audit row of a read of one patient's data. */
export function auditFhirRead(
  caller: FhirCaller,
  action: string,
  patientId: number | null,
  detail: object,
): void {
  if (caller.kind === 'person') {
    auditRead(caller.ctx, action, patientId, detail);
    return;
  }
  auditAs(caller, { action, patientId, category: 'read', outcome: 'success', detail });
}

/** The audit row of a refusal that names no patient (an id that points nowhere). */
export function auditFhirDenied(caller: FhirCaller, action: string, detail: object): void {
  auditAs(caller, { action, patientId: null, category: 'auth', outcome: 'denied', detail });
}

/** The current (or last) stay's ward, or undefined for an unknown patient or one never admitted. */
export function latestWard(db: OssiwatchDb, patientId: number): number | undefined {
  return latestStayOf(db, patientId)?.wardId;
}

/** True when the caller may open this patient; a refusal is audited (which it was: ward, unknown). */
export function mayOpen(caller: FhirCaller, patientId: number, action: string): boolean {
  if (caller.kind === 'person') {
    try {
      requirePatientScope(caller.ctx, patientId, action);
      return true;
    } catch (error) {
      if (error instanceof TRPCError && error.code === 'FORBIDDEN') return false;
      throw error;
    }
  }
  const wardId = latestWard(caller.db, patientId);
  if (wardId !== undefined && coversWard(caller, wardId)) return true;
  const exists =
    wardId !== undefined ||
    caller.db.select({ id: patients.id }).from(patients).where(eq(patients.id, patientId)).get() !==
      undefined;
  auditAs(caller, {
    action,
    patientId: exists ? patientId : null,
    category: 'auth',
    outcome: 'denied',
    detail:
      wardId !== undefined
        ? { reason: 'ward', wardId }
        : { reason: exists ? 'no stay' : 'unknown patient', patientId },
  });
  return false;
}

/** The patients whose current (or last) stay is on one of the caller's wards. */
export function wardPatientIds(caller: FhirCaller): number[] {
  return patientsOnWards(caller.db, caller.wardIds);
}

/** The patients whose current (or last) stay is on one of these wards (or on any), by id. */
export function patientsOnWards(db: OssiwatchDb, wardIds: readonly number[] | 'all'): number[] {
  if (wardIds !== 'all' && wardIds.length === 0) return [];
  const rows = db.$client
    .prepare(
      `SELECT s.patient_id AS id, s.ward_id AS wardId FROM stays s
       WHERE s.id = (SELECT id FROM stays WHERE patient_id = s.patient_id
                     ORDER BY admitted_at DESC, id DESC LIMIT 1)
       ORDER BY s.patient_id`,
    )
    .all() as { id: number; wardId: number }[];
  return rows
    .filter((row) => wardIds === 'all' || wardIds.includes(row.wardId))
    .map((row) => row.id);
}

/**
 * The one answer to an id the caller may not open, the same for an id that does not exist (existence
 * probing): 404 for a person, as before tokens existed; 403 for a token, whose ward list is fixed by
 * an administrator (PRODUCT §11 asks a token for another ward to be refused).
 */
export function notOpenable(caller: FhirCaller, what: string): FhirError {
  return caller.kind === 'person'
    ? new FhirError(404, 'not-found', `${what} is not known, or not on a ward you are assigned to`)
    : new FhirError(403, 'forbidden', `${what} is not known, or not on a ward this token covers`);
}

/** Refuses what would tie a record to a person for a caller without identities (an MRN search). */
export function requireIdentities(caller: FhirCaller, what: string): void {
  if (caller.identities) return;
  throw new FhirError(
    403,
    'forbidden',
    `${what}: this token sees no identities (scope fhir:read:no-identities)`,
  );
}

/** FHIR's security label for data taken out of a resource (v3 ObservationValue REDACTED). */
const REDACTED = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'REDACTED',
  display: 'redacted',
};

function withoutIdentities(resource: Resource): Resource {
  switch (resource.resourceType) {
    case 'Patient': {
      // Everything that names or locates the person; the id stays as a pseudonym within OssiWatch.
      const {
        identifier: _identifier,
        name: _name,
        birthDate: _birthDate,
        telecom: _telecom,
        address: _address,
        contact: _contact,
        photo: _photo,
        ...rest
      } = resource;
      const patient: Patient = {
        ...rest,
        meta: { ...rest.meta, security: [...(rest.meta?.security ?? []), REDACTED] },
      };
      return patient;
    }
    case 'Condition': {
      // A note is free text a person wrote: it may name the patient or a relative.
      const { note: _note, ...rest } = resource;
      const condition: Condition = rest;
      return condition;
    }
    case 'Bundle': {
      const bundle: Bundle = {
        ...resource,
        ...(resource.entry
          ? {
              entry: resource.entry.map((entry) =>
                entry.resource ? { ...entry, resource: withoutIdentities(entry.resource) } : entry,
              ),
            }
          : {}),
      };
      return bundle;
    }
    default:
      return resource;
  }
}

/** The answer as this caller may see it: without identities unless the caller's scope has them. */
export function present<T extends Resource>(caller: FhirCaller, resource: T): Resource {
  return caller.identities ? resource : withoutIdentities(resource);
}
