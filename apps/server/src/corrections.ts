/**
 * Corrections (PRODUCT §5; FHIR's `entered-in-error` status, ONC §170.315(d)(4) amendments): one write
 * path for every kind of clinical record. A record is never deleted or edited in place:
 *
 * - entered in error: the row stays, with who, when and why, and leaves every rule, assessment, board
 *   and rate (the loaders read only current rows: `CURRENT_RECORD`);
 * - amended: the row is kept as `superseded` (who, when, why) and a copy with the corrected values
 *   becomes the current version (`amended`, `supersedes` the old id).
 *
 * Either is allowed to the record's author and to a physician, refuses a stale version with CONFLICT,
 * and runs through `writePatient`: the assessment is recomputed in the same transaction, audited, and
 * the ward's boards are told.
 */
import {
  checkRomValue,
  FAC_LEVELS,
  GG_CODES,
  IMAGING_RESULTS,
  JH_HLM_LEVELS,
  MAS_CODES,
  NSAID_DRUGS,
  PRESSURE_INJURY_STAGES,
  VITAL_BOUNDS,
  type JointSite,
  type Movement,
} from '@ossiwatch/domain';
import { TRPCError } from '@trpc/server';
import { getTableColumns } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import {
  checkInstant,
  idInput,
  instantInput,
  requirePatientScope,
  versionConflict,
  writePatient,
  type SignedInContext,
} from './clinical.ts';
import type { DbOrTx, OssiwatchTx } from './db/client.ts';
import {
  braden,
  catheterEpisodes,
  complications,
  GRADE_SYSTEMS,
  hoDiagnoses,
  HO_DIAGNOSIS_FINDINGS,
  imaging,
  interventions,
  jointObservations,
  mobility,
  romReadings,
  spasticity,
  vitalsLabs,
} from './db/schema.ts';
import type { RecordStatus } from './db/schema/corrections.ts';
import type { WardEventKind } from './events.ts';
import { connectionOf } from './statements.ts';

