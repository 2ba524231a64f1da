/**
 * An independent recomputation of the managers' rates from the raw tables, following only the
 * conventions written in docs/clinical-rules.md ("Patients who move"), on a seeded hospital after
 * transfers, readmissions and backdated edits made through the real procedures. It shares no code
 * with the domain's rates: local dates come from Intl, intervals from summing Poisson terms.
 *
 * Checked to 1e-6: every ward × month and whole-range row (patient-days, catheter-days, admissions,
 * discharges, numerators and denominators of every rate, their values, the exact Poisson intervals
 * and u-chart limits of the per-1,000-day rates), each ward asked alone and with all wards, and the
 * all-wards rows. The intervals and charts of the three percentages are another change's (Clopper–
 * Pearson and p-charts): only their counts and values are checked here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OssiwatchDb } from '../../db/client.ts';
import { seedHospital } from '../../seed/hospital.ts';
import { callerAs, makeUser, makeWard, migratedMemoryDb, type Caller } from '../../test-support.ts';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const clock = () => NOW;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FROM = '2026-01-01';
const TO = '2026-03-01';
const at = (ms: number): string => new Date(ms).toISOString();

// ---- an independent calendar ------------------------------------------------------------------

function dateFormatter(timeZone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (ms) => format.format(new Date(ms));
}

/** The first instant of a local date: scanned minute by minute around UTC midnight. */
function startOfDate(date: string, localDateOf: (ms: number) => string): number {
  const utc = Date.parse(`${date}T00:00:00.000Z`);
  for (let ms = utc - 15 * HOUR; ms <= utc + 15 * HOUR; ms += 60_000) {
    if (localDateOf(ms) === date) {
      // Refine to the millisecond: the day starts within the minute before.
      let lo = ms - 60_000;
      let hi = ms;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (localDateOf(mid) === date) hi = mid;
        else lo = mid;
      }
      return hi;
    }
  }
  throw new Error(`no start for ${date}`);
}

function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += DAY) {
    out.push(new Date(ms).toISOString().slice(0, 10));
  }
  return out;
}
const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY;

// ---- an independent exact Poisson interval (Garwood) by bisection on the Poisson distribution ----

function poissonCdf(k: number, lambda: number): number {
  if (k < 0) return 0;
  let term = Math.exp(-lambda);
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term *= lambda / i;
    sum += term;
  }
  return sum;
}

function solve(f: (lambda: number) => number, target: number, increasing: boolean): number {
  let lo = 0;
  let hi = 1;
  while (f(hi) < target === increasing) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target === increasing) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function garwood(k: number): { lower: number; upper: number } {
  // upper: P(X ≤ k; λ) = 0.025; lower: P(X ≥ k; λ) = 0.025 (0 when k = 0).
  const upper = solve((lambda) => poissonCdf(k, lambda), 0.025, false);
  const lower = k === 0 ? 0 : solve((lambda) => 1 - poissonCdf(k - 1, lambda), 0.025, true);
  return { lower, upper };
}

// ---- the recomputation --------------------------------------------------------------------------

interface StayRow {
  id: number;
  patientId: number;
  wardId: number;
  admittedAt: string;
  dischargedAt: string | null;
}
interface Tally {
  patientDays: number;
  catheterDays: number;
  admissions: number;
  discharges: number;
  pneumonia: number;
  uti: number;
  cauti: number;
  hapi: number;
  hapiStays: number;
  dischargedStays: number;
  ho: number;
  compliance: number;
  tierDays: number;
}
const emptyTally = (): Tally => ({
  patientDays: 0,
  catheterDays: 0,
  admissions: 0,
  discharges: 0,
  pneumonia: 0,
  uti: 0,
  cauti: 0,
  hapi: 0,
  hapiStays: 0,
  dischargedStays: 0,
  ho: 0,
  compliance: 0,
  tierDays: 0,
});

