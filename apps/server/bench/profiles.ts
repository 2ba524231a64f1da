/** What `pnpm bench` and `pnpm bench --quick` measure, and on how big a hospital. */
import type { HospitalSpec } from './hospital.ts';

export interface BenchProfile {
  readonly name: 'quick' | 'full';
  /** The hospital every figure but growth is measured on. */
  readonly hospital: Omit<HospitalSpec, 'seed'>;
  readonly board: { readonly connections: number; readonly durationSeconds: number };
  readonly baselineIterations: number;
  /**
   * Therapy sessions saved by `connections` clients at `ratePerSecond` in all (the figure the target
   * is judged by: latency at a stated load), then back to back at each of `capacityConnections`
   * clients (the server's capacity, where latency is clients ÷ throughput).
   */
  readonly recordSession: {
    readonly connections: number;
    readonly ratePerSecond: number;
    readonly durationSeconds: number;
    readonly readings: number;
    readonly capacityConnections: readonly number[];
    readonly capacityDurationSeconds: number;
  };
  readonly ratesCalls: number;
  readonly pageSamples: number;
  /**
   * The board's growth with its history: one fixed-size hospital with base, 4× and 16× the months of
   * history (the ward's current patients are of the same kind; only the years behind them grow).
   */
  readonly growth: {
    readonly scale: number;
    readonly baseMonths: number;
    readonly multipliers: readonly number[];
    readonly durationSeconds: number;
  };
  /**
   * Live board streams (SSE) held by `clientProcesses` processes, opened up to each count in
   * `streams` in turn; at each, therapy saves and nurse writes at their rates (Poisson) for
   * `writeSeconds`; then the board with the last count open, and a restart with writes going on
   * for `stormSeconds`.
   */
  readonly live: {
    readonly streams: readonly number[];
    readonly clientProcesses: number;
    readonly saveConnections: number;
    readonly therapyRatePerSecond: number;
    readonly nurseRatePerSecond: number;
    readonly writeSeconds: number;
    readonly boardSeconds: number;
    readonly stormSeconds: number;
  };
}

/** PRODUCT §9's hospital: 40 wards, ~1,000 current patients, 3 years, ≥ 5 million ROM readings. */
export const FULL: BenchProfile = {
  name: 'full',
  hospital: { scale: 13, historyMonths: 36 },
  board: { connections: 32, durationSeconds: 30 },
  baselineIterations: 5000,
  recordSession: {
    connections: 8,
    ratePerSecond: 50,
    durationSeconds: 20,
    readings: 20,
    capacityConnections: [1, 2, 4, 8],
    capacityDurationSeconds: 10,
  },
  ratesCalls: 20,
  pageSamples: 7,
  growth: { scale: 1, baseMonths: 9, multipliers: [1, 4, 16], durationSeconds: 15 },
  live: {
    streams: [100, 300, 1000],
    clientProcesses: 4,
    saveConnections: 8,
    therapyRatePerSecond: 50,
    nurseRatePerSecond: 10,
    writeSeconds: 20,
    boardSeconds: 10,
    stormSeconds: 20,
  },
};

/** The same measurements on the demo-sized hospital (3 wards, a year), for a run under 5 minutes. */
export const QUICK: BenchProfile = {
  name: 'quick',
  hospital: { scale: 1, historyMonths: 12 },
  board: { connections: 32, durationSeconds: 10 },
  baselineIterations: 2000,
  recordSession: {
    connections: 8,
    ratePerSecond: 50,
    durationSeconds: 8,
    readings: 20,
    capacityConnections: [1, 2, 4, 8],
    capacityDurationSeconds: 5,
  },
  ratesCalls: 20,
  pageSamples: 5,
  growth: { scale: 1, baseMonths: 3, multipliers: [1, 4, 16], durationSeconds: 5 },
  live: {
    streams: [100, 300, 1000],
    clientProcesses: 4,
    saveConnections: 8,
    therapyRatePerSecond: 50,
    nurseRatePerSecond: 10,
    writeSeconds: 8,
    boardSeconds: 5,
    stormSeconds: 12,
  },
};

export interface BenchArgs {
  readonly profile: BenchProfile;
  readonly seed: number;
  readonly jsonFile: string | null;
  readonly skipWeb: boolean;
  readonly skipGrowth: boolean;
  readonly rebuildWeb: boolean;
  /** Only generate the cached hospitals (main and growth), measure nothing. */
  readonly prepareOnly: boolean;
  /** Writes the main server's V8 CPU profile (.cpuprofile) into this directory. */
  readonly cpuProfileDir: string | null;
  /** The phases to run (`--only board,record`); all of them when not given. */
  readonly phases: ReadonlySet<BenchPhase>;
}

export const BENCH_PHASES = ['board', 'record', 'rates', 'hl7', 'web', 'growth', 'live'] as const;
export type BenchPhase = (typeof BENCH_PHASES)[number];

export const USAGE = `pnpm bench [--quick] [--json <file>] [--seed <n>] [--skip-web] [--skip-growth] [--rebuild-web] [--cpu-prof <dir>] [--only board,record,rates,hl7,web,growth,live] [--prepare]`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  let profile = FULL;
  let seed = 1;
  let jsonFile: string | null = null;
  let skipWeb = false;
  let skipGrowth = false;
  let rebuildWeb = false;
  let cpuProfileDir: string | null = null;
  let prepareOnly = false;
  let only: Set<BenchPhase> | null = null;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    switch (arg) {
      case '--':
        break;
      case '--quick':
        profile = QUICK;
        break;
      case '--full':
        profile = FULL;
        break;
      case '--json':
        jsonFile = argv[++i] ?? null;
        if (!jsonFile) throw new Error(`--json needs a file name\n${USAGE}`);
        break;
      case '--seed': {
        const text = argv[++i] ?? '';
        seed = Number(text);
        if (!Number.isInteger(seed)) throw new Error(`--seed needs a whole number, not "${text}"`);
        break;
      }
      case '--skip-web':
        skipWeb = true;
        break;
      case '--skip-growth':
        skipGrowth = true;
        break;
      case '--rebuild-web':
        rebuildWeb = true;
        break;
      case '--prepare':
        prepareOnly = true;
        break;
      case '--cpu-prof':
        cpuProfileDir = argv[++i] ?? null;
        if (!cpuProfileDir) throw new Error(`--cpu-prof needs a directory\n${USAGE}`);
        break;
      case '--only': {
        const names = (argv[++i] ?? '').split(',').filter(Boolean);
        const unknown = names.filter((name) => !(BENCH_PHASES as readonly string[]).includes(name));
        if (names.length === 0 || unknown.length > 0) {
          throw new Error(`--only takes phases from ${BENCH_PHASES.join(', ')}\n${USAGE}`);
        }
        only = new Set(names as BenchPhase[]);
        break;
      }
      default:
        throw new Error(`unknown argument "${String(arg)}"\n${USAGE}`);
    }
  }
  const phases = new Set<BenchPhase>(only ?? BENCH_PHASES);
  if (skipWeb) phases.delete('web');
  if (skipGrowth) phases.delete('growth');
  return {
    profile,
    seed,
    jsonFile,
    skipWeb: !phases.has('web'),
    skipGrowth: !phases.has('growth'),
    rebuildWeb,
    cpuProfileDir,
    prepareOnly,
    phases,
  };
}
