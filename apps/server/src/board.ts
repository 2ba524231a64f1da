/** The ward board: one row per patient on the ward, highest tier first, then by bed. */
import {
  zoneCalendar,
  type Assessment,
  type HoState,
  type Reason,
  type Tier,
} from '@ossiwatch/domain';
import { and, eq, isNull } from 'drizzle-orm';
import {
  loadHoWatchSettings,
  nextLocalMidnight,
  refreshStaleAssessments,
  type BoardSummary,
} from './assessments.ts';
import type { OssiwatchDb } from './db/client.ts';
import { beds, injuries, patientAssessments, patients, stays, wards } from './db/schema.ts';
import { needsRecheck, strongestFinding } from './features/board/triage.ts';
import { preparedStatement } from './statements.ts';

export interface BoardReason {
  readonly rule: string;
  readonly detail: string;
  readonly evidence: Reason['evidence'];
  readonly site?: Reason['site'];
  readonly side?: Reason['side'];
}

export interface BoardRow {
  readonly patientId: number;
  readonly bed: string | null;
  readonly name: string;
  readonly initials: string;
  readonly age: number;
  readonly sex: string;
  readonly injuryType: string | null;
  readonly daysSinceInjury: number | null;
  readonly admittedAt: string;
  readonly tier: Tier;
  readonly reasons: readonly BoardReason[];
  /** Joint sites not in state `none`. */
  readonly sites: readonly { site: string; side: string; state: HoState }[];
  readonly latestJhHlm: BoardSummary['latestJhHlm'];
  readonly latestFac: BoardSummary['latestFac'];
  readonly latestBraden: BoardSummary['latestBraden'];
  readonly activeComplications: BoardSummary['activeComplications'];
  /** Calendar days (ward time) since the catheter in place went in (0 on its first day), or null. */
  readonly catheterDays: number | null;
  readonly overdue: boolean;
  readonly inVigilanceWindow: boolean;
  readonly lastRomAt: string | null;
  readonly advisories: number;
  readonly assessedAt: string | null;
  /** The strongest finding in one line (PRODUCT §5: each row leads with it), or null. */
  readonly finding: string | null;
  /** The first advisory's words, or null. */
  readonly advisory: string | null;
  /** Latest Braden at or below the board's threshold (CR §5.3), with its band; else null. */
  readonly pressureRisk: { readonly total: number; readonly band: string | null } | null;
  /** A catheter in place for at least the review interval (CR §5.4: CAUTI prevention). */
  readonly catheterReview: boolean;
  /** A falling ROM reading waits to be measured again (rule `rom_recheck`). */
  readonly recheck: boolean;
  /** What became worse lately, newest first (the last CHANGE_HORIZON_DAYS, at most 10). */
  readonly changes: readonly BoardChange[];
  /** The acknowledgement of this row that still holds (nothing new since it), or null. */
  readonly acknowledgement: BoardAcknowledgement | null;
  /** The version of the patient's acknowledgement record (0: none yet), for the next one. */
  readonly acknowledgementVersion: number;
}

export interface BoardChange {
  readonly at: string;
  readonly kind: string;
  readonly detail: string;
}

export interface BoardAcknowledgement {
  readonly by: string;
  readonly at: string;
  readonly note: string;
}

/** How far back a board lists changes: longer than any nurse's absence between two shifts. */
export const CHANGE_HORIZON_DAYS = 14;
const MAX_CHANGES_PER_ROW = 10;

/** Whole years between a date of birth (YYYY-MM-DD) and an instant's UTC date. */
export function ageOn(dateOfBirth: string, now: Date): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const years = now.getUTCFullYear() - y;
  const beforeBirthday =
    now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d);
  return beforeBirthday ? years - 1 : years;
}

/** "Ann Marie Smith" → "AMS": what the wall mode shows instead of a name. */
export function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('')
    .slice(0, 4);
}

function currentRows(db: OssiwatchDb, wardId: number) {
  return db
    .select({
      patientId: stays.patientId,
      bed: beds.label,
      admittedAt: stays.admittedAt,
      name: patients.name,
      dateOfBirth: patients.dateOfBirth,
      sex: patients.sex,
      injuryType: injuries.type,
      tierRank: patientAssessments.tierRank,
      assessment: patientAssessments.assessment,
      board: patientAssessments.board,
      validUntil: patientAssessments.validUntil,
    })
    .from(stays)
    .innerJoin(patients, eq(patients.id, stays.patientId))
    .leftJoin(beds, eq(beds.id, stays.bedId))
    .leftJoin(injuries, eq(injuries.patientId, stays.patientId))
    .leftJoin(patientAssessments, eq(patientAssessments.patientId, stays.patientId))
    .where(and(eq(stays.wardId, wardId), isNull(stays.dischargedAt)))
    .all();
}