function recompute(
  db: OssiwatchDb,
  timeZone: string,
  wardIds: readonly number[],
  transferRule: boolean,
): Map<string, Tally> {
  const localDateOf = dateFormatter(timeZone);
  const dateOf = (instant: string): string => localDateOf(Date.parse(instant));
  const asOf = NOW.getTime();
  const dates = datesBetween(FROM, TO);
  const starts = new Map(dates.map((d) => [d, startOfDate(d, localDateOf)]));
  const inRange = (date: string): boolean => date >= FROM && date <= TO;
  const tallies = new Map<string, Tally>();
  const add = (wardId: number, date: string, update: (t: Tally) => void): void => {
    if (!wardIds.includes(wardId) || !inRange(date)) return;
    for (const key of [`${wardId}|${date.slice(0, 7)}`, `${wardId}|all`]) {
      const t = tallies.get(key) ?? emptyTally();
      update(t);
      tallies.set(key, t);
    }
  };
  const all = <T>(sql: string): T[] => db.$client.prepare(sql).all() as T[];
  const stays = all<StayRow>(
    'SELECT id, patient_id AS patientId, ward_id AS wardId, admitted_at AS admittedAt, discharged_at AS dischargedAt FROM stays',
  );
  const catheters = all<{ patientId: number; insertedAt: string; removedAt: string | null }>(
    'SELECT patient_id AS patientId, inserted_at AS insertedAt, removed_at AS removedAt FROM catheter_episodes',
  );
  const events = all<{
    patientId: number;
    wardId: number;
    kind: string;
    onsetAt: string;
    stage: string | null;
  }>(
    'SELECT patient_id AS patientId, ward_id AS wardId, kind, onset_at AS onsetAt, stage FROM complications WHERE present_on_admission = 0',
  );
  const confirmations = all<{ patientId: number; confirmedAt: string }>(
    "SELECT patient_id AS patientId, min(taken_at) AS confirmedAt FROM imaging WHERE result = 'positive' GROUP BY patient_id, site, side",
  );
  const staysOf = (patientId: number): StayRow[] => stays.filter((s) => s.patientId === patientId);
  const end = (instant: string | null): number =>
    Math.min(instant === null ? Number.POSITIVE_INFINITY : Date.parse(instant), asOf);
  const holds = (from: string, to: string | null, ms: number): boolean =>
    Date.parse(from) <= ms && ms < end(to);

  for (const stay of stays) {
    for (const date of dates) {
      if (holds(stay.admittedAt, stay.dischargedAt, starts.get(date)!)) {
        add(stay.wardId, date, (t) => (t.patientDays += 1));
      }
    }
    add(stay.wardId, dateOf(stay.admittedAt), (t) => (t.admissions += 1));
    if (stay.dischargedAt !== null && Date.parse(stay.dischargedAt) <= asOf) {
      add(stay.wardId, dateOf(stay.dischargedAt), (t) => (t.discharges += 1));
    }
  }
  for (const catheter of catheters) {
    for (const date of dates) {
      const start = starts.get(date)!;
      if (!holds(catheter.insertedAt, catheter.removedAt, start)) continue;
      const stay = staysOf(catheter.patientId).find((s) =>
        holds(s.admittedAt, s.dischargedAt, start),
      );
      if (stay) add(stay.wardId, date, (t) => (t.catheterDays += 1));
    }
  }
  const attributed = (event: (typeof events)[number]): number => {
    if (!transferRule || (event.kind !== 'uti' && event.kind !== 'pneumonia')) return event.wardId;
    const own = staysOf(event.patientId);
    const onsetDay = dayNumber(dateOf(event.onsetAt));
    let stay = own.find(
      (s) =>
        s.wardId === event.wardId &&
        s.admittedAt <= event.onsetAt &&
        (s.dischargedAt === null || event.onsetAt < s.dischargedAt),
    );
    while (stay && dayNumber(dateOf(stay.admittedAt)) >= onsetDay - 1) {
      const current = stay;
      const from = own.find((s) => s.dischargedAt === current.admittedAt);
      if (!from) break;
      stay = from;
    }
    return stay?.wardId ?? event.wardId;
  };
  const countedPressureInjury = (stage: string | null): boolean => stage !== null && stage !== '1';
  for (const event of events) {
    const wardId = attributed(event);
    const date = dateOf(event.onsetAt);
    if (event.kind === 'pneumonia') add(wardId, date, (t) => (t.pneumonia += 1));
    if (event.kind === 'uti') {
      add(wardId, date, (t) => (t.uti += 1));
      const d = dayNumber(date);
      const cauti = catheters.some((c) => {
        if (c.patientId !== event.patientId) return false;
        const inserted = dayNumber(dateOf(c.insertedAt));
        const removed =
          c.removedAt === null ? Number.POSITIVE_INFINITY : dayNumber(dateOf(c.removedAt));
        return inserted <= d && removed >= d - 1 && Math.min(d, removed) - inserted + 1 >= 3;
      });
      if (cauti) add(wardId, date, (t) => (t.cauti += 1));
    }
    if (event.kind === 'pressure_injury' && countedPressureInjury(event.stage)) {
      add(wardId, date, (t) => (t.hapi += 1));
    }
  }
  for (const stay of stays) {
    if (stay.dischargedAt === null || Date.parse(stay.dischargedAt) > asOf) continue;
    const discharged = stay.dischargedAt;
    const injured = events.some(
      (e) =>
        e.patientId === stay.patientId &&
        e.kind === 'pressure_injury' &&
        countedPressureInjury(e.stage) &&
        e.onsetAt >= stay.admittedAt &&
        e.onsetAt <= discharged,
    );
    add(stay.wardId, dateOf(discharged), (t) => {
      t.dischargedStays += 1;
      if (injured) t.hapiStays += 1;
    });
  }
  for (const c of confirmations) {
    const stay = staysOf(c.patientId)
      .filter((s) => s.admittedAt <= c.confirmedAt && (s.dischargedAt ?? '9999') >= c.confirmedAt)
      .sort((a, b) => (a.admittedAt < b.admittedAt ? -1 : 1))[0];
    if (stay) add(stay.wardId, dateOf(c.confirmedAt), (t) => (t.ho += 1));
  }
  for (const row of all<{ wardId: number; date: string; rom: number }>(
    "SELECT ward_id AS wardId, date, had_rom_within_7_days AS rom FROM daily_tiers WHERE tier IN ('alert', 'high')",
  )) {
    add(row.wardId, row.date, (t) => {
      t.tierDays += 1;
      t.compliance += row.rom;
    });
  }
  return tallies;
}

