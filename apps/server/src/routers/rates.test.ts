import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OssiwatchDb } from '../db/client.ts';
import { admitPatient, callerAs, makeUser, makeWard, migratedMemoryDb } from '../test-support.ts';
import { forgetKeptRates } from './rates.ts';

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

  it('changes a past month at once after a backdated complication or catheter', async () => {
    const db = migratedMemoryDb();
    const { a, first } = arrange(db);
    const manager = await makeUser(db, ['manager'], [a.wardId]);
    const nurse = await makeUser(db, ['nurse'], [a.wardId]);
    const caller = callerAs(db, manager, clock);
    const range = { from: '2026-01-01', to: '2026-03-15', wardIds: [a.wardId] };
    const feb = (s: Awaited<ReturnType<typeof caller.rates.summary>>) =>
      s.rows.find((r) => r.month === '2026-02');
    const before = await caller.rates.summary(range);
    expect(feb(before)?.rates.uti.numerator).toBe(0);
    expect(feb(before)?.catheterDays).toBe(0);
    // Recorded today, both for February: a catheter in from 10 Feb, a UTI from 20 Feb.
    await callerAs(db, nurse, clock).nursing.insertCatheter({
      patientId: first,
      insertedAt: '2026-02-10T10:00:00.000Z',
    });
    const withCatheter = await caller.rates.summary(range);
    // Midnights 11–28 February (18); March's 1st to 15th too.
    expect(feb(withCatheter)?.catheterDays).toBe(18);
    expect(withCatheter.rows.find((r) => r.month === '2026-03')?.catheterDays).toBe(15);
    await callerAs(db, nurse, clock).complication.start({
      patientId: first,
      onsetAt: '2026-02-20T10:00:00.000Z',
      presentOnAdmission: false,
      complication: { kind: 'uti' },
    });
    const withUti = await caller.rates.summary(range);
    expect(feb(withUti)?.rates.uti.numerator).toBe(1);
    // In place for more than 2 calendar days: catheter-associated (CR §5.4).
    expect(feb(withUti)?.rates.cauti).toMatchObject({ numerator: 1, denominator: 18 });
    // A write by another connection or process (no application code) is seen as well.
    db.$client
      .prepare(
        `INSERT INTO complications (patient_id, ward_id, kind, onset_at, present_on_admission)
         VALUES (?, ?, 'pneumonia', '2026-02-25T10:00:00.000Z', 0)`,
      )
      .run(first, a.wardId);
    const withPneumonia = await caller.rates.summary(range);
    expect(feb(withPneumonia)?.rates.pneumonia.numerator).toBe(2);
    db.$client
      .prepare("DELETE FROM complications WHERE onset_at = '2026-02-25T10:00:00.000Z'")
      .run();
    expect(feb(await caller.rates.summary(range))?.rates.pneumonia.numerator).toBe(1);
  });

  it('finds a backdated reading before a confirmation already known (the lead time moves)', async () => {
    const db = migratedMemoryDb();
    const { a, first } = arrange(db);
    const manager = await makeUser(db, ['manager'], [a.wardId]);
    const caller = callerAs(db, manager, clock);
    const range = { from: '2026-02-01', to: '2026-03-15', wardIds: [a.wardId] };
    const all = (s: Awaited<ReturnType<typeof caller.rates.summary>>) =>
      s.rows.find((r) => r.month === 'all');
    expect(all(await caller.rates.summary(range))?.leadTimeDays).toMatchObject({ median: 14 });
    // A fall from 110° to 90° on 27 January, entered late: the first alert is now 20 days before.
    const c = db.$client;
    const id = Number(
      c
        .prepare('INSERT INTO rom_sessions (patient_id, taken_at) VALUES (?, ?)')
        .run(first, '2026-01-27T10:00:00.000Z').lastInsertRowid,
    );
    c.prepare(
      `INSERT INTO rom_readings (session_id, patient_id, site, side, movement, mode, degrees, taken_at)
       VALUES (?, ?, 'hip', 'left', 'flexion', 'passive', 90, '2026-01-27T10:00:00.000Z')`,
    ).run(id, first);
    expect(all(await caller.rates.summary(range))?.leadTimeDays).toMatchObject({ median: 20 });
  });

  it('counts what the clock brings: a discharge recorded ahead, and each new midnight', async () => {
    const db = migratedMemoryDb();
    const { a, second } = arrange(db);
    const manager = await makeUser(db, ['manager'], [a.wardId]);
    db.$client
      .prepare("UPDATE stays SET discharged_at = '2026-03-15T14:00:00.000Z' WHERE patient_id = ?")
      .run(second);
    const range = { from: '2026-03-01', to: '2026-03-31', wardIds: [a.wardId] };
    const at = (instant: string) =>
      callerAs(db, manager, () => new Date(instant)).rates.summary(range);
    const march = (s: Awaited<ReturnType<typeof at>>) => s.rows.find((r) => r.month === 'all');
    const noon = march(await at('2026-03-15T12:00:00.000Z'));
    expect(noon?.discharges).toBe(0);
    // Both patients at the midnights of 1–15 March.
    expect(noon?.patientDays).toBe(30);
    expect(march(await at('2026-03-15T15:00:00.000Z'))?.discharges).toBe(1);
    // The first patient stays: one more midnight on the 16th.
    expect(march(await at('2026-03-16T00:30:00.000Z'))?.patientDays).toBe(31);
  });

  it('counts ROM compliance from the day tiers recorded after the first summary', async () => {
    const db = migratedMemoryDb();
    const { a, first } = arrange(db);
    const manager = await makeUser(db, ['manager'], [a.wardId]);
    const caller = callerAs(db, manager, clock);
    const range = { from: '2026-03-01', to: '2026-03-15', wardIds: [a.wardId] };
    const before = await caller.rates.summary(range);
    expect(before.complianceAvailable).toBe(false);
    expect(before.rows.find((r) => r.month === '2026-03')?.rates.compliance.value).toBeNull();
    db.$client
      .prepare(
        `INSERT INTO daily_tiers (patient_id, ward_id, date, tier, had_rom_within_7_days)
         VALUES (?, ?, '2026-03-13', 'low', 0), (?, ?, '2026-03-14', 'high', 1),
                (?, ?, '2026-03-15', 'alert', 0)`,
      )
      .run(first, a.wardId, first, a.wardId, first, a.wardId);
    const after = await caller.rates.summary(range);
    expect(after.complianceFrom).toBe('2026-03-13');
    expect(after.rows.find((r) => r.month === '2026-03')?.rates.compliance).toMatchObject({
      numerator: 1,
      denominator: 2,
      value: 50,
    });
    expect(after.hospital.find((r) => r.month === 'all')?.rates.compliance.denominator).toBe(2);
  });

  it('after writes on some wards, counts the same as counting everything again', async () => {
    const db = migratedMemoryDb();
    const { a, b, first, second } = arrange(db);
    const manager = await makeUser(db, ['manager'], [a.wardId, b.wardId]);
    const caller = callerAs(db, manager, clock);
    const range = { from: '2026-01-01', to: '2026-03-15' };
    await caller.rates.summary(range);
    const c = db.$client;
    const third = admitPatient(db, { wardId: b.wardId, admittedAt: '2026-02-05T09:00:00.000Z' });
    c.prepare(
      `INSERT INTO catheter_episodes (patient_id, ward_id, inserted_at, removed_at)
       VALUES (?, ?, '2026-02-06T10:00:00.000Z', '2026-02-20T10:00:00.000Z')`,
    ).run(third, b.wardId);
    c.prepare(
      `INSERT INTO complications (patient_id, ward_id, kind, onset_at, present_on_admission, stage,
         body_site, device_related)
       VALUES (?, ?, 'uti', '2026-02-12T10:00:00.000Z', 0, NULL, NULL, NULL),
              (?, ?, 'pressure_injury', '2026-02-14T10:00:00.000Z', 0, '3', 'sacrum', 0)`,
    ).run(third, b.wardId, second, a.wardId);
    c.prepare(
      "UPDATE stays SET discharged_at = '2026-03-01T10:00:00.000Z' WHERE patient_id = ?",
    ).run(second);
    c.prepare(
      `INSERT INTO imaging (patient_id, modality, site, side, result, taken_at)
       VALUES (?, 'ultrasound', 'knee', 'left', 'positive', '2026-02-25T10:00:00.000Z')`,
    ).run(third);
    c.prepare("DELETE FROM complications WHERE patient_id = ? AND kind = 'pneumonia'").run(first);
    const brought = await caller.rates.summary(range);
    forgetKeptRates(db);
    const counted = await caller.rates.summary(range);
    expect(brought).toEqual(counted);
    const all = brought.hospital.find((r) => r.month === 'all');
    expect(all?.rates.cauti.numerator).toBe(1);
    expect(all?.rates.hapiStays).toMatchObject({ numerator: 1, denominator: 1 });
    expect(all?.rates.pneumonia.numerator).toBe(0);
    expect(all?.rates.ho.numerator).toBe(2);
  });

  it('keeps the per-ward, per-date high/alert counts equal to the day tiers through any writes', () => {
    const db = migratedMemoryDb();
    const { a, b, first, second } = arrange(db);
    const c = db.$client;
    // The same statement as src/daily-tiers.ts: a day keeps its highest tier.
    const upsert = c.prepare(
      `INSERT INTO daily_tiers (patient_id, ward_id, date, tier, had_rom_within_7_days)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (patient_id, date) DO UPDATE SET tier = excluded.tier,
         had_rom_within_7_days = max(excluded.had_rom_within_7_days, daily_tiers.had_rom_within_7_days)`,
    );
    const remove = c.prepare('DELETE FROM daily_tiers WHERE patient_id = ? AND date = ?');
    const move = c.prepare('UPDATE daily_tiers SET ward_id = ? WHERE patient_id = ? AND date = ?');
    const write = fc.record({
      op: fc.constantFrom('upsert', 'upsert', 'remove', 'move'),
      patient: fc.constantFrom(first, second),
      ward: fc.constantFrom(a.wardId, b.wardId),
      date: fc.constantFrom('2026-03-01', '2026-03-02', '2026-03-03'),
      tier: fc.constantFrom('low', 'elevated', 'high', 'alert'),
      rom: fc.constantFrom(0, 1),
    });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 12 }), (writes) => {
        c.prepare('DELETE FROM daily_tiers').run();
        for (const w of writes) {
          if (w.op === 'upsert') upsert.run(w.patient, w.ward, w.date, w.tier, w.rom);
          else if (w.op === 'remove') remove.run(w.patient, w.date);
          else move.run(w.ward, w.patient, w.date);
        }
        const kept = c
          .prepare(
            `SELECT ward_id, date, days, rom_days FROM daily_tier_counts WHERE days > 0
             ORDER BY ward_id, date`,
          )
          .all();
        const recounted = c
          .prepare(
            `SELECT ward_id, date, count(*) AS days, sum(had_rom_within_7_days) AS rom_days
             FROM daily_tiers WHERE tier IN ('alert', 'high') GROUP BY ward_id, date
             ORDER BY ward_id, date`,
          )
          .all();
        expect(kept).toEqual(recounted);
      }),
      { numRuns: 60 },
    );
  });
});

