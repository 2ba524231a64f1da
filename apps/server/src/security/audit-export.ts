/**
 * The audit trail's two readers (PRODUCT §7, HIPAA minimum necessary):
 *
 * - administrators (`audit.list`) see who, when, which action, which patient id and the names of the
 *   fields a row recorded (for a correction, the fields that changed), never the values: injury
 *   details, diagnoses, grades, notes, vitals and emergency reasons stay in the chain;
 * - a privacy officer gets the values with `pnpm ossiwatch audit:export --by <name> --reason <why>`,
 *   run by whoever operates the server; the export is itself a row in the trail, written before any
 *   value is printed.
 */
import { appendAudit } from '../audit.ts';
import type { OssiwatchDb } from '../db/client.ts';

const PAIRS = [
  ['before', 'after'],
  ['old', 'new'],
] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The field names a detail records, without their values: for a before/after (or old/new) pair the
 * fields whose value differs, otherwise the detail's keys.
 */
export function detailFields(detail: unknown): string[] {
  if (!isRecord(detail)) return [];
  const fields = new Set<string>();
  const paired = new Set<string>();
  for (const [from, to] of PAIRS) {
    const a = detail[from];
    const b = detail[to];
    if (!isRecord(a) || !isRecord(b)) continue;
    paired.add(from).add(to);
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) fields.add(key);
    }
  }
  for (const key of Object.keys(detail)) if (!paired.has(key)) fields.add(key);
  return [...fields].sort();
}

export interface AuditExportOptions {
  readonly by: string;
  readonly reason: string;
  readonly patient?: number;
  readonly from?: string;
  readonly to?: string;
}

const USAGE =
  'usage: audit:export --by <privacy officer> --reason <why, 10+ characters> [--patient <id>] [--from <date>] [--to <date>]';

/** Parses the command line, or returns the reason it cannot be used. */
export function parseAuditExportArgs(args: readonly string[]): AuditExportOptions | string {
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i];
    const value = args[i + 1];
    if (!name?.startsWith('--') || value === undefined) return USAGE;
    values.set(name.slice(2), value);
  }
  const unknown = [...values.keys()].find(
    (key) => !['by', 'reason', 'patient', 'from', 'to'].includes(key),
  );
  if (unknown) return `unknown option --${unknown}\n${USAGE}`;
  const by = values.get('by')?.trim() ?? '';
  const reason = values.get('reason')?.trim() ?? '';
  if (by === '') return `--by: name the person the export is for\n${USAGE}`;
  if (reason.length < 10) return `--reason: say why, in at least 10 characters\n${USAGE}`;
  const options: { -readonly [K in keyof AuditExportOptions]: AuditExportOptions[K] } = {
    by,
    reason,
  };
  const patient = values.get('patient');
  if (patient !== undefined) {
    if (!/^\d+$/.test(patient)) return `--patient: a patient id, not "${patient}"`;
    options.patient = Number(patient);
  }
  for (const key of ['from', 'to'] as const) {
    const text = values.get(key);
    if (text === undefined) continue;
    const at = Date.parse(text);
    if (!Number.isFinite(at)) return `--${key}: a date or ISO 8601 instant, not "${text}"`;
    options[key] = new Date(at).toISOString();
  }
  return options;
}

/** Writes the export's own audit row, then every matching row with its values as JSON lines. */
export function exportAudit(
  db: OssiwatchDb,
  options: AuditExportOptions,
  now: Date,
  out: { write(text: string): unknown },
): number {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  if (options.patient !== undefined) {
    conditions.push('patient_id = ?');
    params.push(options.patient);
  }
  if (options.from) {
    conditions.push('at >= ?');
    params.push(options.from);
  }
  if (options.to) {
    conditions.push('at < ?');
    params.push(options.to);
  }
  // The export is recorded first: a run that fails half-way is still in the trail.
  db.transaction((tx) => {
    appendAudit(tx, {
      at: now,
      userId: null,
      username: null,
      action: 'audit.export',
      patientId: options.patient ?? null,
      category: 'admin',
      outcome: 'success',
      clientIp: null,
      detail: {
        by: options.by,
        reason: options.reason,
        filters: { patient: options.patient, from: options.from, to: options.to },
        via: 'cli',
      },
    });
  });
  let count = 0;
  // Streamed row by row: the trail of a hospital does not fit in memory at once.
  const rows = db.$client
    .prepare(
      `SELECT id, at, user_id AS userId, username, action, patient_id AS patientId, category,
         outcome, client_ip AS clientIp, detail, hash
       FROM audit_log ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY id`,
    )
    .iterate(...params) as IterableIterator<{ detail: string | null }>;
  for (const row of rows) {
    out.write(
      `${JSON.stringify({ ...row, detail: row.detail === null ? null : (JSON.parse(row.detail) as unknown) })}\n`,
    );
    count += 1;
  }
  return count;
}
