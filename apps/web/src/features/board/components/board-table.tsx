import { useState } from 'react';
import { Link } from '../../../lib/router.tsx';
import { TierBadge } from '../../../components/tier-badge.tsx';
import { MiniBodyFigureDefinition, MiniBodyMap } from '../../body-map/components/body-map.tsx';
import { evidenceText, type BoardRow } from '../board-row.ts';

/** The tier, or why there is none: "low" would claim an assessment that was never made. */
function RowTier({ row }: { row: BoardRow }): React.JSX.Element {
  return row.assessed ? (
    <TierBadge tier={row.tier} />
  ) : (
    <span className="muted">not assessed: injury details missing</span>
  );
}

function Unknown(): React.JSX.Element {
  return <span className="muted">not recorded</span>;
}

function Reasons({ row }: { row: BoardRow }): React.JSX.Element | null {
  // The list is built when it is opened: a closed <details> shows nothing of it, and a ward's
  // reasons (often a hundred or more list items) were a large part of the work before the rows first
  // appeared (PRODUCT §9).
  const [open, setOpen] = useState(false);
  if (row.reasons.length === 0) return <span className="muted">no risk factor</span>;
  return (
    <details className="reasons" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        {row.reasons.length === 1 ? '1 reason' : `${row.reasons.length} reasons`}
        <span className="visually-hidden"> for {row.name}</span>
      </summary>
      {open && (
        <ul>
          {row.reasons.map((reason, index) => (
            <li key={`${reason.rule}-${index}`}>
              {reason.detail} <span className="evidence">({evidenceText(reason.evidence)})</span>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}

export function BoardTable({
  rows,
  wall,
}: {
  rows: readonly BoardRow[];
  wall: boolean;
}): React.JSX.Element {
  if (wall) {
    return (
      <>
        <MiniBodyFigureDefinition />
        <table className="board wall">
          <caption>Patients</caption>
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
                <td>{row.bed ?? '—'}</td>
                <td>{row.initials}</td>
                <td>
                  <RowTier row={row} />
                </td>
                <td>
                  <MiniBodyMap sites={row.sites} />
                </td>
                <td>{row.overdue ? 'ROM overdue' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    );
  }
  return (
    <div className="table-scroll">
      <MiniBodyFigureDefinition />
      <table className="board">
        <caption>Patients</caption>
        <thead>
          <tr>
            <th scope="col">Bed</th>
            <th scope="col">Patient</th>
            <th scope="col">Age</th>
            <th scope="col">Injury</th>
            <th scope="col">Tier</th>
            <th scope="col">Reasons</th>
            <th scope="col">Sites</th>
            <th scope="col">JH-HLM</th>
            <th scope="col">Braden</th>
            <th scope="col">Complications</th>
            <th scope="col">Catheter days</th>
            <th scope="col">Flags</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.patientId} className={`row-${row.tier}`} data-patient-id={row.patientId}>
              <td>{row.bed ?? '—'}</td>
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
                <RowTier row={row} />
              </td>
              <td>
                <Reasons row={row} />
              </td>
              <td>
                <MiniBodyMap sites={row.sites} />
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
                {row.overdue && <span className="flag">ROM overdue</span>}
                {row.inVigilanceWindow && <span className="flag subtle">Day 14–120 window</span>}
                {row.advisories > 0 && (
                  <span className="flag subtle">
                    {row.advisories === 1 ? '1 advisory' : `${row.advisories} advisories`}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
