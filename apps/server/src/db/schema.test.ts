import { describe, expect, it } from 'vitest';
import { migratedMemoryDb } from '../test-support.ts';

function seedPatient(db: ReturnType<typeof migratedMemoryDb>): void {
  db.$client.exec(`
    INSERT INTO wards (id, name) VALUES (1, 'A');
    INSERT INTO patients (id, mrn, name, date_of_birth, sex) VALUES (1, 'M1', 'Ann', '1970-01-02', 'female');
    INSERT INTO rom_sessions (id, patient_id, taken_at) VALUES (1, 1, '2026-01-01T10:00:00.000Z');
  `);
}

describe('the schema refuses what cannot be true', () => {
  it('refuses a movement the joint does not have and an unknown code', () => {
    const db = migratedMemoryDb();
    seedPatient(db);
    const insert = db.$client.prepare(
      `INSERT INTO rom_readings (session_id, patient_id, site, side, movement, mode, degrees, taken_at)
       VALUES (1, 1, ?, 'left', ?, 'passive', 90, '2026-01-01T10:00:00.000Z')`,
    );
    expect(() => insert.run('hip', 'flexion')).not.toThrow();
    expect(() => insert.run('knee', 'abduction')).toThrow(/rom_readings_site_has_movement/);
    expect(() => insert.run('wrist', 'flexion')).toThrow(/CHECK/);
  });

  it('refuses a Section GG code without its item and a Brooker grade on an elbow', () => {
    const db = migratedMemoryDb();
    seedPatient(db);
    expect(() =>
      db.$client.exec(
        `INSERT INTO mobility (patient_id, scale, item, code, taken_at) VALUES (1, 'gg', NULL, '03', '2026-01-01T10:00:00.000Z')`,
      ),
    ).toThrow(/mobility_code_fits_scale/);
    expect(() =>
      db.$client.exec(
        `INSERT INTO imaging (patient_id, modality, site, side, result, grade_system, grade, taken_at)
         VALUES (1, 'xray', 'elbow', 'left', 'positive', 'brooker', 'III', '2026-01-01T10:00:00.000Z')`,
      ),
    ).toThrow(/imaging_grade_fits_site/);
  });

  it('keeps one current stay per patient and one patient per bed', () => {
    const db = migratedMemoryDb();
    seedPatient(db);
    db.$client.exec(`
      INSERT INTO patients (id, mrn, name, date_of_birth, sex) VALUES (2, 'M2', 'Bob', '1960-05-06', 'male');
      INSERT INTO beds (id, ward_id, label) VALUES (1, 1, '01');
      INSERT INTO stays (patient_id, ward_id, bed_id, admitted_at) VALUES (1, 1, 1, '2026-01-01T10:00:00.000Z');
    `);
    // A second open stay overlaps the first: the overlap trigger (0010) refuses it before the
    // unique index would.
    expect(() =>
      db.$client.exec(
        `INSERT INTO stays (patient_id, ward_id, admitted_at) VALUES (1, 1, '2026-01-02T10:00:00.000Z')`,
      ),
    ).toThrow(/stays_overlap/);
    expect(() =>
      db.$client.exec(
        `INSERT INTO stays (patient_id, ward_id, bed_id, admitted_at) VALUES (2, 1, 1, '2026-01-02T10:00:00.000Z')`,
      ),
    ).toThrow(/UNIQUE/);
  });

  it('keeps the audit log append-only', () => {
    const db = migratedMemoryDb();
    const hash = 'a'.repeat(64);
    db.$client.exec(
      `INSERT INTO audit_log (at, action, category, outcome, prev_hash, hash)
       VALUES ('2026-01-01T10:00:00.000Z', 'auth.login', 'auth', 'success', '${'0'.repeat(64)}', '${hash}')`,
    );
    expect(() => db.$client.exec(`UPDATE audit_log SET action = 'x'`)).toThrow(/append-only/);
    expect(() => db.$client.exec(`DELETE FROM audit_log`)).toThrow(/append-only/);
  });
});
