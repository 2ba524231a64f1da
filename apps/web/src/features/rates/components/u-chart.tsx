import type { UChartRow } from '../rates.utils.ts';
import ControlChart from './control-chart.tsx';

/**
 * A ward's monthly u-chart (or p-chart) on the rates page: the monthly rate, the centre line and each
 * month's 3-sigma limits (they widen in a month with fewer patient-days). A point outside its limits
 * is marked as a signal worth a look; the month still being counted is drawn hollow and not judged.
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
      <ControlChart
        rows={rows.map((row) => ({ ...row, complete: row.value, target: null }))}
        summary={summary}
        unit={unit}
        signalName="Outside limits"
        height={220}
      />
    </div>
  );
}
