/**
 * `pnpm ossiwatch evaluate [--seed N] [--patients N] [--json file]`: the HO watch replayed over a
 * labelled synthetic cohort and scored against the alarm-burden targets of PRODUCT §3. Needs no
 * database: the cohort is generated, so any seed is a cohort nobody tuned the rules on.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_HO_WATCH_SETTINGS } from '@ossiwatch/domain';
import { generatePatients, type SyntheticPatient } from '@ossiwatch/synth';
import { evaluateCohort, formatEvaluation, type Evaluation } from './evaluate.ts';

/** A fixed "today", so the same seed gives the same cohort and the same figures on any day. */
export const EVALUATION_NOW = '2026-06-01T12:00:00.000Z';
const TIME_ZONE = 'Europe/London';

function* firstOf<T>(items: Iterable<T>, count: number): Generator<T> {
  if (count <= 0) return;
  let n = 0;
  for (const item of items) {
    yield item;
    if (++n >= count) return;
  }
}

/** The cohort of one seed: a demo-sized hospital's twelve months, the first `patients` admissions. */
export function evaluationCohort(seed: number, patients: number): Iterable<SyntheticPatient> {
  return firstOf(
    generatePatients({ seed, scale: 1, now: EVALUATION_NOW, timeZone: TIME_ZONE }),
    patients,
  );
}

export function evaluateSeed(seed: number, patients: number): Evaluation {
  return evaluateCohort(evaluationCohort(seed, patients), {
    now: EVALUATION_NOW,
    timeZone: TIME_ZONE,
    settings: { ...DEFAULT_HO_WATCH_SETTINGS, timeZone: TIME_ZONE },
  });
}

/** Thrown for a mistake in the options; the caller prints it and exits 64. */
export class EvaluateUsageError extends Error {}

function wholeNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new EvaluateUsageError(`--${name} must be a whole number of at least 1, not "${value}"`);
  }
  return n;
}

export const DEFAULT_EVALUATION_SEEDS = [1, 2, 3];

export function evaluateCommand(args: readonly string[]): number {
  const { values } = parseArgs({
    args: [...args],
    options: {
      seed: { type: 'string', multiple: true },
      patients: { type: 'string' },
      json: { type: 'string' },
    },
    strict: true,
  });
  const seeds =
    values.seed === undefined
      ? DEFAULT_EVALUATION_SEEDS
      : values.seed.map((s) => wholeNumber(s, 'seed', 1));
  const patients = wholeNumber(values.patients, 'patients', 100_000);
  const results: { seed: number; evaluation: Evaluation }[] = [];
  for (const seed of seeds) {
    const evaluation = evaluateSeed(seed, patients);
    results.push({ seed, evaluation });
    process.stdout.write(`${formatEvaluation(evaluation, `seed ${seed}`)}\n\n`);
  }
  const passing = results.filter((r) => r.evaluation.meets.all).length;
  process.stdout.write(
    `${passing} of ${results.length} seed(s) meet all four targets (alert ≤ 10% of patient-days, PPV ≥ 30%, sensitivity ≥ 90%, median lead ≥ 10 days)\n`,
  );
  if (values.json !== undefined) {
    writeFileSync(values.json, `${JSON.stringify({ now: EVALUATION_NOW, results }, null, 2)}\n`);
    process.stdout.write(`written to ${values.json}\n`);
  }
  return passing === results.length ? 0 : 1;
}
