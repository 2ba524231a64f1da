/**
 * The managers' overview (PRODUCT §4, issue 20): wards × measures, each cell the latest complete
 * month with its interval, the variation icon and (with a target) the assurance icon, after NHS
 * England's *Making Data Count*; every series' control chart and signals for the chart behind a cell.
 * The counting is `rates.summary`'s (passed in, so this module and the router do not import each
 * other); the rules are the domain's (spc.ts, overview.ts).
 *
 * Targets are a setting like the HO watch thresholds: one versioned JSON document under the key
 * `rate_targets` in `settings`, every version kept in `settings_history`, every change audited in the
 * same transaction, a stale `expectedVersion` refused with CONFLICT. A manager sets targets for the
 * wards assigned to them, or hospital-wide; each target carries its source in words.
 */
import {
  MEASURES,
  MEASURE_KEYS,
  isMeasureKey,
  localDate,
  overviewSeries,
  type MeasureSeries,
  type RateTarget,
} from '@ossiwatch/domain';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit, queueAudit } from '../../audit.ts';
import { versionConflict } from '../../clinical.ts';
import type { OssiwatchDb, OssiwatchTx } from '../../db/client.ts';
import { settings, settingsHistory } from '../../db/schema.ts';
import type { Context } from '../../trpc.ts';
import type { RatesSummary } from '../../routers/rates.ts';

export const RATE_TARGETS_KEY = 'rate_targets';

interface WardRow {
  readonly id: number;
  readonly name: string;
  readonly timeZone: string;
}

/** `ratesSummary` of routers/rates.ts. */
export type SummaryOf = (
  db: OssiwatchDb,
  wards: readonly WardRow[],
  from: string,
  to: string,
  now: Date,
) => RatesSummary;

type Caller = Pick<Context, 'db' | 'now' | 'clientIp'> & {
  readonly user: {
    readonly id: number;
    readonly username: string;
    readonly wardIds: readonly number[];
  };
};

// ---- targets -------------------------------------------------------------------------------------

/** Upper bounds by unit: a percentage ≤ 100, a lead time ≤ a year, a rate per 1,000 ≤ 1,000. */
const targetCeiling = (measure: (typeof MEASURE_KEYS)[number]): number =>
  MEASURES[measure].unit === '%' ? 100 : MEASURES[measure].unit === 'days' ? 366 : 1000;

const storedTargets = z.array(
  z.object({
    measure: z.enum(MEASURE_KEYS),
    wardId: z.number().int().positive().nullable(),
    value: z.number().finite().nonnegative(),
    source: z.string(),
  }),
);

/** The targets in force and their version (0 while none was ever set). */
export function loadRateTargets(db: OssiwatchDb | OssiwatchTx): {
  targets: RateTarget[];
  version: number;
} {
  const row = db
    .select({ value: settings.value, version: settings.version })
    .from(settings)
    .where(eq(settings.key, RATE_TARGETS_KEY))
    .get();
  if (!row) return { targets: [], version: 0 };
  const parsed = storedTargets.safeParse(row.value);
  // A document this code cannot read is not a target of anyone's: none, rather than a guess.
  return { targets: parsed.success ? parsed.data : [], version: row.version };
}

export const setTargetInput = z
  .strictObject({
    measure: z
      .string()
      .max(40)
      .refine(isMeasureKey, { message: 'is not a measure of the overview' }),
    /** null: hospital-wide (every ward without its own target). */
    wardId: z.number().int().positive().nullable(),
    /** null removes the target. */
    value: z.number().finite().nonnegative().nullable(),
    // Shown to every manager and kept in the history: printable text only.
    source: z
      .string()
      .trim()
      .max(300)
      .refine((text) => !/[\p{Cc}\p{Cf}\p{Cs}]/u.test(text), {
        message: 'must not contain control or invisible formatting characters',
      }),
    expectedVersion: z.number().int().nonnegative(),
  })
  .superRefine((input, issue) => {
    if (!isMeasureKey(input.measure) || input.value === null) return;
    const ceiling = targetCeiling(input.measure);
    if (input.value > ceiling) {
      issue.addIssue({
        code: 'custom',
        path: ['value'],
        message: `must be at most ${ceiling} ${MEASURES[input.measure].unit}`,
      });
    }
    if (input.source.length === 0) {
      issue.addIssue({
        code: 'custom',
        path: ['source'],
        message: 'say where the target comes from (a benchmark, the ward plan…)',
      });
    }
  });

