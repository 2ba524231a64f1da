/**
 * The stored assessment of each patient. The HO watch is a pure function of (record, now, settings);
 * each write recomputes its patient in the same transaction, and the ward board reads the stored copy,
 * recomputing only rows whose `validUntil` has passed, since time alone moves some results (the
 * vigilance window opens on day 14, a patient becomes overdue 7 days after the last reading).
 */
import {
  assessPatient,
  bradenBand,
  bradenTotal,
  DEFAULT_HO_WATCH_SETTINGS,
  instantMs,
  parseHoWatchSettings,
  TIERS,
  type Assessment,
  type HoWatchSettings,
  type PatientRecord,
  type Tier,
  zoneCalendar,
} from '@ossiwatch/domain';
import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { DbOrTx, OssiwatchDb } from './db/client.ts';
import { patientAssessments, stays } from './db/schema.ts';
import { recordDailyTier, wardTimeZones } from './daily-tiers.ts';
import { loadPatientRecord } from './record.ts';
import { preparedStatement } from './statements.ts';
import { assessmentChanges } from './features/board/triage.ts';

/** The settings key of the HO watch thresholds. */
export const HO_WATCH_SETTINGS_KEY = 'ho_watch';

const selectSetting = preparedStatement<[string], { value: string }>(
  'SELECT value FROM settings WHERE key = ?',
);

/** The last stored settings text parsed, so that every write does not validate it again. */
let lastParsed: { readonly text: string; readonly settings: HoWatchSettings } | undefined;

/**
 * The HO watch settings in force: the stored ones (validated when saved, and again here so a stored
 * object from an older version gains new fields' defaults), or the domain's defaults.
 */
export function loadHoWatchSettings(db: DbOrTx): HoWatchSettings {
  const row = selectSetting(db).get(HO_WATCH_SETTINGS_KEY);
  if (!row) return DEFAULT_HO_WATCH_SETTINGS;
  if (lastParsed?.text === row.value) return lastParsed.settings;
  const parsed = parseHoWatchSettings(JSON.parse(row.value));
  const result = parsed.ok ? parsed.settings : DEFAULT_HO_WATCH_SETTINGS;
  lastParsed = { text: row.value, settings: result };
  return result;
}

/** What a board row shows besides the tier; refreshed with the assessment at every write. */
export interface BoardSummary {
  readonly latestJhHlm: { readonly code: string; readonly takenAt: string } | null;
  readonly latestFac: { readonly code: string; readonly takenAt: string } | null;
  readonly latestBraden: {
    readonly total: number;
    readonly band: string | null;
    readonly takenAt: string;
  } | null;
  readonly activeComplications: readonly {
    readonly id: number;
    readonly kind: string;
    readonly stage: string | null;
    readonly onsetAt: string;
  }[];
  /** Insertion time of the catheter in place, or null; catheter days are counted at read time. */
  readonly catheterSince: string | null;
}

function latest<T extends { takenAt: string; id: number }>(items: readonly T[]): T | undefined {
  return [...items].sort((a, b) => a.takenAt.localeCompare(b.takenAt) || a.id - b.id).at(-1);
}

export function boardSummaryOf(
  record: PatientRecord,
  now: Date,
  hoSettings: HoWatchSettings,
): BoardSummary {
  const nowIso = now.toISOString();
  const seen = <T extends { takenAt: string }>(items: readonly T[]) =>
    items.filter((item) => item.takenAt <= nowIso);
  const mobility = seen(record.mobility);
  const jhHlm = latest(mobility.filter((m) => m.scale === 'jh_hlm'));
  const fac = latest(mobility.filter((m) => m.scale === 'fac'));
  const bradenLatest = latest(seen(record.braden));
  const total = bradenLatest ? bradenTotal(bradenLatest) : null;
  const catheter = record.catheterEpisodes.find(
    (c) => c.insertedAt <= nowIso && (c.removedAt === null || c.removedAt > nowIso),
  );
  return {
    latestJhHlm: jhHlm ? { code: jhHlm.code, takenAt: jhHlm.takenAt } : null,
    latestFac: fac ? { code: fac.code, takenAt: fac.takenAt } : null,
    latestBraden:
      bradenLatest && total !== null
        ? {
            total,
            band: bradenBand(total, hoSettings.bradenBands)?.label ?? null,
            takenAt: bradenLatest.takenAt,
          }
        : null,
    activeComplications: record.complications
      .filter((c) => c.onsetAt <= nowIso && (c.resolvedAt === null || c.resolvedAt > nowIso))
      .map((c) => ({
        id: c.id,
        kind: c.kind,
        stage: c.kind === 'pressure_injury' ? c.stage : null,
        onsetAt: c.onsetAt,
      })),
    catheterSince: catheter?.insertedAt ?? null,
  };
}