describe('rates and records entered in error', () => {
  /** A catheter from 5 to 15 Feb with a UTI on it (a CAUTI) and a hospital-acquired pressure injury. */
  function withCatheterAndComplications(db: OssiwatchDb, patientId: number, wardId: number) {
    const c = db.$client;
    const catheterId = Number(
      c
        .prepare(
          `INSERT INTO catheter_episodes (patient_id, ward_id, inserted_at, removed_at)
           VALUES (?, ?, '2026-02-05T10:00:00.000Z', '2026-02-15T10:00:00.000Z')`,
        )
        .run(patientId, wardId).lastInsertRowid,
    );
    const utiId = Number(
      c
        .prepare(
          `INSERT INTO complications (patient_id, ward_id, kind, onset_at, present_on_admission)
           VALUES (?, ?, 'uti', '2026-02-10T10:00:00.000Z', 0)`,
        )
        .run(patientId, wardId).lastInsertRowid,
    );
    return { catheterId, utiId };
  }

  it('leaves numerators and denominators: the figures equal those computed without the records', async () => {
    const range = { from: '2026-01-01', to: '2026-03-15' };
    const withRecords = migratedMemoryDb();
    const { a, first } = arrange(withRecords);
    const { catheterId, utiId } = withCatheterAndComplications(withRecords, first, a.wardId);
    const manager = callerAs(
      withRecords,
      await makeUser(withRecords, ['manager'], [a.wardId]),
      clock,
    );
    const physician = callerAs(
      withRecords,
      await makeUser(withRecords, ['physician'], [a.wardId]),
      clock,
    );
    const counted = await manager.rates.summary(range);
    const feb = (s: typeof counted) =>
      s.rows.find((r) => r.wardId === a.wardId && r.month === '2026-02');
    // The records count before they are withdrawn (so the comparison below can fail).
    expect(feb(counted)?.catheterDays).toBeGreaterThan(0);
    expect(feb(counted)?.rates.cauti.numerator).toBe(1);

    for (const [kind, id] of [
      ['catheter', catheterId],
      ['complication', utiId],
    ] as const) {
      await physician.records.enterInError({ kind, id, version: 1, reason: 'wrong patient' });
    }
    const withdrawn = await manager.rates.summary(range);

    const without = migratedMemoryDb();
    const other = arrange(without);
    const managerWithout = await makeUser(without, ['manager'], [other.a.wardId]);
    const reference = await callerAs(without, managerWithout, clock).rates.summary(range);
    expect(feb(withdrawn)?.catheterDays).toBe(0);
    // ROM compliance counts the day tiers the corrections' reassessment wrote (the reference had no
    // write); every other figure must be the same.
    const figures = (s: typeof counted) =>
      s.rows.map(({ rates: { compliance: _c, ...rates }, ...row }) => ({ ...row, rates }));
    expect(figures(withdrawn)).toEqual(figures(reference));
    expect(figures(counted)).not.toEqual(figures(reference));
    expect(withdrawn.uCharts.filter((u) => u.rate !== 'compliance')).toEqual(
      reference.uCharts.filter((u) => u.rate !== 'compliance'),
    );
  });

  it('a ROM reading or an imaging study entered in error leaves the lead time and the HO count', async () => {
    const db = migratedMemoryDb();
    const { a } = arrange(db);
    const manager = callerAs(db, await makeUser(db, ['manager'], [a.wardId]), clock);
    const physician = callerAs(db, await makeUser(db, ['physician'], [a.wardId]), clock);
    const range = { from: '2026-02-01', to: '2026-02-28', wardIds: [a.wardId] };
    const feb = (s: Awaited<ReturnType<typeof manager.rates.summary>>) =>
      s.rows.find((r) => r.month === '2026-02');
    expect(feb(await manager.rates.summary(range))?.leadTimeDays).toMatchObject({
      n: 1,
      median: 14,
    });
    const fall = db.$client.prepare('SELECT id FROM rom_readings WHERE degrees = 85').get() as {
      id: number;
    };
    await physician.records.enterInError({ kind: 'rom', id: fall.id, version: 1, reason: 'typo' });
    const afterRom = await manager.rates.summary(range);
    // Without the fall no alert preceded the confirmation: no lead time to count.
    expect(feb(afterRom)?.leadTimeDays).toMatchObject({ n: 0, median: null });
    const scan = db.$client.prepare('SELECT id FROM imaging').get() as { id: number };
    await physician.records.enterInError({
      kind: 'imaging',
      id: scan.id,
      version: 1,
      reason: 'other patient',
    });
    const afterScan = await manager.rates.summary(range);
    expect(feb(afterScan)?.rates.ho.numerator).toBe(0);
  });
});