export const RECORD_KINDS = [
  'rom',
  'spasticity',
  'mobility',
  'braden',
  'joint',
  'vital',
  'imaging',
  'diagnosis',
  'complication',
  'catheter',
  'intervention',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

interface KindSpec {
  readonly table: SQLiteTable;
  readonly sqlName: string;
  /** "This ROM reading": the subject of refusals. */
  readonly record: string;
  readonly event: WardEventKind;
  /** SQL for the author of a row (ROM readings are authored by their session's recorder). */
  readonly author: string;
}

const SPECS: Record<RecordKind, KindSpec> = {
  rom: {
    table: romReadings,
    sqlName: 'rom_readings',
    record: 'This ROM reading',
    event: 'rom',
    author:
      '(SELECT recorded_by FROM rom_sessions WHERE rom_sessions.id = rom_readings.session_id)',
  },
  spasticity: {
    table: spasticity,
    sqlName: 'spasticity',
    record: 'This Ashworth grade',
    event: 'therapy',
    author: 'recorded_by',
  },
  mobility: {
    table: mobility,
    sqlName: 'mobility',
    record: 'This mobility score',
    event: 'therapy',
    author: 'recorded_by',
  },
  braden: {
    table: braden,
    sqlName: 'braden',
    record: 'This Braden score',
    event: 'braden',
    author: 'recorded_by',
  },
  joint: {
    table: jointObservations,
    sqlName: 'joint_observations',
    record: 'This joint examination',
    event: 'nursing',
    author: 'recorded_by',
  },
  vital: {
    table: vitalsLabs,
    sqlName: 'vitals_labs',
    record: 'This vital sign or lab value',
    event: 'nursing',
    author: 'recorded_by',
  },
  imaging: {
    table: imaging,
    sqlName: 'imaging',
    record: 'This imaging study',
    event: 'imaging',
    author: 'recorded_by',
  },
  diagnosis: {
    table: hoDiagnoses,
    sqlName: 'ho_diagnoses',
    record: 'This diagnosis',
    event: 'diagnosis',
    author: 'recorded_by',
  },
  complication: {
    table: complications,
    sqlName: 'complications',
    record: 'This complication',
    event: 'complication',
    author: 'recorded_by',
  },
  catheter: {
    table: catheterEpisodes,
    sqlName: 'catheter_episodes',
    record: 'This catheter episode',
    event: 'catheter',
    author: 'recorded_by',
  },
  intervention: {
    table: interventions,
    sqlName: 'interventions',
    record: 'This treatment',
    event: 'intervention',
    author: 'recorded_by',
  },
};

/** The reason a person gives: required, short enough to read on the patient page. */
export const reasonInput = z
  .string()
  .trim()
  .min(3, 'say why (at least 3 characters)')
  .max(500, 'at most 500 characters');

/** A version the caller read, for optimistic concurrency. */
const versionInput = z.number().int().positive();

export const enterInErrorInput = z.strictObject({
  kind: z.enum(RECORD_KINDS),
  id: idInput,
  reason: reasonInput,
  version: versionInput,
});

const instantChange = instantInput;
const nullableInstantChange = instantInput.nullable();
const change = <T extends z.ZodRawShape>(shape: T) =>
  z
    .strictObject(shape)
    .partial()
    .refine((c) => Object.keys(c).length > 0, 'name at least one corrected value');

/** What each kind lets a correction change (identity fields such as site and side are not). */
export const CHANGE_INPUTS = {
  rom: change({ degrees: z.number().finite() }),
  spasticity: change({ grade: z.enum(MAS_CODES) }),
  mobility: change({ code: z.string().min(1).max(2) }),
  braden: change({
    sensoryPerception: z.number().int().min(1).max(4),
    moisture: z.number().int().min(1).max(4),
    activity: z.number().int().min(1).max(4),
    mobility: z.number().int().min(1).max(4),
    nutrition: z.number().int().min(1).max(4),
    frictionShear: z.number().int().min(1).max(3),
  }),
  joint: change({
    swelling: z.boolean().nullable(),
    warmth: z.boolean().nullable(),
    erythema: z.boolean().nullable(),
    pain: z.number().int().min(0).max(10).nullable(),
  }),
  vital: change({ value: z.number().finite() }),
  imaging: change({
    result: z.enum(IMAGING_RESULTS),
    gradeSystem: z.enum(GRADE_SYSTEMS).nullable(),
    grade: z.string().trim().min(1).max(500).nullable(),
  }),
  diagnosis: change({
    finding: z.enum(HO_DIAGNOSIS_FINDINGS),
    grade: z.string().trim().max(100).nullable(),
    note: z.string().trim().max(2000).nullable(),
  }),
  complication: change({
    onsetAt: instantChange,
    resolvedAt: nullableInstantChange,
    presentOnAdmission: z.boolean(),
    stage: z.enum(PRESSURE_INJURY_STAGES),
    bodySite: z.string().trim().min(1).max(100),
    deviceRelated: z.boolean(),
  }),
  catheter: change({ insertedAt: instantChange, removedAt: nullableInstantChange }),
  intervention: change({
    drug: z.enum(NSAID_DRUGS),
    doseMg: z.number().positive().max(5000),
    doseMgPerKgDay: z.number().positive().max(50),
    doseGy: z.number().positive().max(50),
    startedAt: instantChange,
    stoppedAt: nullableInstantChange,
  }),
} as const satisfies Record<RecordKind, z.ZodType>;

export const amendInput = z.discriminatedUnion(
  'kind',
  RECORD_KINDS.map((kind) =>
    z.strictObject({
      kind: z.literal(kind),
      id: idInput,
      reason: reasonInput,
      version: versionInput,
      changes: CHANGE_INPUTS[kind],
    }),
  ) as unknown as [
    z.ZodObject<{
      kind: z.ZodLiteral<RecordKind>;
      id: typeof idInput;
      reason: typeof reasonInput;
      version: typeof versionInput;
      changes: z.ZodType<Record<string, unknown>>;
    }>,
  ],
);
export type AmendInput = z.infer<typeof amendInput>;

interface StoredRow {
  readonly id: number;
  readonly patientId: number;
  readonly status: RecordStatus;
  readonly version: number;
  readonly author: number | null;
  readonly [column: string]: unknown;
}

/** Property name → SQL column name, for a table. */
function columnsOf(table: SQLiteTable): Map<string, string> {
  return new Map(Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name]));
}