/** The first instant after `nowMs` that starts a new calendar day in `timeZone`. */
export function nextLocalMidnight(nowMs: number, timeZone: string): number {
  const calendar = zoneCalendar(timeZone);
  const today = calendar.localDay(nowMs);
  // Days are 23 to 25 hours long; the first instant of tomorrow lies within 26 hours.
  let low = nowMs;
  let high = nowMs + 26 * 3_600_000;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (calendar.localDay(middle) > today) high = middle;
    else low = middle;
  }
  return high;
}

/**
 * The earliest instant at which time alone could change the assessment or the board summary. The
 * HO watch counts whole calendar days in the ward's time zone (days since injury, since the last
 * reading, since a nurse sign…), so its results move only at local midnight, or when an entry dated
 * in the future comes into view (a clock a few minutes ahead). The board recomputes a stored
 * assessment once this instant has passed.
 */
export function validUntilOf(record: PatientRecord, now: Date, timeZone: string): Date {
  const nowMs = now.getTime();
  let earliest = nextLocalMidnight(nowMs, timeZone);
  const consider = (instant: string | null | undefined): void => {
    if (!instant) return;
    const at = instantMs(instant);
    if (Number.isFinite(at) && at > nowMs) earliest = Math.min(earliest, at);
  };
  for (const f of record.injury.surgicalFractures) consider(f.fixedAt);
  for (const r of record.romReadings) consider(r.takenAt);
  for (const s of record.spasticity) consider(s.takenAt);
  for (const m of record.mobility) consider(m.takenAt);
  for (const b of record.braden) consider(b.takenAt);
  for (const o of record.jointObservations) consider(o.takenAt);
  for (const v of record.vitalsAndLabs) consider(v.takenAt);
  for (const i of record.imaging) consider(i.takenAt);
  for (const c of record.complications) {
    consider(c.onsetAt);
    consider(c.resolvedAt);
  }
  for (const c of record.catheterEpisodes) {
    consider(c.insertedAt);
    consider(c.removedAt);
  }
  for (const i of record.interventions) {
    switch (i.kind) {
      case 'nsaid':
      case 'etidronate':
      case 'physiotherapy':
        consider(i.startedAt);
        consider(i.stoppedAt);
        break;
      case 'radiation':
        consider(i.givenAt);
        break;
      case 'excision':
        consider(i.performedAt);
        break;
    }
  }
  return new Date(earliest);
}

/**
 * The settings a patient is assessed with: calendar days are counted in the time zone the
 * administrator set, or else in the time zone of the patient's ward (of their latest stay).
 */
function settingsWithZone(
  hoSettings: HoWatchSettings,
  latestStayWardZone: () => string | undefined,
): HoWatchSettings & { readonly timeZone: string } {
  if (hoSettings.timeZone) return { ...hoSettings, timeZone: hoSettings.timeZone };
  return { ...hoSettings, timeZone: latestStayWardZone() ?? 'UTC' };
}

const selectLatestStayZone = preparedStatement<[number], { timeZone: string }>(
  `SELECT wards.time_zone AS timeZone FROM stays JOIN wards ON wards.id = stays.ward_id
   WHERE stays.patient_id = ? ORDER BY stays.admitted_at DESC, stays.id DESC LIMIT 1`,
);

/**
 * The settings a patient is assessed with: calendar days are counted in the time zone the
 * administrator set, or else in the time zone of the patient's ward.
 */
export function settingsForPatient(
  db: DbOrTx,
  patientId: number,
  hoSettings: HoWatchSettings,
): HoWatchSettings & { readonly timeZone: string } {
  return settingsWithZone(hoSettings, () => selectLatestStayZone(db).get(patientId)?.timeZone);
}

export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

export interface StoredAssessment {
  readonly assessment: Assessment;
  readonly board: BoardSummary;
  readonly validUntil: string;
}

const deleteAssessment = preparedStatement<[number]>(
  'DELETE FROM patient_assessments WHERE patient_id = ?',
);
const upsertAssessment = preparedStatement<[number, Tier, number, string, string, string, string]>(
  `INSERT INTO patient_assessments
     (patient_id, tier, tier_rank, assessment, board, assessed_at, valid_until)
   VALUES (?, ?, ?, ?, ?, ?, ?)
   ON CONFLICT (patient_id) DO UPDATE SET tier = excluded.tier, tier_rank = excluded.tier_rank,
     assessment = excluded.assessment, board = excluded.board, assessed_at = excluded.assessed_at,
     valid_until = excluded.valid_until`,
);

const selectStoredAssessment = preparedStatement<[number], { assessment: string; board: string }>(
  'SELECT assessment, board FROM patient_assessments WHERE patient_id = ?',
);
const insertAssessmentChange = preparedStatement<[number, string, string, string]>(
  'INSERT INTO assessment_changes (patient_id, at, kind, detail) VALUES (?, ?, ?, ?)',
);

/**
 * Recomputes one patient's assessment at `now` and stores it; call inside the write's transaction.
 * Returns undefined (and removes any stored copy) for a patient without a record to assess.
 */