// ---- the hospital, moved about ------------------------------------------------------------------

let db: OssiwatchDb;
let wards: { id: number; timeZone: string }[];
let manager: Caller;
let nurse: Caller;
let physician: Caller;

const current = (wardId: number) =>
  db.$client
    .prepare(
      `SELECT s.patient_id AS patientId, s.version, s.admitted_at AS admittedAt,
         (SELECT count(*) FROM catheter_episodes c WHERE c.patient_id = s.patient_id AND c.removed_at IS NULL) AS catheter
       FROM stays s WHERE s.ward_id = ? AND s.discharged_at IS NULL AND s.admitted_at < ?
       ORDER BY s.patient_id`,
    )
    .all(wardId, at(NOW.getTime() - 10 * DAY)) as {
    patientId: number;
    version: number;
    admittedAt: string;
    catheter: number;
  }[];

beforeAll(async () => {
  db = migratedMemoryDb();
  await seedHospital(db, {
    seed: 11,
    scale: 1,
    historyMonths: 2,
    now: NOW,
    withDemoAccounts: false,
  });
  wards = db.$client.prepare('SELECT id, time_zone AS timeZone FROM wards ORDER BY id').all() as {
    id: number;
    timeZone: string;
  }[];
  const wardIds = wards.map((w) => w.id);
  manager = callerAs(db, await makeUser(db, ['manager'], wardIds), clock);
  nurse = callerAs(db, await makeUser(db, ['nurse'], wardIds), clock);
  physician = callerAs(db, await makeUser(db, ['physician'], wardIds), clock);
  const [w1, w2, w3] = wardIds as [number, number, number];
  // Two patients of ward 1 get a catheter six days ago and move to ward 2 two days ago; one gets a
  // UTI on ward 2 that afternoon (the transfer rule gives it to ward 1), the other this morning.
  const movers = current(w1)
    .filter((p) => p.catheter === 0)
    .slice(0, 2);
  expect(movers).toHaveLength(2);
  for (const [i, mover] of movers.entries()) {
    await nurse.nursing.insertCatheter({
      patientId: mover.patientId,
      insertedAt: at(NOW.getTime() - 6 * DAY),
    });
    await nurse.patient.transfer({
      patientId: mover.patientId,
      wardId: w2,
      bedId: null,
      transferredAt: at(NOW.getTime() - 2 * DAY),
      expectedVersion: mover.version,
    });
    await nurse.complication.start({
      patientId: mover.patientId,
      onsetAt: at(NOW.getTime() - (i === 0 ? 2 * DAY - 3 * HOUR : 2 * HOUR)),
      presentOnAdmission: false,
      complication: { kind: 'uti' },
    });
  }
  // A backdated transfer from ward 2 to ward 3 five days ago, with a pneumonia the day after.
  const third = current(w2).find((p) => !movers.some((m) => m.patientId === p.patientId))!;
  await nurse.patient.transfer({
    patientId: third.patientId,
    wardId: w3,
    bedId: null,
    transferredAt: at(NOW.getTime() - 5 * DAY),
    expectedVersion: third.version,
  });
  await nurse.complication.start({
    patientId: third.patientId,
    onsetAt: at(NOW.getTime() - 4 * DAY),
    presentOnAdmission: false,
    complication: { kind: 'pneumonia' },
  });
  // A discharge dated yesterday on ward 3.
  const leaving = current(w3)[0]!;
  await nurse.patient.discharge({
    patientId: leaving.patientId,
    dischargedAt: at(NOW.getTime() - 1 * DAY),
    expectedVersion: leaving.version,
  });
  // A readmission by a physician to ward 1 of a patient discharged earlier from another ward.
  const gone = db.$client
    .prepare(
      `SELECT p.id, p.mrn, p.name, p.date_of_birth AS dateOfBirth, p.sex, s.ward_id AS wardId, s.discharged_at AS dischargedAt
       FROM patients p JOIN stays s ON s.patient_id = p.id
       WHERE s.ward_id <> ? AND s.discharged_at IS NOT NULL AND s.discharged_at < ?
         AND NOT EXISTS (SELECT 1 FROM stays o WHERE o.patient_id = p.id AND o.admitted_at > s.admitted_at)
       ORDER BY p.id LIMIT 1`,
    )
    .get(w1, at(NOW.getTime() - 7 * DAY)) as {
    mrn: string;
    name: string;
    dateOfBirth: string;
    sex: 'female' | 'male';
    dischargedAt: string;
  };
  const readmission = {
    mrn: gone.mrn,
    name: gone.name.toUpperCase(),
    dateOfBirth: gone.dateOfBirth,
    sex: gone.sex,
    wardId: w1,
    bedId: null,
    injury: {
      type: 'tbi' as const,
      occurredAt: '2025-06-01T00:00:00Z',
      lowestGcs: null,
      comaDays: null,
      ventilationDays: null,
      diffuseAxonalInjury: null,
      autonomicDysregulation: null,
      aisGrade: null,
      surgicalFractures: [],
    },
  };
  // Inside the last stay: refused; three days ago: readmitted.
  await expect(
    physician.patient.admit({
      ...readmission,
      admittedAt: at(Date.parse(gone.dischargedAt) - HOUR),
    }),
  ).rejects.toThrow(/^admittedAt: falls inside or across another stay/);
  await physician.patient.admit({ ...readmission, admittedAt: at(NOW.getTime() - 3 * DAY) });
}, 120_000);

