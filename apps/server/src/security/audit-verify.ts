/**
 * `audit:verify`: re-walks the audit trail's hash chain (PRODUCT §7, ASTM E2147 §7 integrity, HIPAA
 * §164.312(c)(1)). Each row's hash covers the previous row's hash and its own content, so:
 * - an edited row no longer matches its own hash;
 * - a removed row leaves the next row pointing at a hash that is not its predecessor's;
 * - reordered rows (ids swapped) break both;
 * - rows cut off the end leave SQLite's AUTOINCREMENT counter (`sqlite_sequence`) above the last id.
 * Someone able to rewrite the whole file can recompute every hash; an off-site copy of the last hash
 * (printed by this command) is what detects that.
 */
import { auditRowHash, GENESIS_HASH } from '../audit.ts';
import type { OssiwatchDb } from '../db/client.ts';

interface RawAuditRow {
  id: number;
  at: string;
  user_id: number | null;
  username: string | null;
  action: string;
  patient_id: number | null;
  category: string;
  outcome: string;
  client_ip: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export type AuditVerification =
  | { readonly ok: true; readonly rows: number; readonly lastHash: string }
  | {
      readonly ok: false;
      readonly rows: number;
      /** The first row that does not fit the chain (for a cut-off end: the first missing id). */
      readonly brokenId: number;
      readonly reason: string;
    };

/** Walks every row in id order, one at a time (constant memory on a trail of millions of rows). */
export function verifyAuditChain(db: OssiwatchDb): AuditVerification {
  const statement = db.$client.prepare(
    `SELECT id, at, user_id, username, action, patient_id, category, outcome, client_ip, detail,
            prev_hash, hash
       FROM audit_log ORDER BY id`,
  );
  let previousHash = GENESIS_HASH;
  let previousId = 0;
  let rows = 0;
  for (const row of statement.iterate() as IterableIterator<RawAuditRow>) {
    rows += 1;
    const broken = (reason: string): AuditVerification => ({
      ok: false,
      rows,
      brokenId: row.id,
      reason,
    });
    if (row.prev_hash !== previousHash) {
      return broken(
        previousId === 0
          ? 'the first row does not start the chain (rows before it were removed)'
          : `its previous hash does not match row ${previousId} (a row was removed, added or moved)`,
      );
    }
    let detail: unknown;
    try {
      detail = row.detail === null ? null : JSON.parse(row.detail);
    } catch {
      return broken('its detail is not valid JSON (the row was edited)');
    }
    const expected = auditRowHash(previousHash, {
      at: row.at,
      userId: row.user_id,
      username: row.username,
      action: row.action,
      patientId: row.patient_id,
      category: row.category,
      outcome: row.outcome,
      clientIp: row.client_ip,
      detail,
    });
    if (expected !== row.hash)
      return broken('its content does not match its hash (the row was edited)');
    previousHash = row.hash;
    previousId = row.id;
  }
  const sequence = db.$client
    .prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")
    .get() as { seq: number } | undefined;
  if (sequence && sequence.seq > previousId) {
    return {
      ok: false,
      rows,
      brokenId: previousId + 1,
      reason: `rows ${previousId + 1} to ${sequence.seq} were written and are gone (the end was cut off)`,
    };
  }
  return { ok: true, rows, lastHash: previousHash };
}

/** The command: prints the verdict; exit code 0 for an intact trail, 1 for a broken one. */
export function runAuditVerify(
  db: OssiwatchDb,
  out: { write(text: string): unknown } = process.stdout,
): number {
  const result = verifyAuditChain(db);
  if (result.ok) {
    out.write(`audit log intact: ${result.rows} row(s), last hash ${result.lastHash}\n`);
    return 0;
  }
  out.write(
    `audit log BROKEN at row ${result.brokenId}: ${result.reason} (${result.rows} row(s) read)\n`,
  );
  return 1;
}
