import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ControlChartRow } from '../overview.utils.ts';

/** What a chart draws of a month; the overview's rows carry more (words for its table). */
export type ChartRow = Pick<
  ControlChartRow,
  'label' | 'centre' | 'lowerLimit' | 'upperLimit' | 'complete' | 'soFar' | 'signal' | 'target'
>;

/**
 * A control chart of one ward and measure (u-, p- or XmR chart): the monthly value, the centre line,
 * each month's 3-sigma limits, the target when one is set, months carrying a signal marked with a
 * diamond, and the current month hollow ("so far"). The text alternative (and on the overview the
 * table below) carry the same in words. Used by the managers' overview and the rates page alike.
 */
export default function ControlChart({
  rows,
  summary,
  unit,
  signalName = 'Special cause',
  height = 300,
}: {
  rows: readonly ChartRow[];
  summary: string;
  unit: string;
  /** The legend's name for a marked month: what marks it on this chart. */
  signalName?: string;
  height?: number;
}): React.JSX.Element {
  const target = rows[0]?.target ?? null;
  const current = rows.some((row) => row.soFar !== null);
  return (
    <div className="control-chart">
      <div role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height={height}>
          <ComposedChart data={[...rows]} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e5e7eb" />
            <XAxis dataKey="label" fontSize={11} />
            <YAxis
              fontSize={11}
              label={{ value: unit, angle: -90, position: 'insideLeft', fontSize: 11 }}
            />
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? value.toFixed(2) : String(value))}
            />
            <Line
              name="Upper limit (3σ)"
              dataKey="upperLimit"
              type="stepAfter"
              stroke="#b91c1c"
              strokeDasharray="5 4"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              name="Lower limit (3σ)"
              dataKey="lowerLimit"
              type="stepAfter"
              stroke="#b91c1c"
              strokeDasharray="5 4"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              name="Centre line"
              dataKey="centre"
              stroke="#15803d"
              dot={false}
              isAnimationActive={false}
            />
            {target !== null && (
              <ReferenceLine
                y={target}
                stroke="#7c3aed"
                strokeDasharray="2 3"
                label={{ value: 'Target', position: 'insideTopRight', fontSize: 11 }}
              />
            )}
            <Line
              name="Month"
              dataKey="complete"
              stroke="#1d4ed8"
              strokeWidth={2}
              dot={{ r: 3 }}
              isAnimationActive={false}
            />
            <Scatter
              name={signalName}
              dataKey="signal"
              fill="#c2410c"
              shape="diamond"
              isAnimationActive={false}
            />
            {current && (
              <Scatter
                name="So far (this month)"
                dataKey="soFar"
                fill="#ffffff"
                stroke="#1d4ed8"
                strokeWidth={2}
                isAnimationActive={false}
              />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      {/* The legend is drawn here rather than by the chart library, so every entry has its marker
          (the library drew the hollow "so far" point's key white on white). */}
      <ul className="chart-legend" aria-label="Legend">
        <li>
          <span className="key key-month" aria-hidden="true" /> Month
        </li>
        <li>
          <span className="key key-centre" aria-hidden="true" /> Centre line
        </li>
        <li>
          <span className="key key-limit" aria-hidden="true" /> Control limits (3σ)
        </li>
        {target !== null && (
          <li>
            <span className="key key-target" aria-hidden="true" /> Target
          </li>
        )}
        <li>
          <span className="key key-signal" aria-hidden="true" /> {signalName}
        </li>
        {current && (
          <li>
            <span className="key key-so-far" aria-hidden="true" /> So far (this month)
          </li>
        )}
      </ul>
    </div>
  );
}