/**
 * Beds in natural order ("SIU-2" before "SIU-10"). One collator for every board: `localeCompare` with
 * options builds a new one per comparison, which cost more than the board's SQL (benchmark profile).
 */
export const bedOrder = new Intl.Collator('en', { numeric: true });

/**
 * The board of one ward at `now`. Stored assessments whose validity has run out are recomputed (and
 * stored) first, so time-dependent flags (vigilance window, overdue) are right at read time.
 */
export function wardBoard(db: OssiwatchDb, wardId: number, now: Date): WardBoard | undefined {
  return wardBoardUntil(db, wardId, now)?.board;
}

export interface WardBoard {
  readonly ward: { id: number; name: string; timeZone: string };
  readonly patients: BoardRow[];
}

/** The first instant after `nowMs` at which the UTC date changes (ages are counted in UTC dates). */
function nextUtcMidnight(nowMs: number): number {
  return (Math.floor(nowMs / 86_400_000) + 1) * 86_400_000;
}

/**
 * The board at `now`, and the first instant at which time alone could change it: the earliest
 * validity of its stored assessments, the ward's next local midnight (catheter days) and the next UTC
 * midnight (ages). Until then only a write can change it.
 */
const selectWardChanges = preparedStatement<
  [number, string],
  { patientId: number; at: string; kind: string; detail: string }
>(
  `SELECT c.patient_id AS patientId, c.at, c.kind, c.detail
   FROM stays s JOIN assessment_changes c ON c.patient_id = s.patient_id
   WHERE s.ward_id = ? AND s.discharged_at IS NULL AND c.at >= ?
   ORDER BY c.at DESC, c.id DESC`,
);
const selectWardAcknowledgements = preparedStatement<
  [number],
  {
    patientId: number;
    version: number;
    byName: string;
    note: string;
    acknowledgedAt: string;
    latestChangeAt: string | null;
  }
>(
  `SELECT a.patient_id AS patientId, a.version, a.by_name AS byName, a.note,
     a.acknowledged_at AS acknowledgedAt,
     (SELECT max(c.at) FROM assessment_changes c WHERE c.patient_id = a.patient_id) AS latestChangeAt
   FROM stays s JOIN board_acknowledgements a ON a.patient_id = s.patient_id
   WHERE s.ward_id = ? AND s.discharged_at IS NULL`,
);

/** Whether an acknowledgement still quiets its row: an Alert or High row with nothing new since. */
export function acknowledgementHolds(
  tier: Tier,
  acknowledgedAt: string,
  latestChangeAt: string | null,
): boolean {
  return (
    (tier === 'alert' || tier === 'high') &&
    (latestChangeAt === null || latestChangeAt <= acknowledgedAt)
  );
}

