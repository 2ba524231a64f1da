/**
 * The audit trail (PRODUCT §7): every read and write of patient data, sign-ins and their failures.
 * Rows are chained: each row's hash covers the previous row's hash and its own content, so a removed
 * or edited row is detectable by re-walking the chain.
 *
 * Writes append their audit row inside their own transaction: the row and the data commit together.
 * Reads queue their row and a group commit writes the queue on the next turn of the event loop
 * (`flushAudit`, which explains how that batch reaches the disk).
 */
import { createHash } from 'node:crypto';
import type { DbOrTx, OssiwatchDb } from './db/client.ts';
import { preparedStatement } from './statements.ts';
import type { AuditOutcome } from './db/schema.ts';

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

/** An audit row's content as the chain hashes it and the table stores it, in column order. */
export interface AuditRowContent {
  at: string;
  userId: number | null;
  username: string | null;
  action: string;
  patientId: number | null;
  category: string;
  outcome: string;
  clientIp: string | null;
  detail: unknown;
}

/** The row's fields as a JSON array in a fixed order, with `detail` already as JSON text. */
function contentJson(row: AuditRowContent, detailJson: string): string {
  const fields = JSON.stringify([
    row.at,
    row.userId,
    row.username,
    row.action,
    row.patientId,
    row.category,
    row.outcome,
    row.clientIp,
  ]);
  // Equal to JSON.stringify of the nine fields: the detail is serialised once, for both uses.
  return `${fields.slice(0, -1)},${detailJson}]`;
}

function chainHash(prevHash: string, content: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

/** SHA-256 over the previous hash and the row's content, in a fixed order. */
export function auditRowHash(prevHash: string, row: AuditRowContent): string {
  return chainHash(prevHash, contentJson(row, JSON.stringify(row.detail ?? null)));
}

const lastHash = preparedStatement<[], string>(
  'SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1',
);
const insertRow = preparedStatement<
  [
    string,
    number | null,
    string | null,
    string,
    number | null,
    string,
    string,
    string | null,
    string | null,
    string,
    string,
  ]
>(
  `INSERT INTO audit_log
     (at, user_id, username, action, patient_id, category, outcome, client_ip, detail, prev_hash, hash)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);

function insertChained(writer: DbOrTx, entries: readonly AuditEntry[]): void {
  if (entries.length === 0) return;
  let prevHash = lastHash(writer).pluck().get() ?? GENESIS_HASH;
  const insert = insertRow(writer);
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
    const detailJson = JSON.stringify(row.detail);
    const hash = chainHash(prevHash, contentJson(row, detailJson));
    insert.run(
      row.at,
      row.userId,
      row.username,
      row.action,
      row.patientId,
      row.category,
      row.outcome,
      row.clientIp,
      // The column is drizzle's JSON text: null stays SQL NULL, as drizzle writes it.
      row.detail === null ? null : detailJson,
      prevHash,
      hash,
    );
    prevHash = hash;
  }
}

const pendingByDb = new WeakMap<OssiwatchDb, AuditEntry[]>();

const syncLevel = preparedStatement<[], number>('PRAGMA synchronous');

/**
 * Writes the queued read entries now, in one transaction.
 *
 * The batch commits without its own disk sync (`synchronous=NORMAL` for this commit only): its rows
 * reach the operating system at once, so they survive the server being killed, and reach the disk
 * with the next write's synced commit or the next checkpoint, at most moments later. A synced commit
 * for every batch of board reads would block the server for a disk flush many times a second. Writes
 * of patient data, with their own audit rows, always commit with `synchronous=FULL`.
 */
export function flushAudit(db: OssiwatchDb): void {
  const pending = pendingByDb.get(db);
  if (!pending || pending.length === 0) return;
  const entries = pending.splice(0);
  const sqlite = db.$client;
  // Inside an open transaction (a caller's), the batch simply joins it and its sync.
  const level = sqlite.inTransaction ? 1 : (syncLevel(db).pluck().get() ?? 2);
  if (level > 1) sqlite.pragma('synchronous = NORMAL');
  try {
    db.transaction((tx) => insertChained(tx, entries));
  } finally {
    if (level > 1) sqlite.pragma(`synchronous = ${level}`);
  }
}

/**
 * Appends entries inside the caller's transaction: they commit or roll back with its data. (Queued
 * reads keep their own `at`; the chain orders rows by when they were written.)
 */
export function appendAudit(tx: DbOrTx, ...entries: AuditEntry[]): void {
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