const RATE_KEYS_POISSON = ['pneumonia', 'uti', 'cauti', 'hapi'] as const;
const RATE_KEYS_SHARE = ['hapiStays', 'ho', 'compliance'] as const;

type Summary = Awaited<ReturnType<Caller['rates']['summary']>>;

/**
 * A month still being counted (its last day in the range is today or later on the ward's clock) is
 * kept out of the centre line: the convention of the managers' overview and the rates page.
 */
function isPartialMonth(month: string, today: string): boolean {
  const [y, m] = month.split('-').map(Number);
  const monthEnd = `${month}-${String(new Date(Date.UTC(y!, m, 0)).getUTCDate()).padStart(2, '0')}`;
  const sliceEnd = monthEnd < TO ? monthEnd : TO;
  return sliceEnd >= today;
}

function expectAgrees(
  summary: Summary,
  expected: Map<string, Tally>,
  wardIds: number[],
  today: string,
): void {
  const close = (actual: number | null, wanted: number | null, what: string): void => {
    if (wanted === null) return expect(actual, what).toBeNull();
    expect(actual, what).not.toBeNull();
    expect(Math.abs(actual! - wanted), `${what}: ${actual} vs ${wanted}`).toBeLessThan(1e-6);
  };
  let compared = 0;
  for (const row of summary.rows) {
    if (row.wardId === null || !wardIds.includes(row.wardId)) continue;
    const t = expected.get(`${row.wardId}|${row.month}`) ?? emptyTally();
    const what = `ward ${row.wardId} ${row.month}`;
    expect(
      [row.patientDays, row.catheterDays, row.admissions, row.discharges],
      `${what} days, admissions, discharges`,
    ).toEqual([t.patientDays, t.catheterDays, t.admissions, t.discharges]);
    const denominators = {
      pneumonia: t.patientDays,
      uti: t.patientDays,
      cauti: t.catheterDays,
      hapi: t.patientDays,
      hapiStays: t.dischargedStays,
      ho: t.admissions,
      compliance: t.tierDays,
    };
    for (const key of [...RATE_KEYS_POISSON, ...RATE_KEYS_SHARE]) {
      const r = row.rates[key];
      const numerator = t[key];
      const denominator = denominators[key];
      expect([r.numerator, r.denominator], `${what} ${key}`).toEqual([numerator, denominator]);
      const per = key === 'hapiStays' || key === 'ho' || key === 'compliance' ? 100 : 1000;
      close(r.value, denominator > 0 ? (numerator / denominator) * per : null, `${what} ${key}`);
      if ((RATE_KEYS_POISSON as readonly string[]).includes(key) && denominator > 0) {
        const interval = garwood(numerator);
        close(r.lower, (interval.lower / denominator) * per, `${what} ${key} lower`);
        close(r.upper, (interval.upper / denominator) * per, `${what} ${key} upper`);
      }
      compared += 1;
    }
  }
  expect(compared).toBeGreaterThan(0);
  // u-charts of the per-1,000-day rates, month by month.
  for (const series of summary.uCharts) {
    if (series.wardId === null || !wardIds.includes(series.wardId)) continue;
    if (!(RATE_KEYS_POISSON as readonly string[]).includes(series.rate)) continue;
    const key = series.rate as (typeof RATE_KEYS_POISSON)[number];
    const monthly = series.months.map(
      (month) => expected.get(`${series.wardId}|${month}`) ?? emptyTally(),
    );
    const exposure = (t: Tally): number => (key === 'cauti' ? t.catheterDays : t.patientDays);
    const complete = monthly.filter((_, i) => !isPartialMonth(series.months[i]!, today));
    const totalCount = complete.reduce((sum, t) => sum + t[key], 0);
    const totalExposure = complete.reduce((sum, t) => sum + exposure(t), 0);
    const u = totalExposure > 0 ? totalCount / totalExposure : null;
    close(series.chart.centre, u === null ? null : u * 1000, `${series.wardId} ${key} centre`);
    series.chart.points.forEach((point, i) => {
      const n = exposure(monthly[i]!);
      if (u === null || n === 0) return expect(point.upperLimit).toBeNull();
      close(
        point.upperLimit,
        (u + 3 * Math.sqrt(u / n)) * 1000,
        `${series.wardId} ${key} UCL ${i}`,
      );
      close(
        point.lowerLimit,
        Math.max(0, u - 3 * Math.sqrt(u / n)) * 1000,
        `${series.wardId} ${key} LCL ${i}`,
      );
    });
  }
}

