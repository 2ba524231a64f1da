import { FUTURE_TOLERANCE_MS } from '@ossiwatch/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { ModalDialog } from '../../../components/modal-dialog.tsx';
import { SavedStatus } from '../../../components/saved-status.tsx';
import { clearDraft, draftKey, loadDraft, saveDraft, type Draft } from '../../../lib/drafts.ts';
import { formatClockTime, formatShortDate } from '../../../lib/format.ts';
import { guardUnsaved, Link } from '../../../lib/router.tsx';
import { errorCode, useTRPC } from '../../../trpc.ts';
import {
  entryRows,
  evaluateTyped,
  formatChange,
  largeChanges,
  latestByCell,
  otherSideKey,
  sessionFromValues,
  type EntryCell,
  type LargeChange,
  type RomReadingLike,
  type SessionReading,
} from '../entry.utils.ts';
import { countScales, EMPTY_SCALES, scalesToSubmit, type ScaleValues } from '../scales.utils.ts';
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

/** What the grid keeps as a draft in the browser (lib/drafts.ts). */
interface GridDraft {
  readonly values: Record<string, string>;
  readonly scales: ScaleValues;
  readonly takenAt: string;
}

function typedCount(values: Readonly<Record<string, string>>, scales: ScaleValues): number {
  return Object.values(values).filter((v) => v.trim() !== '').length + countScales(scales);
}

/** Used until the settings arrive with the patient (the romTypoChangeDegrees default). */
const DEFAULT_TYPO_CHANGE_DEGREES = 40;

function changeLine(change: LargeChange): string {
  return `${change.label}: ${change.degrees}° typed, the last reading was ${change.last.degrees}° on ${formatShortDate(change.last.takenAt)} (${formatChange(change.change)})`;
}

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
      {/* On a phone the column headings give way to these (the field's own name is the full one). */}
      <span className="cell-label" aria-hidden="true">
        {cell.side === 'left' ? 'Left' : 'Right'} {cell.mode}
      </span>
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
export default function RecordSessionPage({
  patientId,
  userId,
}: {
  patientId: number;
  userId: number;
}): React.JSX.Element {
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
  const record = useMutation(trpc.rom.recordSession.mutationOptions());
  const latest = useMemo(() => latestByCell(history.data ?? []), [history.data]);
  const pendingReadings = useRef<SessionReading[]>([]);
  const name = patient.data?.patient.name ?? `Patient ${patientId}`;
  const threshold = patient.data?.entryChecks.romTypoChangeDegrees ?? DEFAULT_TYPO_CHANGE_DEGREES;
  const [confirming, setConfirming] = useState<LargeChange[] | null>(null);

  // Nothing typed is lost (PRODUCT §5): a draft in this tab, offered back after an idle sign-out, and
  // a question before leaving the screen with entries not saved.
  const key = draftKey(userId, patientId, 'rom-session');
  const [offer, setOffer] = useState<Draft<GridDraft> | null>(() => {
    const draft = loadDraft<GridDraft>(key);
    return draft && typedCount(draft.data.values, draft.data.scales) > 0 ? draft : null;
  });
  const typed = typedCount(values, scales);
  useEffect(() => {
    // While a draft is offered, it stays as it was until restored or discarded.
    if (offer) return;
    if (typed > 0) saveDraft<GridDraft>(key, { values, scales, takenAt });
    else clearDraft(key);
  }, [key, offer, typed, values, scales, takenAt]);
  useEffect(() => {
    if (typed === 0) return;
    return guardUnsaved({
      question: `Leave this page? ${typed} value${typed === 1 ? '' : 's'} typed for ${name} ${typed === 1 ? 'is' : 'are'} not saved.`,
      onLeave: () => clearDraft(key),
    });
  }, [typed, name, key]);

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

  function save(confirmed = false): void {
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
    const large = largeChanges(ROWS, session.readings, latest, threshold);
    if (large.length > 0 && !confirmed) {
      setConfirming(large);
      return;
    }
    setConfirming(null);
    pendingReadings.current = session.readings;
    const { spasticity, mobility } = scalesToSubmit(scales);
    record.mutate(
      { patientId, takenAt: when.toISOString(), readings: session.readings, spasticity, mobility },
      {
        onSuccess: (result) => {
          clearDraft(key);
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
        // Inside the "Are you sure?" dialog the dialog's own buttons answer, not the shortcut.
        if (!isSaveShortcut(event) || (event.target as HTMLElement).closest('dialog')) return;
        event.preventDefault();
        save();
      }}
    >
      <p className="no-print">
        <Link href={`/patients/${patientId}`}>Back to {name}</Link>
      </p>
      <h1>Record session: {name}</h1>
      {offer && (
        <section className="draft-offer" aria-labelledby="draft-offer-title">
          <h2 id="draft-offer-title">
            Restore {typedCount(offer.data.values, offer.data.scales)} unsaved{' '}
            {typedCount(offer.data.values, offer.data.scales) === 1 ? 'reading' : 'readings'} from{' '}
            {formatClockTime(offer.savedAt)}?
          </h2>
          <p>They were typed here but not saved before you were signed out or left.</p>
          <button
            type="button"
            className="primary"
            onClick={() => {
              setValues(offer.data.values);
              setScales(offer.data.scales);
              setTakenAt(offer.data.takenAt);
              setOffer(null);
            }}
          >
            Restore
          </button>{' '}
          <button
            type="button"
            onClick={() => {
              clearDraft(key);
              setOffer(null);
            }}
          >
            Discard
          </button>
        </section>
      )}
      {confirming && (
        <ModalDialog
          title="Are you sure?"
          role="alertdialog"
          onCancel={() => setConfirming(null)}
          actions={
            <>
              <button
                type="button"
                onClick={() => {
                  const first = confirming[0];
                  setConfirming(null);
                  if (first) window.setTimeout(() => document.getElementById(first.key)?.focus());
                }}
              >
                Go back and check
              </button>
              <button type="button" className="primary" onClick={() => save(true)}>
                Save anyway
              </button>
            </>
          }
        >
          <p>
            {confirming.length === 1 ? 'This value differs' : 'These values differ'} from the last
            reading of the same movement by more than {threshold}°. Is it a typo?
          </p>
          <ul>
            {confirming.map((change) => (
              <li key={change.key}>{changeLine(change)}</li>
            ))}
          </ul>
        </ModalDialog>
      )}
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
      {/* No sideways-scrolling box: on a phone each movement becomes one block of its four fields
          (styles.css), and on a wider screen the headings can stick to the top of the page. */}
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
              <td className="muted normal">
                <span className="cell-label">normal </span>
                {row.normalDegrees}°
              </td>
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
      <ScalesSection values={scales} onChange={setScales} />
      <div className="entry-actions">
        <button
          type="button"
          className="primary"
          onClick={() => save()}
          disabled={record.isPending}
          aria-keyshortcuts="Control+Enter"
        >
          Save session
        </button>
        <span className="muted">Ctrl+Enter saves from anywhere on this page.</span>
        {record.isPending && <span role="status">Saving…</span>}
        <SavedStatus message={saved} />
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
