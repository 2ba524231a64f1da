import { useState } from 'react';
import { Link } from '../../../lib/router.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { TierBadge } from '../../../components/tier-badge.tsx';
import {
  MiniBodyFigureDefinition,
  MiniBodyMap,
  SiteWords,
} from '../../body-map/components/body-map.tsx';
import { isBackgroundRule } from '@ossiwatch/domain';
import { evidenceText, type BoardReason } from '../board-row.ts';
import { newChangeWords, type BoardFilters, type SortKey } from '../board.utils.ts';
import { flagWords, type BoardRowView } from '../board-view.ts';
import { AcknowledgeButton } from './acknowledge-dialog.tsx';

/** Up to this many rows, wall mode is one table; more are split into two side by side. */
const WALL_ONE_COLUMN_MAX = 12;

function WallTable({
  rows,
  caption,
}: {
  rows: readonly BoardRowView[];
  caption: string;
}): React.JSX.Element {
  return (
    <table className="board wall">
      <caption className={caption === 'Patients' ? undefined : 'visually-hidden'}>
        {caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">Bed</th>
          <th scope="col">Patient</th>
          <th scope="col">Tier</th>
          <th scope="col">Sites</th>
          <th scope="col">Flags</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.patientId} className={`row-${row.tier}`}>
            <td className="bed">{row.bed ?? '—'}</td>
            <td>{row.initials}</td>
            <td>
              {row.assessed ? (
                <TierBadge tier={row.tier} quiet={row.acknowledgement !== null} />
              ) : (
                <span className="muted">not assessed</span>
              )}
            </td>
            <td>
              <MiniBodyMap sites={row.sites} />
            </td>
            <td className="wall-flags">
              {row.newChanges.length > 0 && <strong className="new-badge">New</strong>}{' '}
              {flagWords(row).join(' · ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The tier, or why there is none: "low" would claim an assessment that was never made. */
function RowTier({ row }: { row: BoardRowView }): React.JSX.Element {
  return row.assessed ? (
    <TierBadge tier={row.tier} />
  ) : (
    <span className="muted">not assessed: injury details missing</span>
  );
}

function Unknown(): React.JSX.Element {
  return <span className="muted">not recorded</span>;
}

/**
 * A folded list, built only when opened: a closed <details> shows nothing of it, and a ward's
 * reasons (often a hundred or more list items) were a large part of the work before the rows first
 * appeared (PRODUCT §9).
 */
function Folded({
  summary,
  who,
  reasons,
}: {
  summary: string;
  who: string;
  reasons: readonly BoardReason[];
}): React.JSX.Element {
  const [open, setOpen] = useState(false);
  return (
    <details className="reasons" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        {summary}
        <span className="visually-hidden"> for {who}</span>
      </summary>
      {open && (
        <ul>
          {reasons.map((reason, index) => (
            <li key={`${reason.rule}-${index}`}>
              {reason.detail} <span className="evidence">({evidenceText(reason.evidence)})</span>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}

/** The one finding and the first advisory; other findings and the background factors folded. */
function Finding({ row }: { row: BoardRowView }): React.JSX.Element {
  if (row.reasons.length === 0) return <span className="muted">no risk factor</span>;
  const seen = new Set<string>();
  const factors = row.reasons.filter((r) => {
    if (!isBackgroundRule(r.rule) || seen.has(r.detail)) return false;
    seen.add(r.detail);
    return true;
  });
  const others = row.reasons.filter((r) => !isBackgroundRule(r.rule) && r.detail !== row.finding);
  const factorsOnly = row.reasons.every((r) => isBackgroundRule(r.rule));
  return (
    <>
      {!factorsOnly && <span className="finding">{row.finding}</span>}
      {row.advisory && <span className="advisory block">{row.advisory}</span>}
      {others.length > 0 && (
        <Folded
          summary={others.length === 1 ? '+1 more finding' : `+${others.length} more findings`}
          who={row.name}
          reasons={others}
        />
      )}
      {factors.length > 0 && (
        <Folded
          summary={factors.length === 1 ? '+1 risk factor' : `+${factors.length} risk factors`}
          who={row.name}
          reasons={factors}
        />
      )}
    </>
  );
}

function WhatIsNew({ row }: { row: BoardRowView }): React.JSX.Element {
  if (row.newChanges.length === 0) return <span className="muted">nothing new</span>;
  return (
    <>
      <strong className="new-badge">New</strong>
      <ul className="new-list">
        {newChangeWords(row.newChanges).map((words) => (
          <li key={words}>{words}</li>
        ))}
      </ul>
    </>
  );
}

function TierCell({
  row,
  wardId,
  canAcknowledge,
}: {
  row: BoardRowView;
  wardId: number;
  canAcknowledge: boolean;
}): React.JSX.Element {
  const ack = row.acknowledgement;
  if (!row.assessed) return <RowTier row={row} />;
  return (
    <>
      <TierBadge tier={row.tier} quiet={ack !== null} />
      {ack && (
        <span className="ack block">
          Acknowledged by {ack.by}, {formatDateTime(ack.at)}: {ack.note}
        </span>
      )}
      {!ack && canAcknowledge && (row.tier === 'alert' || row.tier === 'high') && (
        <span className="block">
          <AcknowledgeButton row={row} wardId={wardId} />
        </span>
      )}
    </>
  );
}

const COLUMNS: readonly { key: SortKey; label: string }[] = [
  { key: 'bed', label: 'Bed' },
  { key: 'patient', label: 'Patient' },
  { key: 'age', label: 'Age' },
  { key: 'injury', label: 'Injury' },
  { key: 'tier', label: 'Tier' },
  { key: 'new', label: 'New' },
  { key: 'finding', label: 'Finding' },
  { key: 'sites', label: 'Sites' },
  { key: 'jhHlm', label: 'JH-HLM' },
  { key: 'braden', label: 'Braden' },
  { key: 'complications', label: 'Complications' },
  { key: 'catheter', label: 'Catheter days' },
  { key: 'flags', label: 'Flags' },
];

function SortHeader({
  column,
  filters,
  onSort,
}: {
  column: (typeof COLUMNS)[number];
  filters: BoardFilters;
  onSort: (key: SortKey) => void;
}): React.JSX.Element {
  const active = filters.sort === column.key;
  return (
    <th scope="col" aria-sort={active ? filters.direction : undefined}>
      <button type="button" className="sort" onClick={() => onSort(column.key)}>
        {column.label}
        <span aria-hidden="true" className="sort-mark">
          {active ? (filters.direction === 'ascending' ? ' ▲' : ' ▼') : ''}
        </span>
      </button>
    </th>
  );
}

export function BoardTable({
  rows,
  filters,
  onSort,
  wardId,
  canAcknowledge,
}: {
  rows: readonly BoardRowView[];
  filters: BoardFilters;
  onSort: (key: SortKey) => void;
  wardId: number;
  canAcknowledge: boolean;
}): React.JSX.Element {
  if (filters.wall) {
    // Two tables side by side once a ward has more rows than fit one column at a readable size:
    // 30 beds fit a 1080p or a 1366×768 screen without scrolling (PRODUCT §5).
    const half = rows.length > WALL_ONE_COLUMN_MAX ? Math.ceil(rows.length / 2) : rows.length;
    const columns = half < rows.length ? [rows.slice(0, half), rows.slice(half)] : [rows];
    return (
      <div className={`wall-columns wall-columns-${columns.length}`}>
        <MiniBodyFigureDefinition />
        {columns.map((part, index) => (
          <WallTable key={index} rows={part} caption={index === 0 ? 'Patients' : 'More beds'} />
        ))}
      </div>
    );
  }
  return (
    <div className="table-scroll sticky-head">
      <MiniBodyFigureDefinition />
      <table className="board">
        <caption>Patients</caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <SortHeader key={column.key} column={column} filters={filters} onSort={onSort} />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.patientId}
              className={`row-${row.tier}${row.acknowledgement ? ' acknowledged' : ''}${row.newChanges.length > 0 ? ' is-new' : ''}`}
              data-patient-id={row.patientId}
            >
              <td className="bed">{row.bed ?? '—'}</td>
              <th scope="row">
                <Link href={`/patients/${row.patientId}`}>{row.name}</Link>
              </th>
              <td>{row.age ?? <Unknown />}</td>
              <td>
                {row.injury ?? <span className="muted">injury details missing</span>}
                {row.daysSinceInjury !== null && (
                  <span className="muted block">day {row.daysSinceInjury}</span>
                )}
              </td>
              <td>
                <TierCell row={row} wardId={wardId} canAcknowledge={canAcknowledge} />
              </td>
              <td>
                <WhatIsNew row={row} />
              </td>
              <td className="finding-cell">
                <Finding row={row} />
              </td>
              <td>
                <div className="sites-cell">
                  <MiniBodyMap sites={row.sites} decorative />
                  <SiteWords sites={row.sites} />
                </div>
              </td>
              <td>{row.jhHlm ?? <Unknown />}</td>
              <td>
                {row.braden ? (
                  <>
                    {row.braden.total}
                    {row.braden.band && <span className="muted block">{row.braden.band}</span>}
                  </>
                ) : (
                  <Unknown />
                )}
              </td>
              <td>
                {row.complications.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  row.complications.join(', ')
                )}
              </td>
              <td>{row.catheterDays ?? <span className="muted">no catheter</span>}</td>
              <td>
                {flagWords(row).map((flag) => (
                  <span key={flag} className="flag">
                    {flag}
                  </span>
                ))}
                {row.inVigilanceWindow && <span className="flag subtle">Day 14–120 window</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
