import { useId, useState } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDate, formatShortDate } from '../../../lib/format.ts';
import type { TrendPoint } from '../trend.utils.ts';

/** A small line chart with its table one click away; loaded with recharts on demand. */
export default function TrendChart({
  title,
  points,
  domain,
  note,
}: {
  title: string;
  points: readonly TrendPoint[];
  domain: [number, number];
  note: string;
}): React.JSX.Element {
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const last = points.at(-1);
  if (points.length === 0) {
    return (
      <div className="chart-card">
        <h3>{title}</h3>
        <p>Not recorded yet.</p>
      </div>
    );
  }
  return (
    <div className="chart-card">
      <h3>{title}</h3>
      <div
        role="img"
        aria-label={`${title}: ${points.length} assessments; latest ${last?.label ?? ''}.`}
      >
        <ResponsiveContainer width="100%" height={160}>
          <LineChart data={[...points]} margin={{ top: 8, right: 12, bottom: 0, left: -20 }}>
            <CartesianGrid stroke="#e5e7eb" />
            <XAxis
              dataKey="time"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              tickFormatter={(value: number) => formatShortDate(value)}
              fontSize={11}
            />
            <YAxis domain={domain} fontSize={11} allowDecimals={false} />
            <Tooltip labelFormatter={(value) => formatDate(Number(value))} />
            <Line
              dataKey="value"
              name={title}
              stroke="#1d4ed8"
              strokeWidth={2}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <p className="muted" style={{ fontSize: '0.8rem', margin: '0.25rem 0' }}>
        {note}
      </p>
      <button
        type="button"
        aria-expanded={showTable}
        aria-controls={tableId}
        onClick={() => setShowTable((s) => !s)}
      >
        {showTable ? 'Hide table' : 'Show table'}
        <span className="visually-hidden"> for {title}</span>
      </button>
      {showTable && (
        <table id={tableId}>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.time}>
                <th scope="row">{formatDate(point.time)}</th>
                <td>{point.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
