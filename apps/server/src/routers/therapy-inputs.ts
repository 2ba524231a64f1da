/** Inputs shared by the therapist's procedures: scales stored as codes (CR §4), never bare numbers. */
import {
  FAC_LEVELS,
  GG_CODES,
  GG_ITEMS,
  JH_HLM_LEVELS,
  JOINT_SITES,
  MAS_CODES,
  SIDES,
} from '@ossiwatch/domain';
import { z } from 'zod';
import type { OssiwatchTx } from '../db/client.ts';
import { preparedStatement } from '../statements.ts';

export const spasticityInput = z.strictObject({
  site: z.enum(JOINT_SITES),
  side: z.enum(SIDES),
  grade: z.enum(MAS_CODES),
});

export const mobilityInput = z.discriminatedUnion('scale', [
  z.strictObject({ scale: z.literal('jh_hlm'), code: z.enum(JH_HLM_LEVELS) }),
  z.strictObject({ scale: z.literal('fac'), code: z.enum(FAC_LEVELS) }),
  z.strictObject({ scale: z.literal('gg'), item: z.enum(GG_ITEMS), code: z.enum(GG_CODES) }),
]);

export const spasticityListInput = z.array(spasticityInput).max(2 * JOINT_SITES.length);
export const mobilityListInput = z.array(mobilityInput).max(GG_ITEMS.length + 2);

const insertSpasticity = preparedStatement<[number, string, number, string, string, string]>(
  `INSERT INTO spasticity (patient_id, taken_at, recorded_by, site, side, grade)
   VALUES (?, ?, ?, ?, ?, ?)`,
);
const insertMobility = preparedStatement<[number, string, number, string, string | null, string]>(
  `INSERT INTO mobility (patient_id, taken_at, recorded_by, scale, item, code)
   VALUES (?, ?, ?, ?, ?, ?)`,
);

/** Inserts MAS grades and mobility codes taken at one time; returns their ids in input order. */
export function insertTherapyScales(
  tx: OssiwatchTx,
  patientId: number,
  takenAt: string,
  recordedBy: number,
  grades: readonly z.infer<typeof spasticityInput>[],
  levels: readonly z.infer<typeof mobilityInput>[],
): { spasticityIds: number[]; mobilityIds: number[] } {
  const spasticityIds = grades.map((grade) =>
    Number(
      insertSpasticity(tx).run(patientId, takenAt, recordedBy, grade.site, grade.side, grade.grade)
        .lastInsertRowid,
    ),
  );
  const mobilityIds = levels.map((level) =>
    Number(
      insertMobility(tx).run(
        patientId,
        takenAt,
        recordedBy,
        level.scale,
        level.scale === 'gg' ? level.item : null,
        level.code,
      ).lastInsertRowid,
    ),
  );
  return { spasticityIds, mobilityIds };
}