describe('rates recomputed independently from the raw tables', () => {
  it('agree for all wards and each ward alone, after transfers, a readmission and backdated edits', async () => {
    const wardIds = wards.map((w) => w.id);
    const timeZone = wards[0]!.timeZone;
    const expected = recompute(db, timeZone, wardIds, true);
    const today = dateFormatter(timeZone)(NOW.getTime());
    // The range ends today: its last month is partial, and the centre lines must leave it out.
    expect(isPartialMonth(TO.slice(0, 7), today)).toBe(true);
    const allWards = await manager.rates.summary({ from: FROM, to: TO });
    expectAgrees(allWards, expected, wardIds, today);
    for (const wardId of wardIds) {
      const alone = await manager.rates.summary({ from: FROM, to: TO, wardIds: [wardId] });
      expectAgrees(alone, expected, [wardId], today);
      expect(alone.rows.filter((r) => r.wardId === wardId)).toEqual(
        allWards.rows.filter((r) => r.wardId === wardId),
      );
    }
    // The all-wards rows are the sums of the wards' counts.
    const hospital = allWards.hospital.find((r) => r.month === 'all')!;
    const sum = (f: (t: Tally) => number): number =>
      wardIds.reduce((total, id) => total + f(expected.get(`${id}|all`) ?? emptyTally()), 0);
    expect([hospital.patientDays, hospital.catheterDays, hospital.rates.cauti.numerator]).toEqual([
      sum((t) => t.patientDays),
      sum((t) => t.catheterDays),
      sum((t) => t.cauti),
    ]);
    // What the moves above put on the wards: the same-day UTI on ward 1 with its catheter.
    expect(sum((t) => t.cauti)).toBeGreaterThanOrEqual(2);
  });

  it('every daily census row is on the ward the stays give for its date', () => {
    const localDateOf = dateFormatter(wards[0]!.timeZone);
    const rows = db.$client
      .prepare('SELECT patient_id AS patientId, ward_id AS wardId, date FROM daily_tiers')
      .all() as { patientId: number; wardId: number; date: string }[];
    const stays = db.$client
      .prepare(
        'SELECT patient_id AS patientId, ward_id AS wardId, admitted_at AS a, discharged_at AS d FROM stays',
      )
      .all() as { patientId: number; wardId: number; a: string; d: string | null }[];
    const starts = new Map<string, number>();
    const wrong = rows.filter((row) => {
      const start = starts.get(row.date) ?? startOfDate(row.date, localDateOf);
      starts.set(row.date, start);
      const stay = stays.find(
        (s) =>
          s.patientId === row.patientId &&
          Date.parse(s.a) <= start &&
          start < (s.d === null ? NOW.getTime() + 1 : Date.parse(s.d)),
      );
      return stay?.wardId !== row.wardId;
    });
    expect(rows.length).toBeGreaterThan(1000);
    expect(wrong).toEqual([]);
  });
});