/** Sets (or removes) one target in one transaction: new version, its history row, its audit row. */
export function setRateTarget(
  ctx: Caller,
  input: z.infer<typeof setTargetInput>,
): { version: number; targets: RateTarget[] } {
  if (input.wardId !== null && !ctx.user.wardIds.includes(input.wardId)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `wardId: you are not assigned to ward ${input.wardId}`,
    });
  }
  if (!isMeasureKey(input.measure)) throw new Error('unreachable: the input checked the measure');
  const measure = input.measure;
  const at = ctx.now().toISOString();
  return ctx.db.transaction((tx) => {
    const { targets, version: current } = loadRateTargets(tx);
    if (current !== input.expectedVersion) throw versionConflict('targets', current);
    const same = (t: RateTarget): boolean => t.measure === measure && t.wardId === input.wardId;
    const old = targets.find(same) ?? null;
    const next: RateTarget | null =
      input.value === null
        ? null
        : { measure, wardId: input.wardId, value: input.value, source: input.source };
    const updated = [...targets.filter((t) => !same(t)), ...(next ? [next] : [])];
    const version = current + 1;
    tx.insert(settings)
      .values({
        key: RATE_TARGETS_KEY,
        value: updated,
        version,
        updatedAt: at,
        updatedBy: ctx.user.id,
      })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: updated, version, updatedAt: at, updatedBy: ctx.user.id },
      })
      .run();
    tx.insert(settingsHistory)
      .values({
        key: RATE_TARGETS_KEY,
        value: updated,
        version,
        changedAt: at,
        changedBy: ctx.user.id,
      })
      .run();
    appendAudit(tx, {
      at: new Date(at),
      userId: ctx.user.id,
      username: ctx.user.username,
      action: 'rates.setTarget',
      patientId: null,
      category: 'settings',
      outcome: 'success',
      clientIp: ctx.clientIp,
      detail: { key: RATE_TARGETS_KEY, version, old, new: next },
    });
    return { version, targets: updated };
  });
}

// ---- the overview ----------------------------------------------------------------------------------

export const overviewInput = z
  .strictObject({
    /** Complete months before the current one to chart (the current month is added "so far"). */
    months: z.number().int().min(1).max(36).optional(),
    wardIds: z.array(z.number().int().positive()).max(500).optional(),
  })
  .optional();

/** The caller's wards (all, or those asked for), or FORBIDDEN naming a ward not theirs. */
export function callerWards(
  ctx: Pick<Caller, 'db' | 'user'>,
  wardIds: readonly number[] | undefined,
): WardRow[] {
  const mine = new Set(ctx.user.wardIds);
  const refused = (wardIds ?? []).filter((id) => !mine.has(id));
  if (refused.length > 0) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `wardIds: you are not assigned to ward ${refused.join(', ')}`,
    });
  }
  const wanted = new Set(wardIds ?? ctx.user.wardIds);
  return (
    ctx.db.$client
      .prepare('SELECT id, name, time_zone AS timeZone FROM wards ORDER BY name, id')
      .all() as WardRow[]
  ).filter((ward) => wanted.has(ward.id));
}

/** First day of the month `offset` months from the month of a local date. */
function monthStart(date: string, offset: number): string {
  const [y = 1970, m = 1] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + offset, 1));
  return first.toISOString().slice(0, 10);
}

export interface RatesOverview {
  /** The local date the overview was made on; its month is the partial one ("so far"). */
  readonly today: string;
  readonly from: string;
  readonly to: string;
  readonly wards: readonly { readonly id: number; readonly name: string }[];
  /** Every ward's series of every measure, and all wards together (wardId null) within one zone. */
  readonly series: readonly MeasureSeries[];
  readonly targets: readonly RateTarget[];
  readonly targetsVersion: number;
}

/** The overview for the caller's wards: one summary per time zone (a summary counts one zone). */
export function ratesOverview(
  ctx: Caller,
  input: z.infer<typeof overviewInput>,
  summaryOf: SummaryOf,
): RatesOverview {
  const wards = callerWards(ctx, input?.wardIds);
  const now = ctx.now();
  const { targets, version } = loadRateTargets(ctx.db);
  const zones = [...new Set(wards.map((w) => w.timeZone))];
  const months = input?.months ?? 12;
  let today = localDate(now.toISOString(), zones[0] ?? 'Europe/London');
  let from = monthStart(today, -months);
  const series: MeasureSeries[] = [];
  for (const zone of zones) {
    const zoneWards = wards.filter((w) => w.timeZone === zone);
    today = localDate(now.toISOString(), zone);
    from = monthStart(today, -months);
    const summary = summaryOf(ctx.db, zoneWards, from, today, now);
    series.push(
      ...overviewSeries(summary, { today, targets }).filter(
        (s) => s.wardId !== null || zones.length === 1,
      ),
    );
  }
  queueAudit(ctx.db, {
    at: now,
    userId: ctx.user.id,
    username: ctx.user.username,
    action: 'rates.overview',
    patientId: null,
    category: 'read',
    outcome: 'success',
    clientIp: ctx.clientIp,
    detail: { from, to: today, wardIds: wards.map((w) => w.id) },
  });
  return {
    today,
    from,
    to: today,
    wards: wards.map(({ id, name }) => ({ id, name })),
    series,
    targets,
    targetsVersion: version,
  };
}

/** `rates.summary`'s `series` (issue 20's API): each ward × measure's icons and signals. */
export function summarySeries(
  db: OssiwatchDb,
  summary: RatesSummary,
  now: Date,
): {
  wardId: number | null;
  measure: MeasureSeries['measure'];
  variation: MeasureSeries['variation'];
  assurance: MeasureSeries['assurance'];
  signals: MeasureSeries['signals'];
}[] {
  const today = localDate(now.toISOString(), summary.timeZone);
  const { targets } = loadRateTargets(db);
  return overviewSeries(summary, { today, targets }).map((s) => ({
    wardId: s.wardId,
    measure: s.measure,
    variation: s.variation,
    assurance: s.assurance,
    signals: s.signals,
  }));
}
