import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { formatClockTime, formatDateTime } from '../../../lib/format.ts';
import { Link, navigate, useSearchParams } from '../../../lib/router.tsx';
import { storedTheme } from '../../../lib/theme.ts';
import { errorCode, useTRPC } from '../../../trpc.ts';
import { toBoardRow } from '../board-row.ts';
import {
  boardFiltersToParams,
  changesSince,
  filterBoardRows,
  parseBoardFilters,
  sortBoardRows,
  sortedBy,
  tierCounts,
  type BoardFilters,
} from '../board.utils.ts';
import { sortValueOf, type BoardRowView } from '../board-view.ts';
import { useLiveWard, type LiveState } from '../hooks/use-live-ward.ts';
import { BoardFiltersBar } from './board-filters.tsx';
import { BoardTable } from './board-table.tsx';
import { HandoverSheet } from './handover-sheet.tsx';
import { ThemeToggle } from './theme-toggle.tsx';
import { WARD_FORBIDDEN_TEXT } from '../../wards/ward-access.ts';

const LIVE_WORDS: Record<LiveState, string> = {
  connecting: 'Connecting to live updates…',
  live: 'Live: changes appear as they are recorded',
  reconnecting: 'Connection lost: reconnecting. The board may be out of date.',
  off: 'Live updates are off: the board refreshes every minute.',
};

