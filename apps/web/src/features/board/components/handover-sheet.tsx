import { TierBadge } from '../../../components/tier-badge.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { newChangeWords } from '../board.utils.ts';
import { flagWords, type BoardRowView } from '../board-view.ts';

/**
 * The ward on paper for the handover (PRODUCT §5): initials rather than names, the one finding per
 * patient (the advisories are on the board), so a 30-bed ward prints on one or two landscape A4
 * pages (the print styles set the page).
 */
export function HandoverSheet({
  wardName,
  rows,
  sinceText,
  onBack,
}: {
  wardName: string;
  rows: readonly BoardRowView[];
  sinceText: string;
  onBack: () => void;
}): React.JSX.Element {
  return (
    <div className="handover">
      <p className="confidential">Confidential: patient information</p>
      <div className="page-head no-print">
        <button type="button" className="primary" onClick={() => window.print()}>
          Print
        </button>
        <button type="button" onClick={onBack}>
          Back to the board
        </button>
      </div>
      <table className="handover-table">
        <caption>
          Handover, {wardName}: {formatDateTime(Date.now())}; new {sinceText}
        </caption>
        <colgroup>
          <col className="col-bed" />
          <col className="col-who" />
          <col className="col-tier" />
          <col className="col-finding" />
          <col className="col-flags" />
          <col className="col-new" />
          <col className="col-ack" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Bed</th>
            <th scope="col">Patient</th>
            <th scope="col">Tier</th>
            <th scope="col">Finding</th>
            <th scope="col">Flags</th>
            <th scope="col">New</th>
            <th scope="col">Acknowledged</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.patientId}>
              <td className="bed">{row.bed ?? '—'}</td>
              <th scope="row">{row.initials}</th>
              <td>
                <TierBadge tier={row.tier} quiet={row.acknowledgement !== null} />
              </td>
              <td>{row.finding ?? '—'}</td>
              <td>{flagWords(row).join('; ') || '—'}</td>
              <td>{newChangeWords(row.newChanges).join('; ') || '—'}</td>
              <td>
                {row.acknowledgement
                  ? `${row.acknowledgement.by}, ${formatDateTime(row.acknowledgement.at)}: ${row.acknowledgement.note}`
                  : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