function selectRow(db: DbOrTx, spec: KindSpec, id: number): StoredRow | undefined {
  const columns = [...columnsOf(spec.table)].map(([key, name]) => `${name} AS "${key}"`);
  return connectionOf(db)
    .prepare<[number], StoredRow>(
      `SELECT ${columns.join(', ')}, ${spec.author} AS author FROM ${spec.sqlName} WHERE id = ?`,
    )
    .get(id);
}

/** The patient a record belongs to, for the ward check (NOT_FOUND when there is no such record). */
function patientOfRecord(db: DbOrTx, spec: KindSpec, id: number): number {
  const row = connectionOf(db)
    .prepare<[number], { patientId: number }>(
      `SELECT patient_id AS patientId FROM ${spec.sqlName} WHERE id = ?`,
    )
    .get(id);
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `No such record (${spec.record}).` });
  return row.patientId;
}

const WITHDRAWN_WORDS: Partial<Record<RecordStatus, string>> = {
  'entered-in-error': 'was entered in error',
  superseded: 'was replaced by a corrected version',
};

/** CONFLICT when a row is no longer current: withdrawn rows stay as they are. */
export function refuseWithdrawn(record: string, status: RecordStatus): void {
  const words = WITHDRAWN_WORDS[status];
  if (words) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: `${record} ${words}; it can no longer be changed. Reload the record.`,
    });
  }
}

/** The checks before a correction: current, the version read, and the author or a physician. */
function checkCorrectable(
  ctx: SignedInContext,
  spec: KindSpec,
  row: StoredRow,
  expectedVersion: number | undefined,
): void {
  refuseWithdrawn(spec.record, row.status);
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw versionConflict(spec.record, row.version);
  }
  if (row.author !== ctx.user.id && !ctx.user.roles.includes('physician')) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `${spec.record} can be corrected only by the person who recorded it or by a physician.`,
    });
  }
}

/** Marks rows withdrawn inside a write; returns their new versions. */
function markWithdrawn(
  tx: OssiwatchTx,
  spec: KindSpec,
  ids: readonly number[],
  status: 'entered-in-error' | 'superseded',
  who: { userId: number; at: string; reason: string },
): void {
  const update = connectionOf(tx).prepare<[string, string, number, string, number]>(
    `UPDATE ${spec.sqlName} SET status = ?, status_reason = ?, status_by = ?, status_at = ?,
       version = version + 1 WHERE id = ?`,
  );
  for (const id of ids) update.run(status, who.reason, who.userId, who.at, id);
}

/**
 * Marks records of one patient entered in error (all of one kind), after the ward check and each
 * record's checks; one transaction, one audit row, one recomputed assessment, one live event.
 */
export async function enterInError(
  ctx: SignedInContext,
  input: {
    kind: RecordKind;
    ids: readonly number[];
    reason: string;
    versions?: readonly (number | undefined)[];
    action: string;
    detail?: Record<string, unknown>;
  },
) {
  const spec = SPECS[input.kind];
  const first = input.ids[0];
  if (first === undefined) throw new TRPCError({ code: 'BAD_REQUEST', message: 'id: missing' });
  const patientId = patientOfRecord(ctx.db, spec, first);
  const scope = requirePatientScope(ctx, patientId, input.action);
  return writePatient(ctx, { action: input.action, scope, kind: spec.event }, (tx) => {
    input.ids.forEach((id, index) => {
      const row = selectRow(tx, spec, id);
      if (!row || row.patientId !== patientId) {
        throw new TRPCError({ code: 'NOT_FOUND', message: `No such record (${spec.record}).` });
      }
      checkCorrectable(ctx, spec, row, input.versions?.[index]);
    });
    const at = ctx.now().toISOString();
    markWithdrawn(tx, spec, input.ids, 'entered-in-error', {
      userId: ctx.user.id,
      at,
      reason: input.reason,
    });
    return {
      result: { kind: input.kind, ids: [...input.ids], status: 'entered-in-error' as const },
      detail: { kind: input.kind, ids: input.ids, reason: input.reason, ...input.detail },
    };
  });
}