describe('the transfer scenario of the review', () => {
  it('gives ward 2 the same CAUTI asked alone and with all wards, with the transfer rule on and off', async () => {
    const small = migratedMemoryDb();
    const one = makeWard(small, 'One');
    const two = makeWard(small, 'Two');
    const both = [one.wardId, two.wardId];
    const n = callerAs(small, await makeUser(small, ['nurse'], both), clock);
    const m = callerAs(small, await makeUser(small, ['manager', 'admin'], both), clock);
    const { patientId } = await n.patient.admit({
      mrn: 'CAUTI-1',
      name: 'Ada Lind',
      dateOfBirth: '1960-02-02',
      sex: 'female',
      wardId: one.wardId,
      bedId: null,
      admittedAt: '2026-02-20T09:00:00Z',
      injury: {
        type: 'sci',
        occurredAt: '2026-02-01T09:00:00Z',
        lowestGcs: null,
        comaDays: null,
        ventilationDays: null,
        diffuseAxonalInjury: null,
        autonomicDysregulation: null,
        aisGrade: 'A',
        surgicalFractures: [],
      },
    });
    await n.nursing.insertCatheter({ patientId, insertedAt: '2026-02-22T09:00:00Z' });
    await n.patient.transfer({
      patientId,
      wardId: two.wardId,
      bedId: null,
      transferredAt: '2026-02-26T09:00:00Z',
      expectedVersion: 1,
    });
    await n.complication.start({
      patientId,
      onsetAt: '2026-02-26T15:00:00Z',
      presentOnAdmission: false,
      complication: { kind: 'uti' },
    });
    const cauti = async (wardIds?: number[]): Promise<Record<string, [number, number]>> => {
      const summary = await m.rates.summary({
        from: '2026-02-01',
        to: '2026-02-28',
        ...(wardIds ? { wardIds } : {}),
      });
      return Object.fromEntries(
        summary.rows
          .filter((r) => r.month === 'all')
          .map((r): [string, [number, number]] => [
            String(r.wardId),
            [r.rates.cauti.numerator, r.catheterDays],
          ]),
      );
    };
    // Rule on (default): onset on the day of transfer counts on ward One.
    expect(await cauti()).toEqual({ [one.wardId]: [1, 4], [two.wardId]: [0, 2] });
    expect(await cauti([two.wardId])).toEqual({ [two.wardId]: [0, 2] });
    expect(await cauti([one.wardId])).toEqual({ [one.wardId]: [1, 4] });
    const settings = await m.admin.settings.get();
    await m.admin.settings.update({
      expectedVersion: settings.version,
      settings: { nhsnTransferRule: false },
    });
    expect(await cauti()).toEqual({ [one.wardId]: [0, 4], [two.wardId]: [1, 2] });
    expect(await cauti([two.wardId])).toEqual({ [two.wardId]: [1, 2] });
  });
});
