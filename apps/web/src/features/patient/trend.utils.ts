/** Mobility (JH-HLM) and Braden totals over time, for the patient page's trend charts. */
import { JH_HLM_LABELS, JH_HLM_LEVELS, type JhHlmLevel } from '@ossiwatch/domain';

export interface TrendPoint {
  readonly time: number;
  readonly value: number;
  /** What the value means, for the table and the tooltip. */
  readonly label: string;
}

export interface MobilityRow {
  readonly scale: string;
  readonly code: string;
  readonly takenAt: string;
}

export interface BradenRow {
  readonly total: number;
  readonly takenAt: string;
}

function isJhHlm(code: string): code is JhHlmLevel {
  return (JH_HLM_LEVELS as readonly string[]).includes(code);
}

/** JH-HLM levels as numbers for the y axis (the code is an ordinal 1–8, CR §4.3). */
export function jhHlmTrend(mobility: readonly MobilityRow[]): TrendPoint[] {
  return mobility
    .flatMap((m) =>
      m.scale === 'jh_hlm' && isJhHlm(m.code)
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

/** Braden totals (6–23; lower is higher risk, CR §5.3), as the server adds them up. */
export function bradenTrend(braden: readonly BradenRow[]): TrendPoint[] {
  return braden
    .map((b) => ({ time: Date.parse(b.takenAt), value: b.total, label: String(b.total) }))
    .sort((a, b) => a.time - b.time);
}
