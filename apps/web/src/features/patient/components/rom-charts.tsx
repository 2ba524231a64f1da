import type { RomMode } from '@ossiwatch/domain';
import { useId, useMemo, useState } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDate, formatShortDate } from '../../../lib/format.ts';
import {
  flaggedFirst,
  romCharts,
  yDomain,
  type RomAlertLike,
  type RomChart,
  type RomPointLike,
} from '../rom-chart.utils.ts';

function ChartTable({ chart, id }: { chart: RomChart; id: string }): React.JSX.Element {
  return (
    <table id={id} className="chart-table">
      <caption>
        {chart.title}: readings in degrees (normal {chart.normalDegrees}°)
      </caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col" className="num">
            Left
          </th>
          <th scope="col" className="num">
            Right
          </th>
        </tr>
      </thead>
      <tbody>
        {chart.rows.map((row) => (
          <tr key={row.time}>
            <th scope="row">{formatDate(row.time)}</th>
            <td className="num">
              {row.left === null ? '—' : `${row.left}°`}
              {row.leftAlert !== null && ' (flagged)'}
            </td>
            <td className="num">
              {row.right === null ? '—' : `${row.right}°`}
              {row.rightAlert !== null && ' (flagged)'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ChartCard({ chart }: { chart: RomChart }): React.JSX.Element {
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const [low, high] = yDomain(chart);
  const last = chart.rows.at(-1);
  const summary = `${chart.title}: ${chart.rows.length} sittings; latest left ${last?.left ?? 'not measured'}, right ${last?.right ?? 'not measured'}; normal ${chart.normalDegrees}°.`;
  return (
    <div className="chart-card">
      <h3>{chart.title}</h3>
      <div role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height={200}>
          <LineChart data={chart.rows} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
            <CartesianGrid />
            <XAxis
              dataKey="time"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              tickFormatter={(value: number) => formatShortDate(value)}
              fontSize={11}
            />
            <YAxis domain={[low, high]} unit="°" fontSize={11} allowDecimals={false} />
            <ReferenceArea
              y1={Math.min(chart.normalDegrees, high)}
              y2={high}
              fill="#bbf7d0"
              fillOpacity={0.5}
              ifOverflow="hidden"
            />
            <ReferenceLine y={chart.normalDegrees} stroke="#15803d" strokeDasharray="4 3" />
            <Tooltip
              labelFormatter={(value) => formatDate(Number(value))}
              formatter={(value) => `${String(value)}°`}
            />
            <Line
              name="Left"
              dataKey="left"
              stroke="#1d4ed8"
              strokeWidth={2}
              connectNulls
              isAnimationActive={false}
              dot={{ r: 3 }}
            />
            <Line
              name="Right"
              dataKey="right"
              stroke="#6b7280"
              strokeWidth={2}
              strokeDasharray="6 3"
              connectNulls
              isAnimationActive={false}
              dot={{ r: 3 }}
            />
            <Line
              name="Flagged"
              dataKey="leftAlert"
              stroke="none"
              isAnimationActive={false}
              dot={{ r: 6, fill: '#b91c1c', stroke: '#fff' }}
            />
            <Line
              name="Flagged (right)"
              dataKey="rightAlert"
              stroke="none"
              isAnimationActive={false}
              dot={{ r: 6, fill: '#b91c1c', stroke: '#fff' }}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ul className="chart-legend" aria-label="Legend">
        <li>
          <span className="key key-left" aria-hidden="true" /> Left
        </li>
        <li>
          <span className="key key-right" aria-hidden="true" /> Right
        </li>
        <li>
          <span className="key key-flagged" aria-hidden="true" /> Flagged
        </li>
      </ul>
      <p className="muted" style={{ fontSize: '0.8rem', margin: '0.25rem 0' }}>
        Green band: at or above the normal value {chart.normalDegrees}° ({chart.normalSource}).
      </p>
      <button
        type="button"
        aria-expanded={showTable}
        aria-controls={tableId}
        onClick={() => setShowTable((shown) => !shown)}
      >
        {showTable ? 'Hide table' : 'Show table'}
        <span className="visually-hidden"> for {chart.title}</span>
      </button>
      {showTable && <ChartTable chart={chart} id={tableId} />}
    </div>
  );
}

/** ROM over time, one chart per site and movement; loaded on demand with recharts. */
export default function RomCharts({
  readings,
  alerts,
}: {
  readings: readonly RomPointLike[];
  alerts: readonly RomAlertLike[];
}): React.JSX.Element {
  const [mode, setMode] = useState<RomMode>('passive');
  const charts = useMemo(
    () => flaggedFirst(romCharts(readings, mode, alerts)),
    [readings, mode, alerts],
  );
  return (
    <div>
      <fieldset className="no-print">
        <legend>Mode</legend>
        {(['passive', 'active'] as const).map((option) => (
          <label key={option} className="check">
            <input
              type="radio"
              name="rom-mode"
              checked={mode === option}
              onChange={() => setMode(option)}
            />
            {option === 'passive' ? 'Passive' : 'Active'}
          </label>
        ))}
      </fieldset>
      {charts.length === 0 ? (
        <p>No {mode} range of motion has been recorded.</p>
      ) : (
        <div className="chart-grid">
          {charts.map((chart) => (
            <ChartCard key={`${chart.site}-${chart.movement}`} chart={chart} />
          ))}
        </div>
      )}
    </div>
  );
}
