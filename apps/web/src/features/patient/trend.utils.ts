/** Mobility (JH-HLM) and Braden totals over time, for the patient page's trend charts. */
import {
  JH_HLM_LABELS,
  bradenTotal,
  type BradenAssessment,
  type MobilityAssessment,
} from '@ossiwatch/domain';

export interface TrendPoint {
  readonly time: number;
  readonly value: number;
  /** What the value means, for the table and the tooltip. */
  readonly label: string;
}

/** JH-HLM levels as numbers for the y axis (the code is an ordinal 1–8, CR §4.3). */
export function jhHlmTrend(mobility: readonly MobilityAssessment[]): TrendPoint[] {
  return mobility
    .flatMap((m) =>
      m.scale === 'jh_hlm'
        ? [
            {
              time: Date.parse(m.takenAt),
              value: Number(m.code),
              label: `${m.code}: ${JH_HLM_LABELS[m.code]}`,
            },
          ]
        : [],
    )
    .sort((a, b) => a.time - b.time);
}

/** Braden totals (6–23; lower is higher risk, CR §5.3). */
export function bradenTrend(braden: readonly BradenAssessment[]): TrendPoint[] {
  return braden
    .map((b) => {
      const total = bradenTotal(b);
      return { time: Date.parse(b.takenAt), value: total, label: String(total) };
    })
    .sort((a, b) => a.time - b.time);
}
