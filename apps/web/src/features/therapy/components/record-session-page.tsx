import { FUTURE_TOLERANCE_MS } from '@ossiwatch/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { formatShortDate } from '../../../lib/format.ts';
import { Link } from '../../../lib/router.tsx';
import { errorCode, useTRPC } from '../../../trpc.ts';
import {
  entryRows,
  evaluateTyped,
  formatChange,
  latestByCell,
  otherSideKey,
  sessionFromValues,
  type EntryCell,
  type RomReadingLike,
  type SessionReading,
} from '../entry.utils.ts';
import { EMPTY_SCALES, scalesToSubmit, type ScaleValues } from '../scales.utils.ts';
import { serverProblem } from '../server-errors.ts';
import { ScalesSection } from './scales-section.tsx';

/** Ctrl+Enter (Cmd+Enter on a Mac) saves the session, wherever focus is on the page. */
function isSaveShortcut(event: KeyboardEvent): boolean {
  return event.key === 'Enter' && (event.ctrlKey || event.metaKey);
}

function localNow(): string {
  const now = new Date();
  now.setSeconds(0, 0);
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

const ROWS = entryRows();

/** "Left hip flexion (passive)" → "Hip flexion": the row's name without side and mode. */
function rowName(label: string): string {
  const name = label.replace(/^(Left|Right) /, '').replace(/ \((passive|active)\)$/, '');
  return name.charAt(0).toUpperCase() + name.slice(1);
}
const COLUMNS = ROWS[0]?.cells.length ?? 4;

function Cell({
  cell,
  value,
  last,
  otherSide,
  otherSideTyped,
  onChange,
  onKeyDown,
}: {
  cell: EntryCell;
  value: string;
  last: RomReadingLike | undefined;
  otherSide: RomReadingLike | undefined;
  otherSideTyped: string;
  onChange: (value: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
}): React.JSX.Element {
  const typed = evaluateTyped(value, cell, last);
  const hintId = `${cell.key}-hint`;
  const otherTyped = evaluateTyped(otherSideTyped, cell, undefined);
  const otherValue = otherTyped.kind === 'value' ? otherTyped.degrees : otherSide?.degrees;
  return (
    <td className="entry-cell">
      <input
        id={cell.key}
        data-cell={cell.key}
        aria-label={cell.label}
        aria-describedby={hintId}
        aria-invalid={typed.kind === 'invalid'}
        inputMode="numeric"
        autoComplete="off"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <span id={hintId} className="hint">
        {last ? `last ${last.degrees}° (${formatShortDate(last.takenAt)})` : 'no previous reading'}
        {otherValue !== undefined && `; other side ${otherValue}°`}
        {typed.kind === 'value' && typed.change !== null && (
          <span className={typed.falling ? 'falling' : undefined}>
            {'; '}
            {formatChange(typed.change)} since last{typed.falling ? ', falling' : ''}
          </span>
        )}
      </span>
      {typed.kind === 'invalid' && (
        <span className="problem" role="alert">
          {typed.message}
        </span>
      )}
    </td>
  );
}

/** The therapist's grid: every site × movement × mode, checked and compared as it is typed. */
export default function RecordSessionPage({ patientId }: { patientId: number }): React.JSX.Element {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const patient = useQuery(trpc.patient.get.queryOptions({ patientId }));
  const history = useQuery(trpc.rom.list.queryOptions({ patientId }));
  const [values, setValues] = useState<Record<string, string>>({});
  const [scales, setScales] = useState<ScaleValues>(EMPTY_SCALES);
  const [takenAt, setTakenAt] = useState(localNow);
  const [problems, setProblems] = useState<string[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  const savedRef = useRef<HTMLParagraphElement>(null);
  // After a save, focus goes to the confirmation so it is read and the next step starts from there.
  useEffect(() => {
    if (saved) savedRef.current?.focus();
  }, [saved]);
  const record = useMutation(trpc.rom.recordSession.mutationOptions());
  const latest = useMemo(() => latestByCell(history.data ?? []), [history.data]);
  const pendingReadings = useRef<SessionReading[]>([]);
  const name = patient.data?.patient.name ?? `Patient ${patientId}`;

  function moveFocus(
    event: KeyboardEvent<HTMLInputElement>,
    rowIndex: number,
    column: number,
  ): void {
    if (isSaveShortcut(event)) return;
    const delta =
      event.key === 'ArrowDown' || event.key === 'Enter' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (delta === 0) return;
    event.preventDefault();
    const target = ROWS[rowIndex + delta]?.cells[column];
    if (target)
      tableRef.current?.querySelector<HTMLInputElement>(`[data-cell="${target.key}"]`)?.focus();
  }

  function save(): void {
    setSaved(null);
    const session = sessionFromValues(ROWS, values);
    if (session.problems.length > 0) {
      setProblems(session.problems.map((p) => p.message));
      document.getElementById(session.problems[0]!.key)?.focus();
      return;
    }
    if (session.readings.length === 0) {
      setProblems(['Nothing to save: enter at least one reading.']);
      return;
    }
    const when = new Date(takenAt);
    if (Number.isNaN(when.getTime()) || when.getTime() > Date.now() + FUTURE_TOLERANCE_MS) {
      setProblems([
        'Time of session: enter the date and time the joints were measured (not in the future).',
      ]);
      return;
    }
    setProblems([]);
    pendingReadings.current = session.readings;
    const { spasticity, mobility } = scalesToSubmit(scales);
    record.mutate(
      { patientId, takenAt: when.toISOString(), readings: session.readings, spasticity, mobility },
      {
        onSuccess: (result) => {
          setValues({});
          setScales(EMPTY_SCALES);
          const extras = spasticity.length + mobility.length;
          setSaved(
            `Session saved: ${result.readingIds.length} reading${result.readingIds.length === 1 ? '' : 's'}${
              extras > 0 ? ` and ${extras} scale item${extras === 1 ? '' : 's'}` : ''
            } for ${name}.`,
          );
          void queryClient.invalidateQueries({ queryKey: trpc.rom.pathKey() });
          void queryClient.invalidateQueries({ queryKey: trpc.patient.pathKey() });
          void queryClient.invalidateQueries({ queryKey: trpc.ward.pathKey() });
        },
        onError: (error) => {
          setProblems([serverProblem(error, pendingReadings.current)]);
        },
      },
    );
  }

  if (patient.isError && errorCode(patient.error) === 'FORBIDDEN') {
    return (
      <main id="main">
        <h1>Record session</h1>
        <p role="alert">You have no access to this patient: they are not on one of your wards.</p>
      </main>
    );
  }

  return (
    <main
      id="main"
      onKeyDown={(event) => {
        if (!isSaveShortcut(event)) return;
        event.preventDefault();
        save();
      }}
    >
      <p className="no-print">
        <Link href={`/patients/${patientId}`}>Back to {name}</Link>
      </p>
      <h1>Record session: {name}</h1>
      <p className="muted">
        Degrees, neutral-zero method: a joint that cannot reach neutral is negative (elbow extension
        −40° is 40° short of straight). Leave a cell empty when it was not measured. Tab moves along
        a row; ↑ and ↓ move between rows.
      </p>
      <div className="field" style={{ maxWidth: '16rem' }}>
        <label htmlFor="taken-at">Time of session</label>
        <input
          id="taken-at"
          type="datetime-local"
          value={takenAt}
          onChange={(event) => setTakenAt(event.target.value)}
        />
      </div>
      {history.isError && (
        <p role="alert">
          Earlier readings could not be loaded, so no change is shown: {history.error.message}
        </p>
      )}
      <div className="table-scroll">
        <table className="entry-grid" ref={tableRef}>
          <caption>Range of motion (degrees)</caption>
          <thead>
            <tr>
              <th scope="col">Movement</th>
              <th scope="col">Normal</th>
              {ROWS[0]?.cells.map((cell) => (
                <th scope="col" key={cell.key}>
                  {cell.side === 'left' ? 'Left' : 'Right'} ({cell.mode})
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row, rowIndex) => (
              <tr key={`${row.site}-${row.movement}`}>
                <th scope="row">{rowName(row.cells[0]?.label ?? '')}</th>
                <td className="muted">{row.normalDegrees}°</td>
                {row.cells.map((cell, column) => (
                  <Cell
                    key={cell.key}
                    cell={cell}
                    value={values[cell.key] ?? ''}
                    last={latest.get(cell.key)}
                    otherSide={latest.get(otherSideKey(cell))}
                    otherSideTyped={values[otherSideKey(cell)] ?? ''}
                    onChange={(value) => {
                      setSaved(null);
                      setValues((current) => ({ ...current, [cell.key]: value }));
                    }}
                    onKeyDown={(event) => moveFocus(event, rowIndex, column % COLUMNS)}
                  />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ScalesSection values={scales} onChange={setScales} />
      <div className="entry-actions">
        <button
          type="button"
          className="primary"
          onClick={save}
          disabled={record.isPending}
          aria-keyshortcuts="Control+Enter"
        >
          Save session
        </button>
        <span className="muted">Ctrl+Enter saves from anywhere on this page.</span>
        {record.isPending && <span role="status">Saving…</span>}
        <div role="status" aria-live="polite">
          {saved && (
            <p className="success" ref={savedRef} tabIndex={-1}>
              {saved}
            </p>
          )}
        </div>
        {problems.length > 0 && (
          <div role="alert" className="error">
            <p>Not saved. Nothing from this session was stored:</p>
            <ul>
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </main>
  );
}