/** Checks of a correction that need the stored row (plausible ROM and vital values, coded scores). */
function checkChanges(kind: RecordKind, row: StoredRow, changes: Record<string, unknown>): void {
  const bad = (field: string, message: string): never => {
    throw new TRPCError({ code: 'BAD_REQUEST', message: `changes.${field}: ${message}` });
  };
  if (kind === 'rom' && typeof changes.degrees === 'number') {
    const problem = checkRomValue(row.site as JointSite, row.movement as Movement, changes.degrees);
    if (problem) bad('degrees', problem.message);
  }
  if (kind === 'vital' && typeof changes.value === 'number') {
    const bounds = VITAL_BOUNDS[row.kind as keyof typeof VITAL_BOUNDS];
    if (changes.value < bounds.min || changes.value > bounds.max) {
      bad(
        'value',
        `${String(row.kind)} of ${changes.value} ${bounds.unit} is outside the plausible range ${bounds.min}–${bounds.max} ${bounds.unit}`,
      );
    }
  }
  if (kind === 'mobility' && typeof changes.code === 'string') {
    const codes: readonly string[] =
      row.scale === 'jh_hlm' ? JH_HLM_LEVELS : row.scale === 'fac' ? FAC_LEVELS : GG_CODES;
    if (!codes.includes(changes.code)) {
      bad('code', `not a ${String(row.scale)} code; one of ${codes.join(', ')}`);
    }
  }
}

/** Copy columns: everything but the identity, the status and the version. */
const NOT_COPIED = new Set([
  'id',
  'status',
  'statusReason',
  'statusBy',
  'statusAt',
  'supersedes',
  'version',
  'recordedBy',
]);

/**
 * Writes a corrected version of one record: the old row becomes `superseded` (who, when, why) and a
 * copy with `changes` applied becomes the current one. A combination the table's own rules refuse
 * (a resolution before the onset, a grade system for the wrong joint) is a BAD_REQUEST.
 */
export async function amendRecord(ctx: SignedInContext, input: AmendInput, action: string) {
  const spec = SPECS[input.kind];
  const patientId = patientOfRecord(ctx.db, spec, input.id);
  const scope = requirePatientScope(ctx, patientId, action);
  const changes = input.changes;
  for (const [field, value] of Object.entries(changes)) {
    if (typeof value === 'string' && field.endsWith('At')) checkInstant(ctx, field, value);
  }
  return writePatient(ctx, { action, scope, kind: spec.event }, (tx) => {
    const row = selectRow(tx, spec, input.id);
    if (!row || row.patientId !== patientId) {
      throw new TRPCError({ code: 'NOT_FOUND', message: `No such record (${spec.record}).` });
    }
    checkCorrectable(ctx, spec, row, input.version);
    checkChanges(input.kind, row, changes);
    const at = ctx.now().toISOString();
    markWithdrawn(tx, spec, [row.id], 'superseded', {
      userId: ctx.user.id,
      at,
      reason: input.reason,
    });
    const columns = columnsOf(spec.table);
    const copied = [...columns].filter(([key]) => !NOT_COPIED.has(key)).map(([, name]) => name);
    const connection = connectionOf(tx);
    const newId = Number(
      connection
        .prepare(
          `INSERT INTO ${spec.sqlName} (${copied.join(', ')})
           SELECT ${copied.join(', ')} FROM ${spec.sqlName} WHERE id = ?`,
        )
        .run(row.id).lastInsertRowid,
    );
    const sets: string[] = ["status = 'amended'", 'supersedes = ?'];
    const values: unknown[] = [row.id];
    if (columns.has('recordedBy')) {
      sets.push('recorded_by = ?');
      values.push(ctx.user.id);
    }
    for (const [field, value] of Object.entries(changes)) {
      const name = columns.get(field);
      if (!name) continue;
      sets.push(`${name} = ?`);
      values.push(typeof value === 'boolean' ? Number(value) : value);
    }
    try {
      connection
        .prepare(`UPDATE ${spec.sqlName} SET ${sets.join(', ')} WHERE id = ?`)
        .run(...values, newId);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_CONSTRAINT_CHECK' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `changes: the corrected ${input.kind} record does not hold together (${String((error as Error).message).replace(/^CHECK constraint failed: /, '')})`,
        });
      }
      throw error;
    }
    return {
      result: { kind: input.kind, id: newId, supersedes: row.id, version: 1 },
      detail: {
        kind: input.kind,
        id: newId,
        supersedes: row.id,
        reason: input.reason,
        before: Object.fromEntries(Object.keys(changes).map((field) => [field, row[field]])),
        after: changes,
      },
    };
  });
}

