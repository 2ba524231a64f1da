import { describe, expect, it } from 'vitest';
import type { OssiwatchDb } from '../db/client.ts';
import { admitPatient, callerAs, makeUser, makeWard, migratedMemoryDb } from '../test-support.ts';

const NOW = new Date('2026-03-15T12:00:00.000Z');
const clock = () => NOW;

/** A ward in winter (London = UTC), two patients, a pneumonia and a confirmed HO after a ROM fall. */
function arrange(db: OssiwatchDb) {
  const a = makeWard(db, 'A ward', 4);
  const b = makeWard(db, 'B ward', 4);
  const first = admitPatient(db, {
    wardId: a.wardId,
    bedId: a.bedIds[0] ?? null,
    name: 'Ada Secret',
    admittedAt: '2026-01-10T09:00:00.000Z',
  });
  const second = admitPatient(db, {
    wardId: a.wardId,
    bedId: a.bedIds[1] ?? null,
    name: 'Bob Hidden',
    admittedAt: '2026-02-01T09:00:00.000Z',
  });
  admitPatient(db, { wardId: b.wardId, admittedAt: '2026-01-20T09:00:00.000Z' });
  const c = db.$client;
  c.prepare(
    `INSERT INTO complications (patient_id, ward_id, kind, onset_at, present_on_admission)
     VALUES (?, ?, 'pneumonia', '2026-02-03T10:00:00.000Z', 0),
            (?, ?, 'pneumonia', '2026-02-04T10:00:00.000Z', 1)`,
  ).run(first, a.wardId, second, a.wardId);
  // Hip flexion falls from 110° to 85° (≥ 15°: a ROM decline, PRODUCT §3) on 2 Feb; the bone scan
  // is positive on 16 Feb: 14 days of lead time.
  const session = c.prepare('INSERT INTO rom_sessions (patient_id, taken_at) VALUES (?, ?)');
  const reading = c.prepare(
    `INSERT INTO rom_readings (session_id, patient_id, site, side, movement, mode, degrees, taken_at)
     VALUES (?, ?, 'hip', 'left', 'flexion', 'passive', ?, ?)`,
  );
  for (const [at, degrees] of [
    ['2026-01-26T10:00:00.000Z', 110],
    ['2026-02-02T10:00:00.000Z', 85],
  ] as const) {
    const id = Number(session.run(first, at).lastInsertRowid);
    reading.run(id, first, degrees, at);
  }
  c.prepare(
    `INSERT INTO imaging (patient_id, modality, site, side, result, taken_at)
     VALUES (?, 'bone_scan', 'hip', 'left', 'positive', '2026-02-16T10:00:00.000Z')`,
  ).run(first);
  return { a, b, first, second };
}

