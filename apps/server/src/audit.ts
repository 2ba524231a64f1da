/**
 * The audit trail (PRODUCT §7): every read and write of patient data, sign-ins and their failures.
 * Rows are chained: each row's hash covers the previous row's hash and its own content, so a removed
 * or edited row is detectable by re-walking the chain.
 *
 * Writes append their audit row inside their own transaction: the row and the data commit together.
 * Reads queue their row and a group commit writes the queue on the next turn of the event loop, so a
 * burst of ward-board reads costs one disk sync instead of one each.
 */
import { createHash } from 'node:crypto';
import { desc } from 'drizzle-orm';
import type { OssiwatchDb } from './db/client.ts';
import { auditLog, type AuditOutcome } from './db/schema.ts';

export type AuditCategory = 'read' | 'write' | 'auth' | 'admin' | 'settings';

export interface AuditEntry {
  readonly at: Date;
  readonly userId: number | null;
  readonly username: string | null;
  readonly action: string;
  readonly patientId: number | null;
  readonly category: AuditCategory;
  readonly outcome: AuditOutcome;
  readonly clientIp: string | null;
  readonly detail?: unknown;
}

/** The hash before the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** A database handle or a transaction on one: anything that can run drizzle queries synchronously. */
type Writer = Pick<OssiwatchDb, 'select' | 'insert'>;

/** SHA-256 over the previous hash and the row's content, in a fixed order. */
export function auditRowHash(
  prevHash: string,
  row: {
    at: string;
    userId: number | null;
    username: string | null;
    action: string;
    patientId: number | null;
    category: string;
    outcome: string;
    clientIp: string | null;
    detail: unknown;
  },
): string {
  const content = JSON.stringify([
    row.at,
    row.userId,
    row.username,
    row.action,
    row.patientId,
    row.category,
    row.outcome,
    row.clientIp,
    row.detail ?? null,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

function insertChained(writer: Writer, entries: readonly AuditEntry[]): void {
  if (entries.length === 0) return;
  const last = writer
    .select({ hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.id))
    .limit(1)
    .get();
  let prevHash = last?.hash ?? GENESIS_HASH;
  for (const entry of entries) {
    const row = {
      at: entry.at.toISOString(),
      userId: entry.userId,
      username: entry.username,
      action: entry.action,
      patientId: entry.patientId,
      category: entry.category,
      outcome: entry.outcome,
      clientIp: entry.clientIp,
      detail: entry.detail ?? null,
    };
    const hash = auditRowHash(prevHash, row);
    writer
      .insert(auditLog)
      .values({ ...row, prevHash, hash })
      .run();
    prevHash = hash;
  }
}

const pendingByDb = new WeakMap<OssiwatchDb, AuditEntry[]>();

/** Writes the queued read entries now, in one transaction. */
export function flushAudit(db: OssiwatchDb): void {
  const pending = pendingByDb.get(db);
  if (!pending || pending.length === 0) return;
  const entries = pending.splice(0);
  db.transaction((tx) => insertChained(tx, entries));
}

/**
 * Appends entries inside the caller's transaction: they commit or roll back with its data. (Queued
 * reads keep their own `at`; the chain orders rows by when they were written.)
 */
export function appendAudit(tx: Writer, ...entries: AuditEntry[]): void {
  insertChained(tx, entries);
}

/** Queues an entry for the next group commit (reads, refusals). */
export function queueAudit(db: OssiwatchDb, entry: AuditEntry): void {
  let pending = pendingByDb.get(db);
  if (!pending) {
    pending = [];
    pendingByDb.set(db, pending);
  }
  pending.push(entry);
  if (pending.length === 1) {
    setImmediate(() => {
      try {
        flushAudit(db);
      } catch {
        // The database was closed under a pending flush (shutdown); main.ts flushes before closing.
      }
    });
  }
}
