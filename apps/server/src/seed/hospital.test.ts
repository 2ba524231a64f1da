import type { Tier } from '@ossiwatch/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OssiwatchDb } from '../db/client.ts';
import { callerAs, callerFor, makeUser, migratedMemoryDb, makeWard } from '../test-support.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { seedDemoIfEmpty } from './demo.ts';
import {
  BACKFILL_DAYS,
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  SeedRefused,
  seedHospital,
} from './hospital.ts';

const NOW = new Date('2026-03-01T12:00:00.000Z');
/** One ward, two months: small enough to seed in a test, big enough to have every kind of record. */
const SMALL = { seed: 11, scale: 0.33, historyMonths: 2, now: NOW } as const;

function count(db: OssiwatchDb, table: string): number {
  return (db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('seedHospital', () => {
  it('loads every patient, stay and ROM reading the generator makes, and assesses current patients', async () => {
    const db = migratedMemoryDb();
    const report = await seedHospital(db, { ...SMALL, withDemoAccounts: false });
    expect(report.wards).toBe(1);
    expect(count(db, 'wards')).toBe(report.wards);
    expect(count(db, 'beds')).toBe(report.beds);
    expect(count(db, 'patients')).toBe(report.patients);
    expect(count(db, 'stays')).toBe(report.stays);
    expect(count(db, 'rom_sessions')).toBe(report.romSessions);
    expect(count(db, 'rom_readings')).toBe(report.romReadings);
    expect(report.romReadings).toBeGreaterThan(1000);
    expect(count(db, 'stays WHERE discharged_at IS NULL')).toBe(report.currentPatients);
    expect(count(db, 'patient_assessments')).toBe(report.currentPatients);
    expect(count(db, 'users')).toBe(report.users);
    // Every current patient lies in a bed of their ward.
    expect(
      count(
        db,
        'stays s JOIN beds b ON b.id = s.bed_id AND b.ward_id = s.ward_id WHERE s.discharged_at IS NULL',
      ),
    ).toBe(report.currentPatients);
    // Readings belong to a session of the same patient, at the session's time.
    expect(
      count(
        db,
        'rom_readings r JOIN rom_sessions s ON s.id = r.session_id WHERE s.patient_id <> r.patient_id OR s.taken_at <> r.taken_at',
      ),
    ).toBe(0);
    expect(count(db, "audit_log WHERE action = 'seed'")).toBe(1);
  });

  it('backfills 8 weeks of daily tiers: one row per patient-day on the ward, today as assessed, so compliance shows', async () => {
    const db = migratedMemoryDb();
    const report = await seedHospital(db, { ...SMALL, withDemoAccounts: false });
    expect(BACKFILL_DAYS).toBe(56);
    expect(report.dailyTiers).toBeGreaterThan(0);
    expect(count(db, 'daily_tiers')).toBe(report.dailyTiers);
    // 56 days before 1 March, and 1 March itself.
    expect(
      db.$client
        .prepare(
          'SELECT min(date) AS first, max(date) AS last, count(DISTINCT date) AS n FROM daily_tiers',
        )
        .get(),
    ).toEqual({ first: '2026-01-04', last: '2026-03-01', n: 57 });
    // Each row is a day the patient was on that ward at its start (London is on UTC in winter).
    expect(
      count(
        db,
        `daily_tiers d WHERE NOT EXISTS (SELECT 1 FROM stays s WHERE s.patient_id = d.patient_id
          AND s.ward_id = d.ward_id AND s.admitted_at <= d.date || 'T00:00:00.000Z'
          AND (s.discharged_at IS NULL OR s.discharged_at > d.date || 'T00:00:00.000Z'))`,
      ),
    ).toBe(0);
    // Today's row has the tier the board shows.
    expect(
      count(
        db,
        `daily_tiers d JOIN patient_assessments a ON a.patient_id = d.patient_id
          WHERE d.date = '2026-03-01' AND d.tier <> a.tier`,
      ),
    ).toBe(0);
    expect(count(db, "daily_tiers WHERE tier IN ('alert', 'high')")).toBeGreaterThan(0);

    // Every patient-day of the window has its tier: compliance covers the whole census.
    const wardIds = (db.$client.prepare('SELECT id FROM wards').all() as { id: number }[]).map(
      (w) => w.id,
    );
    const manager = await makeUser(db, ['manager'], wardIds);
    const summary = await callerAs(db, manager, () => NOW).rates.summary({
      from: '2026-01-04',
      to: '2026-03-01',
    });
    expect(summary.complianceAvailable).toBe(true);
    expect(summary.complianceFrom).toBe('2026-01-04');
    const all = summary.hospital.find((r) => r.month === 'all');
    expect(all?.patientDays).toBe(report.dailyTiers);
    expect(all?.rates.compliance.denominator).toBe(
      count(db, "daily_tiers WHERE tier IN ('alert', 'high')"),
    );
    expect(all?.rates.compliance.value).not.toBeNull();
  });

  it('is deterministic: the same options give the same record', async () => {
    const fingerprint = async (): Promise<unknown> => {
      const db = migratedMemoryDb();
      await seedHospital(db, { ...SMALL, withDemoAccounts: false });
      return db.$client
        .prepare(
          `SELECT count(*) AS n, sum(degrees) AS degrees, max(taken_at) AS last,
            (SELECT group_concat(tier) FROM (SELECT tier FROM patient_assessments ORDER BY patient_id)) AS tiers
          FROM rom_readings`,
        )
        .get();
    };
    expect(await fingerprint()).toEqual(await fingerprint());
  });

  it('gives staff a password nobody knows and no demo accounts outside demo mode', async () => {
    const db = migratedMemoryDb();
    await seedHospital(db, { ...SMALL, withDemoAccounts: false });
    const rows = db.$client.prepare('SELECT username, password_hash FROM users').all() as {
      username: string;
      password_hash: string;
    }[];
    expect(rows.map((r) => r.username)).not.toContain('nurse');
    expect(rows.map((r) => r.username)).not.toContain('admin');
    const first = rows[0];
    expect(first).toBeDefined();
    expect(await verifyPassword(first?.password_hash ?? null, DEMO_PASSWORD)).toBe(false);
  });

  it('refuses a database that already holds wards, users or patients', async () => {
    const db = migratedMemoryDb();
    makeWard(db, 'Existing ward');
    await expect(seedHospital(db, { ...SMALL, withDemoAccounts: true })).rejects.toBeInstanceOf(
      SeedRefused,
    );
    expect(count(db, 'users')).toBe(0);
  });
});

describe('the demo hospital', () => {
  let db: OssiwatchDb;
  beforeAll(async () => {
    db = migratedMemoryDb();
    const report = await seedDemoIfEmpty(db, NOW);
    expect(report?.wards).toBeGreaterThanOrEqual(3);
  }, 180_000);

  it('is seeded once: a second start finds it and seeds nothing', async () => {
    const patients = count(db, 'patients');
    expect(await seedDemoIfEmpty(db, NOW)).toBeUndefined();
    expect(count(db, 'patients')).toBe(patients);
  });

  it('shows a real mix of tiers on every ward, with at least 10 patients each', () => {
    const rows = db.$client
      .prepare(
        `SELECT s.ward_id AS wardId, a.tier AS tier, count(*) AS n FROM stays s
          JOIN patient_assessments a ON a.patient_id = s.patient_id
          WHERE s.discharged_at IS NULL GROUP BY s.ward_id, a.tier`,
      )
      .all() as { wardId: number; tier: Tier; n: number }[];
    const wardIds = [...new Set(rows.map((r) => r.wardId))];
    expect(wardIds.length).toBe(count(db, 'wards'));
    for (const wardId of wardIds) {
      const tiers = rows.filter((r) => r.wardId === wardId);
      const total = tiers.reduce((sum, r) => sum + r.n, 0);
      expect(total).toBeGreaterThanOrEqual(10);
      const present = new Set(tiers.map((r) => r.tier));
      expect(present.has('alert') || present.has('high')).toBe(true);
      expect(present.has('elevated') || present.has('low')).toBe(true);
      expect(present.size).toBeGreaterThanOrEqual(3);
    }
  });

  it("shows each ward's ROM compliance over the backfilled 8 weeks", async () => {
    const { user } = await callerFor(db, () => NOW).auth.login({
      username: 'manager',
      password: DEMO_PASSWORD,
    });
    const summary = await callerAs(db, user, () => NOW).rates.summary({
      from: '2026-01-04',
      to: '2026-03-01',
    });
    expect(summary.complianceFrom).toBe('2026-01-04');
    for (const ward of summary.wards) {
      const compliance = summary.rows.find((r) => r.wardId === ward.id && r.month === 'all')?.rates
        .compliance;
      expect(compliance?.denominator).toBeGreaterThan(0);
      expect(compliance?.value).toBeGreaterThanOrEqual(0);
      expect(compliance?.value).toBeLessThanOrEqual(100);
    }
  });

  it('creates the demo accounts: nurse and therapist on the first ward, the others on all', async () => {
    const wardIds = (
      db.$client.prepare('SELECT id FROM wards ORDER BY id').all() as { id: number }[]
    ).map((w) => w.id);
    for (const account of DEMO_ACCOUNTS) {
      const { user } = await callerFor(db, () => NOW).auth.login({
        username: account.username,
        password: DEMO_PASSWORD,
      });
      expect(user.roles).toEqual(account.roles);
      expect([...user.wardIds].sort((a, b) => a - b)).toEqual(
        account.wards === 'first' ? wardIds.slice(0, 1) : wardIds,
      );
    }
  });
});
