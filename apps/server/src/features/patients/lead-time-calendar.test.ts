/**
 * Detection lead time finds the first ROM decline on the ward's calendar, as the assessments count
 * their look-back days, not on UTC days: on a ward in Auckland (UTC+13 in summer) a reading 28 local
 * days after the best one is inside the 28-day look-back, though 29 UTC days apart.
 */
import { describe, expect, it } from 'vitest';
import {
  admitPatient,
  callerAs,
  makeUser,
  makeWard,
  migratedMemoryDb,
} from '../../test-support.ts';

const NOW = new Date('2026-03-15T12:00:00.000Z');

describe('detection lead time on the ward calendar', () => {
  it('sees a decline 28 local days after the best reading (29 UTC days) and counts local days', async () => {
    const db = migratedMemoryDb();
    const { wardId } = makeWard(db, 'Auckland ward');
    db.$client.prepare("UPDATE wards SET time_zone = 'Pacific/Auckland' WHERE id = ?").run(wardId);
    const patientId = admitPatient(db, { wardId, admittedAt: '2026-01-02T09:00:00.000Z' });
    const session = db.$client.prepare(
      'INSERT INTO rom_sessions (patient_id, taken_at) VALUES (?, ?)',
    );
    const reading = db.$client.prepare(
      `INSERT INTO rom_readings (session_id, patient_id, site, side, movement, mode, degrees, taken_at)
       VALUES (?, ?, 'hip', 'left', 'flexion', 'passive', ?, ?)`,
    );
    for (const [at, degrees] of [
      // 10 Jan 00:30 in Auckland (9 Jan in UTC): the best.
      ['2026-01-09T11:30:00.000Z', 110],
      // 7 Feb 23:30 in Auckland (7 Feb in UTC): 25° lower, 28 local days later.
      ['2026-02-07T10:30:00.000Z', 85],
    ] as const) {
      reading.run(Number(session.run(patientId, at).lastInsertRowid), patientId, degrees, at);
    }
    // Positive bone scan on 20 Feb, 14:00 in Auckland.
    db.$client
      .prepare(
        `INSERT INTO imaging (patient_id, modality, site, side, result, taken_at)
         VALUES (?, 'bone_scan', 'hip', 'left', 'positive', '2026-02-20T01:00:00.000Z')`,
      )
      .run(patientId);
    const manager = callerAs(db, await makeUser(db, ['manager'], [wardId]), () => NOW);
    const summary = await manager.rates.summary({ from: '2026-02-01', to: '2026-02-28' });
    const all = summary.rows.find((r) => r.wardId === wardId && r.month === 'all');
    expect(all?.rates.ho.numerator).toBe(1);
    expect(all?.leadTimeDays).toMatchObject({ n: 1, median: 13 });
  });
});
