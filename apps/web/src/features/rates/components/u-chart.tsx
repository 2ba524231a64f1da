import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { UChartRow } from '../rates.utils.ts';

/**
 * A u-chart: the monthly rate, the centre line and each month's 3-sigma limits (they widen in a month
 * with fewer patient-days). A point outside its limits is marked as a signal worth a look.
 */
export default function UChart({
  title,
  rows,
  unit,
}: {
  title: string;
  rows: readonly UChartRow[];
  unit: string;
}): React.JSX.Element {
  const signals = rows.filter((row) => row.signal !== null).map((row) => row.label);
  const current = rows.find((row) => row.soFar !== null);
  const summary = `${title}: ${rows.length} months, centre line ${rows[0]?.centre?.toFixed(1) ?? 'unknown'} ${unit}${
    current ? ' from the complete months' : ''
  }; ${
    signals.length === 0
      ? 'no month outside the control limits'
      : `outside the limits: ${signals.join(', ')}`
  }${
    current
      ? `; ${current.label}: ${current.soFar?.toFixed(1)} ${unit}, still being counted and not judged`
      : ''
  }.`;
  return (
    <div className="chart-card">
      <h3>{title}</h3>
      <div role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height={220}>
          <ComposedChart data={[...rows]} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
            <CartesianGrid stroke="#e5e7eb" />
            <XAxis dataKey="label" fontSize={11} />
            <YAxis fontSize={11} />
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? value.toFixed(2) : String(value))}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Line
              name="Upper limit"
              dataKey="upperLimit"
              type="stepAfter"
              stroke="#b91c1c"
              strokeDasharray="5 4"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              name="Lower limit"
              dataKey="lowerLimit"
              type="stepAfter"
              stroke="#b91c1c"
              strokeDasharray="5 4"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              name="Centre"
              dataKey="centre"
              stroke="#15803d"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              name="Rate"
              dataKey="value"
              stroke="#1d4ed8"
              strokeWidth={2}
              dot={{ r: 3 }}
              isAnimationActive={false}
            />
            {current ? (
              <Scatter
                name="This month so far"
                dataKey="soFar"
                fill="var(--surface, #fff)"
                stroke="#1d4ed8"
                strokeWidth={2}
                isAnimationActive={false}
              />
            ) : null}
            <Scatter
              name="Outside limits"
              dataKey="signal"
              fill="#b91c1c"
              shape="diamond"
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
