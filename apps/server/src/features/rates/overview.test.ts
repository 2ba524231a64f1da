import { beforeAll, describe, expect, it } from 'vitest';
import type { OssiwatchDb } from '../../db/client.ts';
import { seedHospital } from '../../seed/hospital.ts';
import { callerAs, makeUser, makeWard, migratedMemoryDb } from '../../test-support.ts';
import type { SessionUser } from '../../users.ts';

const NOW = new Date('2026-03-18T12:00:00.000Z');
const clock = () => NOW;
/** The last complete month before NOW (March 2026 is the partial one, "so far"). */
const PAST_MONTH = '2026-02';

/** Ten hospital-acquired pneumonias with onsets in February on one ward, on patients staying there. */
function tenPneumonias(db: OssiwatchDb, wardId: number, month = PAST_MONTH): void {
  const stays = db.$client
    .prepare(
      `SELECT patient_id AS patientId FROM stays
       WHERE ward_id = ? AND admitted_at < ? AND (discharged_at IS NULL OR discharged_at > ?)
       ORDER BY id LIMIT 10`,
    )
    .all(wardId, `${month}-10T00:00:00.000Z`, `${month}-20T00:00:00.000Z`) as {
    patientId: number;
  }[];
  expect(stays.length).toBeGreaterThan(0);
  const insert = db.$client.prepare(
    `INSERT INTO complications (patient_id, ward_id, kind, onset_at, present_on_admission)
     VALUES (?, ?, 'pneumonia', ?, 0)`,
  );
  for (let i = 0; i < 10; i++) {
    const patient = stays[i % stays.length];
    if (patient)
      insert.run(
        patient.patientId,
        wardId,
        `${month}-${String(10 + i).padStart(2, '0')}T10:00:00.000Z`,
      );
  }
}

