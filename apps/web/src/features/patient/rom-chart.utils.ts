/**
 * Shapes ROM readings into one chart per site and movement: both sides over time, the normal value of
 * the catalog (CR §3.1), and the readings the HO watch flagged.
 */
import {
  JOINT_CATALOG,
  type JointSite,
  type Movement,
  type RomMode,
  type Side,
} from '@ossiwatch/domain';

export interface RomPointLike {
  readonly site: JointSite;
  readonly side: Side;
  readonly movement: Movement;
  readonly mode: RomMode;
  readonly degrees: number;
  readonly takenAt: string | Date;
}

export interface RomAlertLike {
  readonly site: JointSite;
  readonly side: Side;
  readonly movement: Movement;
  readonly mode: RomMode;
  readonly takenAt: string | Date;
}

export interface ChartRow {
  /** Milliseconds since the epoch: the x axis. */
  readonly time: number;
  readonly left: number | null;
  readonly right: number | null;
  readonly leftAlert: number | null;
  readonly rightAlert: number | null;
}

export interface RomChart {
  readonly site: JointSite;
  readonly movement: Movement;
  readonly mode: RomMode;
  readonly title: string;
  readonly normalDegrees: number;
  readonly normalSource: string;
  readonly plausibleMin: number;
  readonly plausibleMax: number;
  readonly rows: readonly ChartRow[];
}

function ms(value: string | Date): number {
  return typeof value === 'string' ? Date.parse(value) : value.getTime();
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * One chart per catalog movement that has readings in `mode`, in catalog order. Readings at the same
 * instant share a row, so left and right measured in one sitting line up.
 */
export function romCharts(
  readings: readonly RomPointLike[],
  mode: RomMode,
  alerts: readonly RomAlertLike[] = [],
): RomChart[] {
  const alertKeys = new Set(
    alerts.map((a) => `${a.side}:${a.site}:${a.movement}:${a.mode}:${ms(a.takenAt)}`),
  );
  const charts: RomChart[] = [];
  for (const spec of JOINT_CATALOG) {
    const mine = readings.filter(
      (r) => r.site === spec.site && r.movement === spec.movement && r.mode === mode,
    );
    if (mine.length === 0) continue;
    const byTime = new Map<
      number,
      {
        left: number | null;
        right: number | null;
        leftAlert: number | null;
        rightAlert: number | null;
      }
    >();
    for (const reading of mine) {
      const time = ms(reading.takenAt);
      const row = byTime.get(time) ?? {
        left: null,
        right: null,
        leftAlert: null,
        rightAlert: null,
      };
      row[reading.side] = reading.degrees;
      const alerted = alertKeys.has(
        `${reading.side}:${reading.site}:${reading.movement}:${reading.mode}:${time}`,
      );
      if (alerted) row[reading.side === 'left' ? 'leftAlert' : 'rightAlert'] = reading.degrees;
      byTime.set(time, row);
    }
    charts.push({
      site: spec.site,
      movement: spec.movement,
      mode,
      title: `${capitalise(spec.site)} ${spec.label} (${mode})`,
      normalDegrees: spec.normalDegrees,
      normalSource: spec.normalSource.citation,
      plausibleMin: spec.plausibleMin,
      plausibleMax: spec.plausibleMax,
      rows: [...byTime.entries()]
        .sort(([a], [b]) => a - b)
        .map(([time, row]) => ({ time, ...row })),
    });
  }
  return charts;
}

/**
 * The y-axis range, fixed for each movement so charts compare and a few degrees of measurement noise
 * (goniometry repeats within about ±5°) never fill the height: from 0 (or, for movements whose normal is
 * 0 and whose loss reads negative, the plausible minimum) to the normal value plus a margin. Only a
 * reading beyond that range widens it, to the plausible bound on that side.
 */
export function yDomain(chart: RomChart): [number, number] {
  const values = chart.rows.flatMap((row) => [row.left, row.right]).filter((v) => v !== null);
  const floor = chart.normalDegrees <= 0 ? Math.min(0, chart.plausibleMin) : 0;
  const low = values.some((v) => v < floor) ? chart.plausibleMin : floor;
  const margin = Math.max(10, Math.round((chart.normalDegrees - floor) * 0.1));
  const ceiling = Math.min(chart.plausibleMax, chart.normalDegrees + margin);
  const high = values.some((v) => v > ceiling) ? chart.plausibleMax : ceiling;
  return [low, high];
}

/** Charts with a flagged reading first (the joints in trouble), otherwise in catalog order. */
export function flaggedFirst(charts: readonly RomChart[]): RomChart[] {
  const flagged = (chart: RomChart): boolean =>
    chart.rows.some((row) => row.leftAlert !== null || row.rightAlert !== null);
  return [...charts.filter(flagged), ...charts.filter((chart) => !flagged(chart))];
}
