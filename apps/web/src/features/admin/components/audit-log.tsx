import { useQuery } from '@tanstack/react-query';
import { ScrollRegion } from '../../../components/scroll-region.tsx';
import { useMemo, useState, type FormEvent } from 'react';
import { formatDateTime } from '../../../lib/format.ts';
import { useTRPC } from '../../../trpc.ts';
import { actionFilterGroups, describeAuditEntry } from '../audit-words.ts';
import {
  auditFilters,
  sortAuditEntries,
  type AuditFilters,
  type AuditSortKey,
  type SortDirection,
} from '../audit.utils.ts';

const COLUMNS: { key: AuditSortKey; label: string }[] = [
  { key: 'at', label: 'Time' },
  { key: 'outcome', label: 'Outcome' },
  { key: 'action', label: 'Action (raw)' },
  { key: 'patientId', label: 'Patient no.' },
  { key: 'username', label: 'Account' },
];

const ACTION_GROUPS = actionFilterGroups();

/**
 * Who did what, to which patient, when, told in words ("Therapist Tina Ng recorded a ROM session for
 * patient no. 7 on Ward 2"), with the raw action kept beside it for auditors: filter by user, what
 * happened, patient and time; sort by time or any raw column.
 */
export function AuditLog(): React.JSX.Element {
  const trpc = useTRPC();
  const [draft, setDraft] = useState({ user: '', patient: '', from: '', to: '', action: '' });
  const [filters, setFilters] = useState<AuditFilters>({});
  const [problems, setProblems] = useState<string[]>([]);
  const [sort, setSort] = useState<{ key: AuditSortKey; direction: SortDirection }>({
    key: 'at',
    direction: 'descending',
  });
  const log = useQuery(trpc.audit.list.queryOptions({ ...filters, limit: 200 }));
  const rows = useMemo(
    () => (log.data ? sortAuditEntries(log.data.entries, sort.key, sort.direction) : []),
    [log.data, sort],
  );

  function apply(event: FormEvent): void {
    event.preventDefault();
    const parsed = auditFilters(draft);
    setProblems(parsed.problems);
    if (parsed.problems.length === 0) setFilters(parsed.filters);
  }

  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <p className="muted">
        Each entry names the fields it recorded, not their values. A privacy officer obtains the
        values with <code>pnpm ossiwatch audit:export</code>, which is itself recorded here.
      </p>
      <form className="board-filters" aria-label="Filter the audit log" onSubmit={apply} noValidate>
        <div className="field">
          <label htmlFor="audit-user">User</label>
          <input
            id="audit-user"
            value={draft.user}
            onChange={(e) => setDraft({ ...draft, user: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-action">What happened</label>
          <select
            id="audit-action"
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          >
            <option value="">Anything</option>
            {ACTION_GROUPS.map((group) => (
              <optgroup key={group.label} label={group.label}>
                {group.options.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-patient">Patient number</label>
          <input
            id="audit-patient"
            inputMode="numeric"
            value={draft.patient}
            onChange={(e) => setDraft({ ...draft, patient: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-from">From</label>
          <input
            id="audit-from"
            type="datetime-local"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To</label>
          <input
            id="audit-to"
            type="datetime-local"
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </div>
        <button type="submit" className="primary">
          Apply filters
        </button>
      </form>
      {problems.length > 0 && (
        <ul role="alert" className="error">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {log.isError && <p role="alert">The audit log could not be loaded: {log.error.message}</p>}
      {log.isPending && <p role="status">Loading the audit log…</p>}
      {log.data && (
        <ScrollRegion label="Audit log (scrolls sideways)">
          <table>
            <caption>
              Audit entries ({rows.length}
              {log.data.nextCursor !== null ? ', newest 200 shown' : ''})
            </caption>
            <thead>
              <tr>
                <th scope="col" className="audit-sentence">
                  What happened
                </th>
                {COLUMNS.map((column) => (
                  <th
                    key={column.key}
                    scope="col"
                    aria-sort={sort.key === column.key ? sort.direction : 'none'}
                  >
                    <button
                      type="button"
                      className="sort"
                      onClick={() =>
                        setSort((current) => ({
                          key: column.key,
                          direction:
                            current.key === column.key && current.direction === 'descending'
                              ? 'ascending'
                              : 'descending',
                        }))
                      }
                    >
                      {column.label}
                      <span aria-hidden="true">
                        {sort.key === column.key
                          ? sort.direction === 'ascending'
                            ? ' ▲'
                            : ' ▼'
                          : ''}
                      </span>
                    </button>
                  </th>
                ))}
                <th scope="col">Category</th>
                <th scope="col">Fields recorded</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((entry) => (
                <tr key={entry.id}>
                  <td className="audit-sentence">{describeAuditEntry(entry)}</td>
                  <td>{formatDateTime(entry.at)}</td>
                  <td>{entry.outcome}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>{entry.patientId ?? ''}</td>
                  <td>{entry.username ?? <span className="muted">unknown</span>}</td>
                  <td>{entry.category}</td>
                  <td>{entry.fields.join(', ')}</td>
                  <td>{entry.clientIp ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