/** The who/when/why of a row as lists show it (the name of the person, not an id). */
export interface StatusView {
  readonly status: RecordStatus;
  readonly version: number;
  readonly supersedes: number | null;
  readonly statusReason: string | null;
  readonly statusAt: string | null;
  readonly statusByName: string | null;
}

/** Status columns (and the withdrawing person's name) of a table's rows, by id. */
export function statusesOf(
  db: DbOrTx,
  kind: RecordKind,
  patientId: number,
): Map<number, StatusView> {
  const spec = SPECS[kind];
  const rows = connectionOf(db)
    .prepare<[number], StatusView & { id: number }>(
      `SELECT t.id, t.status, t.version, t.supersedes, t.status_reason AS statusReason,
         t.status_at AS statusAt, u.display_name AS statusByName
       FROM ${spec.sqlName} t LEFT JOIN users u ON u.id = t.status_by
       WHERE t.patient_id = ?`,
    )
    .all(patientId);
  return new Map(rows.map(({ id, ...view }) => [id, view]));
}

/**
 * Adds the status view to listed rows and leaves out superseded versions (shown on request through
 * `versionsOf`); entered-in-error rows stay in the list, to be shown struck through.
 */
export function withStatus<T extends { id: number }>(
  db: DbOrTx,
  kind: RecordKind,
  patientId: number,
  rows: readonly T[],
): (T & StatusView)[] {
  const statuses = statusesOf(db, kind, patientId);
  return rows.flatMap((row) => {
    const view = statuses.get(row.id);
    if (!view || view.status === 'superseded') return [];
    return [{ ...row, ...view }];
  });
}

/** Every version of a record, newest first: the row and the rows it superseded, one after another. */
export function versionsOf(
  db: DbOrTx,
  kind: RecordKind,
  id: number,
): { patientId: number; versions: (Record<string, unknown> & StatusView & { id: number })[] } {
  const spec = SPECS[kind];
  const patientId = patientOfRecord(db, spec, id);
  const statuses = statusesOf(db, kind, patientId);
  const versions: (Record<string, unknown> & StatusView & { id: number })[] = [];
  const hidden = new Set(['patientId', 'author', 'statusBy', ...NOT_COPIED]);
  let next: number | null = id;
  while (next !== null && versions.length < 100) {
    const row = selectRow(db, spec, next);
    const view = statuses.get(next);
    if (!row || !view) break;
    const values = Object.fromEntries(Object.entries(row).filter(([key]) => !hidden.has(key)));
    versions.push({ ...values, ...view, id: row.id });
    next = view.supersedes;
  }
  return { patientId, versions };
}
