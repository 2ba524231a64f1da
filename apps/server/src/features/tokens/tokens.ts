/**
 * System tokens (PRODUCT §11 "Who may call"): bearer tokens an administrator issues to another system
 * (a registry, a research warehouse) to read the FHIR API. Printed once, kept as a hash, scoped (what
 * it may do, which wards), revocable, every use audited (integration/fhir/auth.ts).
 *
 * The command line (commands.ts) and the admin screen (router.ts) go through these functions.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { appendAudit } from '../../audit.ts';
import type { OssiwatchDb } from '../../db/client.ts';
import { systemTokens, wards } from '../../db/schema.ts';

/**
 * The scopes a token may carry. `fhir:read` reads patients' records with their identities;
 * `fhir:read:no-identities` reads the same records with every Patient's name, MRN and birth date
 * removed: what a ward or quality manager's system needs ("no patient identities needed", PRODUCT §1)
 * and what the manager role sees on the screens. A token carries exactly one of them.
 */
export const FHIR_SCOPES = ['fhir:read', 'fhir:read:no-identities'] as const;
export type TokenScope = (typeof FHIR_SCOPES)[number];
const isScope = (scope: string): scope is TokenScope =>
  (FHIR_SCOPES as readonly string[]).includes(scope);

/** A recognisable prefix, so a token pasted somewhere it should not be is easy to find and revoke. */
export const TOKEN_PREFIX = 'ossw_';
const TOKEN_PATTERN = /^ossw_[A-Za-z0-9_-]{43}$/;
const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Who issues or revokes: an administrator on the screen, or `cli:<os user>` on the command line. */
export interface TokenAdmin {
  readonly userId: number | null;
  readonly username: string;
  readonly clientIp: string | null;
}

export class TokenError extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT',
    message: string,
  ) {
    super(message);
  }
}

/**
 * SHA-256 of the token. A token is 32 random bytes (256 bits), so no one can guess it from its hash;
 * a slow password hash (argon2id) guards against guessing low-entropy passwords and would only add
 * tens of milliseconds to every FHIR call. A plain hash also lets the lookup be one indexed equality,
 * the same way session tokens are kept (auth/sessions.ts).
 */
export function tokenHashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