export function WardBoardPage({
  wardId,
  canAdmit = false,
  canAcknowledge = false,
}: {
  wardId: number;
  /** Whether the user may admit patients here (nurse or physician): shows "Admit patient". */
  canAdmit?: boolean;
  /** Whether the user may acknowledge Alert and High rows (nurse or physician). */
  canAcknowledge?: boolean;
}): React.JSX.Element {
  const trpc = useTRPC();
  const [search, setSearch] = useSearchParams();
  const filters = parseBoardFilters(search);
  const live = useLiveWard(wardId);
  const board = useQuery({
    ...trpc.ward.board.queryOptions({ wardId }),
    // Without the live feed, fall back to polling so the board never silently freezes.
    refetchInterval: live === 'live' ? false : 60_000,
  });
  // This look at the board, noted once per visit: what it answers (the previous look, the shift's
  // start) is what "new" is measured from until the person comes back.
  const seen = useMutation(trpc.ward.seen.mutationOptions());
  const seenFor = useRef<number | null>(null);
  const markSeen = seen.mutate;
  useEffect(() => {
    if (seenFor.current === wardId) return;
    seenFor.current = wardId;
    markSeen({ wardId });
  }, [wardId, markSeen]);
  const reference = seen.data
    ? filters.since === 'shift'
      ? seen.data.shiftStartedAt
      : (seen.data.lastViewedAt ?? seen.data.shiftStartedAt)
    : null;
  const sinceText = seen.data
    ? filters.since === 'shift' || seen.data.lastViewedAt === null
      ? `since the start of the shift (${formatDateTime(seen.data.shiftStartedAt)})`
      : `since your last look (${formatDateTime(seen.data.lastViewedAt)})`
    : '';
  const rows = useMemo(
    (): BoardRowView[] =>
      board.data
        ? board.data.patients.map((raw) => {
            const row = toBoardRow(raw);
            return { ...row, newChanges: changesSince(row.changes, reference) };
          })
        : [],
    [board.data, reference],
  );
  // The wall screen is dark unless someone chose light (less glare on a ward at night).
  useEffect(() => {
    if (!filters.wall || storedTheme() !== null) return;
    const root = document.documentElement;
    root.dataset.theme = 'dark';
    return () => {
      if (storedTheme() === null) delete root.dataset.theme;
    };
  }, [filters.wall]);
  // "/" jumps to the search box (as on many sites), unless the person is typing in a field.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      const search = document.getElementById('board-search');
      if (!search) return;
      event.preventDefault();
      search.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  const shown = useMemo(
    () => sortBoardRows(filterBoardRows(rows, filters), filters, sortValueOf),
    [rows, filters],
  );
  const onlyCounts = useMemo(
    () => ({
      newOnly: rows.filter((r) => r.newChanges.length > 0).length,
      pressureOnly: rows.filter((r) => r.pressureRisk !== null).length,
      catheterOnly: rows.filter((r) => r.catheterReview).length,
      overdueOnly: rows.filter((r) => r.overdue).length,
      recheckOnly: rows.filter((r) => r.recheck).length,
    }),
    [rows],
  );
  const wardName = board.data?.ward.name ?? 'Ward';

  useEffect(() => {
    document.title = `${wardName} · OssiWatch`;
  }, [wardName]);

  function setFilters(next: BoardFilters): void {
    setSearch(boardFiltersToParams(next));
  }

  if (board.isError) {
    const code = errorCode(board.error);
    return (
      <main id="main">
        <h1>Ward board</h1>
        <p role="alert">
          {code === 'FORBIDDEN'
            ? WARD_FORBIDDEN_TEXT
            : code === 'NOT_FOUND'
              ? 'There is no such ward.'
              : `The board could not be loaded: ${board.error.message}`}
        </p>
        <p>
          <Link href="/">Back to your wards</Link>
        </p>
      </main>
    );
  }

  if (filters.handover) {
    return (
      <main id="main">
        <h1>{wardName}: handover sheet</h1>
        <HandoverSheet
          wardName={wardName}
          rows={shown}
          sinceText={sinceText}
          onBack={() => setFilters({ ...filters, handover: false })}
        />
      </main>
    );
  }

  return (
    <main id="main" className={filters.wall ? 'wall-mode' : undefined}>
      <div className="page-head">
        <h1>{wardName}</h1>
        <p role="status" className={`live live-${live}`}>
          <span className="dot" aria-hidden="true" />
          {LIVE_WORDS[live]}
          {board.dataUpdatedAt > 0 && (
            <span className="muted"> (updated {formatClockTime(board.dataUpdatedAt)})</span>
          )}
        </p>
        <button
          type="button"
          aria-pressed={filters.wall}
          onClick={() => setFilters({ ...filters, wall: !filters.wall })}
        >
          {filters.wall ? 'Leave wall mode' : 'Wall mode'}
        </button>
        {!filters.wall && (
          <button type="button" onClick={() => setFilters({ ...filters, handover: true })}>
            Handover sheet
          </button>
        )}
        {/* The header, with its own theme switch, is hidden on the wall screen. */}
        {filters.wall && <ThemeToggle />}
        {canAdmit && !filters.wall && (
          <Link href={`/wards/${wardId}/admit`} className="button-link">
            Admit patient
          </Link>
        )}
      </div>
      {!filters.wall && (
        <BoardFiltersBar
          filters={filters}
          onChange={setFilters}
          counts={tierCounts(rows)}
          onlyCounts={onlyCounts}
          onSearchEnter={() => {
            const [first, second] = shown;
            if (first && !second) navigate(`/patients/${first.patientId}`);
            else document.querySelector<HTMLElement>('.board tbody a')?.focus();
          }}
        />
      )}
      {board.isPending ? (
        <p role="status">Loading the board…</p>
      ) : (
        <>
          {!filters.wall && sinceText && <p className="muted since">New: {sinceText}.</p>}
          <BoardTable
            rows={shown}
            filters={filters}
            onSort={(key) => setFilters(sortedBy(filters, key))}
            wardId={wardId}
            canAcknowledge={canAcknowledge}
          />
          {shown.length === 0 && (
            <p>
              {rows.length === 0
                ? 'No patients on this ward.'
                : 'No patient matches these filters.'}
            </p>
          )}
          {shown.length < rows.length && shown.length > 0 && (
            <p className="muted">
              Showing {shown.length} of {rows.length} patients.
            </p>
          )}
        </>
      )}
    </main>
  );
}