describe('rates.overview on the demo hospital', () => {
  let db: OssiwatchDb;
  let manager: SessionUser;
  let wardId: number;

  beforeAll(async () => {
    db = migratedMemoryDb();
    await seedHospital(db, {
      seed: 20260301,
      scale: 0.5,
      historyMonths: 12,
      now: NOW,
      withDemoAccounts: false,
    });
    const wards = db.$client.prepare('SELECT id FROM wards ORDER BY id').all() as { id: number }[];
    wardId = wards[0]?.id ?? 0;
    manager = await makeUser(
      db,
      ['manager'],
      wards.map((w) => w.id),
    );
  }, 120_000);

  it('ten pneumonias in one past month make that ward special cause concerning, outside the limits', async () => {
    const caller = callerAs(db, manager, clock);
    const before = await caller.rates.overview();
    const cellBefore = before.series.find((s) => s.wardId === wardId && s.measure === 'pneumonia');
    expect(
      cellBefore?.signals.some((s) => s.month === PAST_MONTH && s.rule === 'outside_limits'),
    ).toBe(false);

    tenPneumonias(db, wardId);
    const after = await caller.rates.overview();
    const cell = after.series.find((s) => s.wardId === wardId && s.measure === 'pneumonia');
    expect(cell?.latest?.month).toBe(PAST_MONTH);
    expect(cell?.latest?.numerator).toBeGreaterThanOrEqual(10);
    expect(cell?.variation).toBe('special_cause_concerning');
    expect(cell?.signals).toContainEqual({
      month: PAST_MONTH,
      rule: 'outside_limits',
      direction: 'concerning',
    });
    // The current month is drawn "so far" and is never part of a rule.
    const march = cell?.points.find((p) => p.month === '2026-03');
    expect(march?.partial).toBe(true);
    expect(cell?.signals.some((s) => s.month === '2026-03')).toBe(false);

    // rates.summary carries the same, in the shape of issue 20's API.
    const summary = await caller.rates.summary({
      from: '2025-09-01',
      to: '2026-03-18',
      wardIds: [wardId],
    });
    const series = summary.series.find((s) => s.wardId === wardId && s.measure === 'pneumonia');
    expect(series).toMatchObject({ variation: 'special_cause_concerning', assurance: null });
    expect(series?.signals).toContainEqual({
      month: PAST_MONTH,
      rule: 'outside_limits',
      direction: 'concerning',
    });
  });

  it('gives proportions exact binomial intervals within 0–100% and p-chart limits', async () => {
    const overview = await callerAs(db, manager, clock).rates.overview();
    const compliance = overview.series.filter(
      (s) => s.measure === 'compliance' || s.measure === 'hapiStays',
    );
    expect(compliance.length).toBeGreaterThan(0);
    for (const s of compliance) {
      expect(s.chart).toBe('p');
      for (const p of s.points) {
        if (p.upperLimit !== null) expect(p.upperLimit).toBeLessThanOrEqual(100);
        if (p.lowerLimit !== null) expect(p.lowerLimit).toBeGreaterThanOrEqual(0);
      }
      for (const f of s.figures) {
        if (f.upper !== null) expect(f.upper).toBeLessThanOrEqual(100);
      }
    }
    expect(overview.series.find((s) => s.measure === 'pneumonia')?.chart).toBe('u');
    expect(overview.series.find((s) => s.measure === 'leadTime')?.chart).toBe('xmr');
  });

  it('a target set with its source gives the assurance icon, versioned and audited', async () => {
    const caller = callerAs(db, manager, clock);
    const { targetsVersion } = await caller.rates.overview();
    // A target of 100 pneumonias per 1,000 patient-days is above any limit: consistently met.
    const saved = await caller.rates.setTarget({
      measure: 'pneumonia',
      wardId: null,
      value: 100,
      source: 'Trust quality plan 2026',
      expectedVersion: targetsVersion,
    });
    expect(saved.version).toBe(targetsVersion + 1);
    const overview = await caller.rates.overview();
    const cell = overview.series.find(
      (s) => s.wardId !== wardId && s.wardId !== null && s.measure === 'pneumonia',
    );
    expect(cell?.target).toMatchObject({ value: 100, source: 'Trust quality plan 2026' });
    expect(cell?.assurance).toBe('met');
    // A ward's own target wins over the hospital's.
    await caller.rates.setTarget({
      measure: 'compliance',
      wardId,
      value: 100,
      source: 'Ward plan',
      expectedVersion: saved.version,
    });
    const own = (await caller.rates.overview()).series.find(
      (s) => s.wardId === wardId && s.measure === 'compliance',
    );
    expect(own?.target).toMatchObject({ wardId, value: 100, source: 'Ward plan' });
    const wardCell = (await caller.rates.overview()).series.find(
      (s) => s.wardId === wardId && s.measure === 'pneumonia',
    );
    expect(wardCell?.target?.source).toBe('Trust quality plan 2026');
    await expect(
      caller.rates.setTarget({
        measure: 'uti',
        wardId: null,
        value: 1,
        source: 'x',
        expectedVersion: saved.version,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const history = db.$client
      .prepare("SELECT version FROM settings_history WHERE key = 'rate_targets' ORDER BY version")
      .all() as { version: number }[];
    expect(history.map((h) => h.version)).toEqual([targetsVersion + 1, targetsVersion + 2]);
    const audit = db.$client
      .prepare("SELECT detail FROM audit_log WHERE action = 'rates.setTarget' ORDER BY id")
      .all() as { detail: string }[];
    expect(audit).toHaveLength(2);
    expect(audit[0]?.detail).toContain('Trust quality plan 2026');
  });
});

describe('rates.setTarget refusals', () => {
  it('refuses another role, a ward not assigned, a bad value or a missing source, changing nothing', async () => {
    const db = migratedMemoryDb();
    const a = makeWard(db, 'A ward');
    const b = makeWard(db, 'B ward');
    const manager = await makeUser(db, ['manager'], [a.wardId]);
    const nurse = await makeUser(db, ['nurse'], [a.wardId]);
    const caller = callerAs(db, manager, clock);
    const base = {
      measure: 'pneumonia',
      wardId: a.wardId,
      value: 2,
      source: 'NHSN',
      expectedVersion: 0,
    };
    await expect(callerAs(db, nurse, clock).rates.setTarget(base)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(caller.rates.setTarget({ ...base, wardId: b.wardId })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('wardId') as unknown,
    });
    await expect(caller.rates.setTarget({ ...base, measure: 'falls' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('measure') as unknown,
    });
    await expect(
      caller.rates.setTarget({ ...base, measure: 'compliance', value: 120 }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('value') as unknown,
    });
    await expect(caller.rates.setTarget({ ...base, source: '  ' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('source') as unknown,
    });
    await expect(caller.rates.setTarget({ ...base, source: 'NHSN\u202e' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('source') as unknown,
    });
    expect(
      db.$client.prepare("SELECT count(*) AS n FROM settings WHERE key = 'rate_targets'").get(),
    ).toEqual({ n: 0 });
    const saved = await caller.rates.setTarget(base);
    expect(saved.targets).toEqual([
      { measure: 'pneumonia', wardId: a.wardId, value: 2, source: 'NHSN' },
    ]);
    // Removing it is a new version too.
    const removed = await caller.rates.setTarget({ ...base, value: null, expectedVersion: 1 });
    expect(removed).toEqual({ version: 2, targets: [] });
  });
});