export function reassessPatient(
  tx: DbOrTx,
  patientId: number,
  now: Date,
  hoSettings: HoWatchSettings = loadHoWatchSettings(tx),
): StoredAssessment | undefined {
  const record = loadPatientRecord(tx, patientId);
  if (!record) {
    deleteAssessment(tx).run(patientId);
    return undefined;
  }
  // The record's stays are oldest first: the last is the latest, as settingsForPatient reads it.
  const zones = wardTimeZones(tx, record.stays);
  const patientSettings = settingsWithZone(hoSettings, () => {
    const latest = record.stays.at(-1);
    return latest ? zones.get(latest.wardId) : undefined;
  });
  const assessment = assessPatient(record, now.toISOString(), patientSettings);
  const board = boardSummaryOf(record, now, patientSettings);
  const validUntil = validUntilOf(record, now, patientSettings.timeZone).toISOString();
  // What became worse since the stored copy, kept with its instant so each person's board can tell
  // what is new since they last looked (PRODUCT §5) without keeping past versions of the record.
  const previous = selectStoredAssessment(tx).get(patientId);
  const changes = assessmentChanges(
    previous
      ? {
          assessment: JSON.parse(previous.assessment) as Assessment,
          board: JSON.parse(previous.board) as BoardSummary,
        }
      : undefined,
    { assessment, board },
  );
  const nowIso = now.toISOString();
  for (const change of changes) {
    insertAssessmentChange(tx).run(patientId, nowIso, change.kind, change.detail);
  }
  upsertAssessment(tx).run(
    patientId,
    assessment.tier,
    tierRank(assessment.tier),
    JSON.stringify(assessment),
    JSON.stringify(board),
    assessment.assessedAt,
    validUntil,
  );
  // The day's tier for ROM compliance (PRODUCT §4): rates need past days' tiers, not only today's.
  recordDailyTier(tx, record, assessment.tier, now, zones);
  return { assessment, board, validUntil };
}

/**
 * Recomputes the stored assessments among `patientIds` whose validity has run out (or that have none),
 * in one transaction; returns how many were recomputed.
 */
export function refreshStaleAssessments(
  db: OssiwatchDb,
  patientIds: readonly number[],
  now: Date,
): number {
  if (patientIds.length === 0) return 0;
  const nowIso = now.toISOString();
  const fresh = new Set(
    db
      .select({
        patientId: patientAssessments.patientId,
        validUntil: patientAssessments.validUntil,
      })
      .from(patientAssessments)
      .where(inArray(patientAssessments.patientId, [...patientIds]))
      .all()
      .filter((row) => row.validUntil > nowIso)
      .map((row) => row.patientId),
  );
  const stale = patientIds.filter((id) => !fresh.has(id));
  if (stale.length === 0) return 0;
  db.transaction((tx) => {
    const hoSettings = loadHoWatchSettings(tx);
    for (const patientId of stale) reassessPatient(tx, patientId, now, hoSettings);
  });
  return stale.length;
}

/**
 * Rebuilds the stored assessment of every patient with a current stay (and of any other patient that
 * has one stored), in batches of one transaction each; returns how many were assessed. For
 * `pnpm ossiwatch reassess` and after a settings change.
 */
export function reassessAll(db: OssiwatchDb, now: Date, batchSize = 200): number {
  const current = db
    .select({ patientId: stays.patientId })
    .from(stays)
    .where(isNull(stays.dischargedAt))
    .all()
    .map((row) => row.patientId);
  const stored = db
    .select({ patientId: patientAssessments.patientId })
    .from(patientAssessments)
    .all()
    .map((row) => row.patientId);
  const ids = [...new Set([...current, ...stored])].sort((a, b) => a - b);
  const hoSettings = loadHoWatchSettings(db);
  for (let start = 0; start < ids.length; start += batchSize) {
    const batch = ids.slice(start, start + batchSize);
    db.transaction((tx) => {
      for (const patientId of batch) reassessPatient(tx, patientId, now, hoSettings);
    });
  }
  return ids.length;
}

/**
 * Recomputes up to `limit` stored assessments of patients on a ward whose validity has run out,
 * oldest first; returns how many. The server runs this in small slices so that, after local
 * midnight, boards find their rows already fresh instead of recomputing a whole ward in one read.
 */
export function refreshExpiredAssessments(db: OssiwatchDb, now: Date, limit: number): number {
  // Patients on a ward only: a discharged patient's assessment is read rarely and refreshed then.
  const expired = db
    .select({ patientId: patientAssessments.patientId })
    .from(patientAssessments)
    .innerJoin(
      stays,
      and(eq(stays.patientId, patientAssessments.patientId), isNull(stays.dischargedAt)),
    )
    .where(lte(patientAssessments.validUntil, now.toISOString()))
    .orderBy(asc(patientAssessments.validUntil))
    .limit(limit)
    .all()
    .map((row) => row.patientId);
  return refreshStaleAssessments(db, expired, now);
}
