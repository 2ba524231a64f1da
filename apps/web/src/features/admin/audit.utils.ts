/** The audit log viewer's sorting and filter parsing (the server returns newest first). */

export interface AuditEntryLike {
  readonly id: number;
  readonly at: string;
  readonly username: string | null;
  readonly action: string;
  readonly patientId: number | null;
  readonly outcome: string;
}

export type AuditSortKey = 'at' | 'username' | 'action' | 'patientId' | 'outcome';
export type SortDirection = 'ascending' | 'descending';

/**
 * Sorted copy by one column; ties keep the log's own order (by id, newest first), so equal times
 * never shuffle. Missing values (no user, no patient) sort last either way.
 */
export function sortAuditEntries<T extends AuditEntryLike>(
  entries: readonly T[],
  key: AuditSortKey,
  direction: SortDirection,
): T[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...entries].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === null && y !== null) return 1;
    if (y === null && x !== null) return -1;
    const order =
      x === null || y === null
        ? 0
        : typeof x === 'number' && typeof y === 'number'
          ? x - y
          : String(x).localeCompare(String(y));
    return order * sign || b.id - a.id;
  });
}

export interface AuditFilters {
  readonly user?: string;
  readonly patient?: number;
  readonly from?: string;
  readonly to?: string;
  /** An action name, or a family of them as a prefix ending in a dot (`ward.`). */
  readonly action?: string;
}

/** Filter inputs as the server takes them; empty or malformed fields are left out, with a reason. */
export function auditFilters(input: {
  user: string;
  patient: string;
  from: string;
  to: string;
  action?: string;
}): {
  filters: AuditFilters;
  problems: string[];
} {
  const problems: string[] = [];
  const filters: { user?: string; patient?: number; from?: string; to?: string; action?: string } =
    {};
  if (input.user.trim() !== '') filters.user = input.user.trim();
  if (input.action) filters.action = input.action;
  if (input.patient.trim() !== '') {
    const id = Number(input.patient);
    if (Number.isInteger(id) && id > 0) filters.patient = id;
    else problems.push('Patient: enter the patient number (a whole number)');
  }
  for (const field of ['from', 'to'] as const) {
    const value = input[field];
    if (value === '') continue;
    const at = new Date(value);
    if (Number.isNaN(at.getTime()))
      problems.push(`${field === 'from' ? 'From' : 'To'}: not a date and time`);
    else filters[field] = at.toISOString();
  }
  if (filters.from && filters.to && filters.to <= filters.from)
    problems.push('To: must be after From');
  return { filters, problems };
}