export interface TokenView {
  readonly id: number;
  readonly name: string;
  readonly scopes: readonly string[];
  /** null: every ward. */
  readonly wardIds: readonly number[] | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

const VIEW_COLUMNS = {
  id: systemTokens.id,
  name: systemTokens.name,
  scopes: systemTokens.scopes,
  wardIds: systemTokens.wardIds,
  createdAt: systemTokens.createdAt,
  createdBy: systemTokens.createdBy,
  lastUsedAt: systemTokens.lastUsedAt,
  revokedAt: systemTokens.revokedAt,
  revokedBy: systemTokens.revokedBy,
};

/** Every token, revoked ones too (their history stays), oldest first. Never the token itself. */
export function listTokens(db: OssiwatchDb): TokenView[] {
  return db.select(VIEW_COLUMNS).from(systemTokens).orderBy(asc(systemTokens.id)).all();
}

export interface CreateTokenInput {
  readonly name: string;
  readonly scopes: readonly string[];
  /** Empty: every ward. */
  readonly wardIds: readonly number[];
}

/** Issues a token; the returned `token` is the only time it exists outside the caller's hands. */
export function createToken(
  db: OssiwatchDb,
  admin: TokenAdmin,
  now: Date,
  input: CreateTokenInput,
): { id: number; name: string; token: string } {
  const name = input.name.trim();
  if (!NAME_PATTERN.test(name)) {
    throw new TokenError('BAD_REQUEST', 'name: 1 to 64 letters, digits, dots, dashes, underscores');
  }
  const scopes = [...new Set(input.scopes)];
  const unknown = scopes.find((scope) => !isScope(scope));
  if (unknown !== undefined) {
    throw new TokenError(
      'BAD_REQUEST',
      `scope: "${unknown.slice(0, 40)}" is not one of ${FHIR_SCOPES.join(', ')}`,
    );
  }
  if (scopes.length !== 1) {
    throw new TokenError(
      'BAD_REQUEST',
      `scope: give exactly one of ${FHIR_SCOPES.join(', ')} (with identities or without)`,
    );
  }
  const wardIds = [...new Set(input.wardIds)].sort((a, b) => a - b);
  if (wardIds.some((id) => !Number.isSafeInteger(id) || id < 1)) {
    throw new TokenError('BAD_REQUEST', 'ward: a ward id is a positive whole number');
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const created = db.transaction((tx) => {
    if (wardIds.length > 0) {
      const known = new Set(
        tx
          .select({ id: wards.id })
          .from(wards)
          .where(inArray(wards.id, wardIds))
          .all()
          .map((ward) => ward.id),
      );
      const missing = wardIds.find((id) => !known.has(id));
      if (missing !== undefined) throw new TokenError('BAD_REQUEST', `ward: no ward ${missing}`);
    }
    const taken = tx
      .select({ id: systemTokens.id })
      .from(systemTokens)
      .where(and(eq(systemTokens.name, name), isNull(systemTokens.revokedAt)))
      .get();
    if (taken) {
      throw new TokenError('CONFLICT', `name: a token named "${name}" exists (revoke it first)`);
    }
    const row = tx
      .insert(systemTokens)
      .values({
        name,
        tokenHash: tokenHashOf(token),
        scopes,
        wardIds: wardIds.length > 0 ? wardIds : null,
        createdAt: now.toISOString(),
        createdBy: admin.username,
        createdByUserId: admin.userId,
      })
      .returning({ id: systemTokens.id })
      .get();
    appendAudit(tx, {
      at: now,
      userId: admin.userId,
      username: admin.username,
      action: 'admin.tokens.create',
      patientId: null,
      category: 'admin',
      outcome: 'success',
      clientIp: admin.clientIp,
      // What it may do, never the token or its hash.
      detail: { tokenId: row.id, name, scopes, wardIds: wardIds.length > 0 ? wardIds : 'all' },
    });
    return row;
  });
  return { id: created.id, name, token };
}

/** Revokes the token with this id, or the one not yet revoked with this name. Takes effect at once. */
export function revokeToken(
  db: OssiwatchDb,
  admin: TokenAdmin,
  now: Date,
  which: { id: number } | { name: string },
): TokenView {
  return db.transaction((tx) => {
    const row = tx
      .select(VIEW_COLUMNS)
      .from(systemTokens)
      .where(
        'id' in which
          ? eq(systemTokens.id, which.id)
          : and(eq(systemTokens.name, which.name), isNull(systemTokens.revokedAt)),
      )
      .get();
    if (!row) {
      throw new TokenError(
        'NOT_FOUND',
        'id' in which ? `id: no token ${which.id}` : `name: no active token "${which.name}"`,
      );
    }
    if (row.revokedAt !== null) {
      throw new TokenError(
        'CONFLICT',
        `token ${row.id} ("${row.name}") was revoked at ${row.revokedAt}`,
      );
    }
    const at = now.toISOString();
    tx.update(systemTokens)
      .set({ revokedAt: at, revokedBy: admin.username })
      .where(eq(systemTokens.id, row.id))
      .run();
    appendAudit(tx, {
      at: now,
      userId: admin.userId,
      username: admin.username,
      action: 'admin.tokens.revoke',
      patientId: null,
      category: 'admin',
      outcome: 'success',
      clientIp: admin.clientIp,
      detail: { tokenId: row.id, name: row.name },
    });
    return { ...row, revokedAt: at, revokedBy: admin.username };
  });
}

/** What a presented token may do, looked up by its hash; `revoked` tokens are found so the refusal names them. */
export interface TokenGrant {
  readonly id: number;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly wardIds: readonly number[] | null;
  readonly revoked: boolean;
}

/** last_used_at is written at most once a minute: each write is a disk sync, each read is not. */
const LAST_USED_RESOLUTION_MS = 60 * 1000;

/** The token's grant, read afresh on every call (a revocation takes effect on the next request). */
export function findToken(db: OssiwatchDb, token: string, now: Date): TokenGrant | undefined {
  if (!isWellFormedToken(token)) return undefined;
  // An equality on the hash of the presented token: comparing hashes leaks nothing usable about a
  // stored token through timing, since the caller cannot choose the hash's bytes.
  const row = db
    .select({
      id: systemTokens.id,
      name: systemTokens.name,
      scopes: systemTokens.scopes,
      wardIds: systemTokens.wardIds,
      lastUsedAt: systemTokens.lastUsedAt,
      revokedAt: systemTokens.revokedAt,
    })
    .from(systemTokens)
    .where(eq(systemTokens.tokenHash, tokenHashOf(token)))
    .get();
  if (!row) return undefined;
  const revoked = row.revokedAt !== null;
  if (
    !revoked &&
    (row.lastUsedAt === null ||
      now.getTime() - Date.parse(row.lastUsedAt) >= LAST_USED_RESOLUTION_MS)
  ) {
    db.update(systemTokens)
      .set({ lastUsedAt: now.toISOString() })
      .where(eq(systemTokens.id, row.id))
      .run();
  }
  return { id: row.id, name: row.name, scopes: row.scopes, wardIds: row.wardIds, revoked };
}