describe('rates.summary', () => {
  it('gives a manager patient-days, catheter-days and rates with intervals per ward and month', async () => {
    const db = migratedMemoryDb();
    const { a, b } = arrange(db);
    const manager = await makeUser(db, ['manager'], [a.wardId, b.wardId]);
    const summary = await callerAs(db, manager, clock).rates.summary({
      from: '2026-02-01',
      to: '2026-02-28',
      wardIds: [a.wardId],
    });
    expect(summary.wards).toEqual([{ id: a.wardId, name: 'A ward' }]);
    const feb = summary.rows.find((r) => r.wardId === a.wardId && r.month === '2026-02');
    // First patient on the ward at all 28 February midnights; the second from 2 Feb (27).
    expect(feb?.patientDays).toBe(28 + 27);
    expect(feb?.catheterDays).toBe(0);
    // Present-on-admission pneumonia is not hospital-acquired.
    expect(feb?.rates.pneumonia).toMatchObject({ numerator: 1, denominator: 55, per: 1000 });
    expect(feb?.rates.pneumonia.lower).toBeGreaterThan(0);
    expect(feb?.rates.pneumonia.upper).toBeGreaterThan(feb?.rates.pneumonia.value ?? Infinity);
    expect(feb?.rates.cauti.value).toBeNull();
    expect(feb?.rates.ho.numerator).toBe(1);
    expect(feb?.leadTimeDays).toMatchObject({ n: 1, median: 14 });
    expect(summary.uCharts.some((u) => u.wardId === a.wardId && u.rate === 'pneumonia')).toBe(true);
  });

  it('never names a patient', async () => {
    const db = migratedMemoryDb();
    const { a } = arrange(db);
    const manager = await makeUser(db, ['manager'], [a.wardId]);
    const summary = await callerAs(db, manager, clock).rates.summary({
      from: '2026-01-01',
      to: '2026-03-15',
    });
    const text = JSON.stringify(summary);
    expect(text).not.toContain('Secret');
    expect(text).not.toContain('Hidden');
    expect(text).not.toContain('MRN');
    expect(text).not.toContain('patientId');
  });

  it("covers only the caller's wards, and refuses a ward that is not theirs", async () => {
    const db = migratedMemoryDb();
    const { a, b } = arrange(db);
    const manager = await makeUser(db, ['manager'], [a.wardId]);
    const caller = callerAs(db, manager, clock);
    const summary = await caller.rates.summary({ from: '2026-01-01', to: '2026-01-31' });
    expect(new Set(summary.rows.map((r) => r.wardId))).toEqual(new Set([a.wardId]));
    await expect(
      caller.rates.summary({ from: '2026-01-01', to: '2026-01-31', wardIds: [b.wardId] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('is refused to clinical staff, before looking at the input', async () => {
    const db = migratedMemoryDb();
    const { a } = arrange(db);
    for (const role of ['nurse', 'therapist', 'physician'] as const) {
      const user = await makeUser(db, [role], [a.wardId]);
      await expect(
        // @ts-expect-error: a malformed input must still get FORBIDDEN, not BAD_REQUEST
        callerAs(db, user, clock).rates.summary({ from: 42 }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('accepts instants and refuses bad dates, reversed and over-long ranges', async () => {
    const db = migratedMemoryDb();
    const { a } = arrange(db);
    const admin = await makeUser(db, ['admin'], [a.wardId]);
    const caller = callerAs(db, admin, clock);
    const byInstant = await caller.rates.summary({
      from: '2026-02-01T00:00:00.000Z',
      to: '2026-02-28T23:00:00Z',
    });
    expect(byInstant.from).toBe('2026-02-01');
    expect(byInstant.to).toBe('2026-02-28');
    for (const input of [
      { from: '2026-02-30', to: '2026-03-01' },
      { from: 'yesterday', to: '2026-03-01' },
      { from: '2026-03-01', to: '2026-02-01' },
      { from: '2015-01-01', to: '2026-03-01' },
    ]) {
      await expect(caller.rates.summary(input)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

  it('finds a reading recorded after the first summary (the lead-time cache follows new readings)', async () => {
    const db = migratedMemoryDb();
    const { a, second } = arrange(db);
    const manager = await makeUser(db, ['manager'], [a.wardId]);
    const caller = callerAs(db, manager, clock);
    const range = { from: '2026-02-01', to: '2026-03-15', wardIds: [a.wardId] };
    const before = await caller.rates.summary(range);
    expect(before.rows.find((r) => r.month === 'all')?.leadTimeDays.n).toBe(1);
    const c = db.$client;
    for (const [at, degrees] of [
      ['2026-02-20T10:00:00.000Z', 120],
      ['2026-02-27T10:00:00.000Z', 90],
    ] as const) {
      const id = Number(
        c.prepare('INSERT INTO rom_sessions (patient_id, taken_at) VALUES (?, ?)').run(second, at)
          .lastInsertRowid,
      );
      c.prepare(
        `INSERT INTO rom_readings (session_id, patient_id, site, side, movement, mode, degrees, taken_at)
         VALUES (?, ?, 'knee', 'right', 'flexion', 'passive', ?, ?)`,
      ).run(id, second, degrees, at);
    }
    c.prepare(
      `INSERT INTO imaging (patient_id, modality, site, side, result, taken_at)
       VALUES (?, 'ultrasound', 'knee', 'right', 'positive', '2026-03-06T10:00:00.000Z')`,
    ).run(second);
    const after = await caller.rates.summary(range);
    expect(after.rows.find((r) => r.month === 'all')?.leadTimeDays).toMatchObject({
      n: 2,
      median: 10.5,
    });
  });
});
