import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { formatClockTime } from '../../../lib/format.ts';
import { Link, useSearchParams } from '../../../lib/router.tsx';
import { errorCode, useTRPC } from '../../../trpc.ts';
import { toBoardRow } from '../board-row.ts';
import {
  boardFiltersToParams,
  filterBoardRows,
  parseBoardFilters,
  tierCounts,
  type BoardFilters,
} from '../board.utils.ts';
import { useLiveWard, type LiveState } from '../hooks/use-live-ward.ts';
import { BoardFiltersBar } from './board-filters.tsx';
import { BoardTable } from './board-table.tsx';
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
}: {
  wardId: number;
  /** Whether the user may admit patients here (nurse or physician): shows "Admit patient". */
  canAdmit?: boolean;
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
  const rows = useMemo(() => (board.data ? board.data.patients.map(toBoardRow) : []), [board.data]);
  const shown = useMemo(() => filterBoardRows(rows, filters), [rows, filters]);
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
        {canAdmit && !filters.wall && (
          <Link href={`/wards/${wardId}/admit`} className="button-link">
            Admit patient
          </Link>
        )}
      </div>
      {!filters.wall && (
        <BoardFiltersBar filters={filters} onChange={setFilters} counts={tierCounts(rows)} />
      )}
      {board.isPending ? (
        <p role="status">Loading the board…</p>
      ) : (
        <>
          <BoardTable rows={shown} wall={filters.wall} />
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