export function wardBoardUntil(
  db: OssiwatchDb,
  wardId: number,
  now: Date,
): { board: WardBoard; validUntilMs: number } | undefined {
  const ward = db
    .select({ id: wards.id, name: wards.name, timeZone: wards.timeZone })
    .from(wards)
    .where(eq(wards.id, wardId))
    .get();
  if (!ward) return undefined;
  const nowIso = now.toISOString();
  let rows = currentRows(db, wardId);
  const stale = rows
    .filter((row) => row.validUntil === null || row.validUntil <= nowIso)
    .map((row) => row.patientId);
  if (stale.length > 0 && refreshStaleAssessments(db, stale, now) > 0) {
    rows = currentRows(db, wardId);
  }
  const nowMs = now.getTime();
  let validUntilMs = Math.min(nextLocalMidnight(nowMs, ward.timeZone), nextUtcMidnight(nowMs));
  for (const row of rows) {
    // A row still without a valid assessment makes the board good for this instant only.
    validUntilMs = Math.min(
      validUntilMs,
      row.validUntil === null ? nowMs : Date.parse(row.validUntil),
    );
  }
  const calendar = zoneCalendar(ward.timeZone);
  // The board's thresholds are HO watch settings (admin-editable, versioned, audited).
  const boardSettings = loadHoWatchSettings(db);
  const catheterReviewMs = boardSettings.catheterReviewHours * 3_600_000;
  const changesByPatient = new Map<number, BoardChange[]>();
  const horizon = new Date(nowMs - CHANGE_HORIZON_DAYS * 86_400_000).toISOString();
  for (const change of selectWardChanges(db).all(wardId, horizon)) {
    const list = changesByPatient.get(change.patientId) ?? [];
    if (list.length < MAX_CHANGES_PER_ROW) {
      list.push({ at: change.at, kind: change.kind, detail: change.detail });
    }
    changesByPatient.set(change.patientId, list);
  }
  const acknowledgements = new Map(
    selectWardAcknowledgements(db)
      .all(wardId)
      .map((row) => [row.patientId, row]),
  );
  const patientsOnBoard = rows.map((row): BoardRow & { tierRank: number } => {
    const assessment = row.assessment as Assessment | null;
    const board = row.board as BoardSummary | null;
    const catheterSince = board?.catheterSince ?? null;
    const catheterReviewAt = catheterSince ? Date.parse(catheterSince) + catheterReviewMs : null;
    // The board changes when a catheter reaches its review time.
    if (catheterReviewAt !== null && catheterReviewAt > nowMs) {
      validUntilMs = Math.min(validUntilMs, catheterReviewAt);
    }
    const tier = assessment?.tier ?? 'low';
    const latestBraden = board?.latestBraden ?? null;
    const acknowledged = acknowledgements.get(row.patientId);
    return {
      patientId: row.patientId,
      bed: row.bed,
      name: row.name,
      initials: initialsOf(row.name),
      age: ageOn(row.dateOfBirth, now),
      sex: row.sex,
      injuryType: row.injuryType,
      daysSinceInjury: assessment?.daysSinceInjury ?? null,
      admittedAt: row.admittedAt,
      tier,
      tierRank: row.tierRank ?? 3,
      reasons: (assessment?.reasons ?? []).map((reason) => ({
        rule: reason.rule,
        detail: reason.detail,
        evidence: reason.evidence,
        ...(reason.site ? { site: reason.site, side: reason.side } : {}),
      })),
      sites: (assessment?.sites ?? [])
        .filter((site) => site.state !== 'none')
        .map((site) => ({ site: site.site, side: site.side, state: site.state })),
      latestJhHlm: board?.latestJhHlm ?? null,
      latestFac: board?.latestFac ?? null,
      latestBraden: board?.latestBraden ?? null,
      activeComplications: board?.activeComplications ?? [],
      catheterDays: catheterSince
        ? Math.max(
            0,
            calendar.localDay(now.getTime()) - calendar.localDay(Date.parse(catheterSince)),
          )
        : null,
      overdue: assessment?.flags.includes('overdue') ?? false,
      inVigilanceWindow: assessment?.flags.includes('in_vigilance_window') ?? false,
      lastRomAt: assessment?.lastRomAt ?? null,
      advisories: assessment?.advisories.length ?? 0,
      assessedAt: assessment?.assessedAt ?? null,
      finding: assessment ? strongestFinding(assessment.reasons) : null,
      advisory: assessment?.advisories[0]?.text ?? null,
      pressureRisk:
        latestBraden && latestBraden.total <= boardSettings.pressureRiskBradenMax
          ? { total: latestBraden.total, band: latestBraden.band }
          : null,
      catheterReview: catheterReviewAt !== null && catheterReviewAt <= nowMs,
      recheck: assessment ? needsRecheck(assessment) : false,
      changes: changesByPatient.get(row.patientId) ?? [],
      acknowledgement:
        acknowledged &&
        acknowledgementHolds(tier, acknowledged.acknowledgedAt, acknowledged.latestChangeAt)
          ? {
              by: acknowledged.byName,
              at: acknowledged.acknowledgedAt,
              note: acknowledged.note,
            }
          : null,
      acknowledgementVersion: acknowledged?.version ?? 0,
    };
  });
  patientsOnBoard.sort(
    (a, b) =>
      a.tierRank - b.tierRank ||
      bedOrder.compare(a.bed ?? '\uffff', b.bed ?? '\uffff') ||
      a.patientId - b.patientId,
  );
  return {
    board: { ward, patients: patientsOnBoard.map(({ tierRank: _tierRank, ...row }) => row) },
    validUntilMs,
  };
}
