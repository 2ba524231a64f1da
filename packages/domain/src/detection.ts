/**
 * From one patient's record to the inputs of the managers' rates (PRODUCT §4): newly confirmed HO per
 * site, the detection lead time (first ROM alert → imaging confirmation) and the ROM compliance of a
 * day. Kept here so the server does not re-implement the ROM rule to compute them.
 */
import { romDeclineAt } from './rom.ts';
import { zoneCalendar, epochDay } from './calendar.ts';
import { JOINT_SITES, SIDES } from './joints.ts';
import type { JointSite, Side } from './joints.ts';
import type { ImagingStudy, Instant, PatientRecord, RomReading } from './model.ts';
import type { DetectionEvent, HoDiagnosisEvent } from './rates.ts';
import { DEFAULT_HO_WATCH_SETTINGS } from './settings.ts';
import type { HoWatchSettings } from './settings.ts';

export interface SiteDetection {
  readonly site: JointSite;
  readonly side: Side;
  /** First image of the site showing HO. */
  readonly confirmedAt: Instant;
  /** First reading at the site (up to the confirmation) that met the ROM decline rule; null if none. */
  readonly firstRomAlertAt: Instant | null;
  /** The ward of the stay the patient was on at confirmation; null when no stay covers it. */
  readonly wardId: number | null;
}

function showsHo(study: ImagingStudy): boolean {
  if (study.result === 'positive') return true;
  if (study.grade?.system === 'brooker') return study.grade.grade !== '0';
  return study.grade?.system === 'hastings_graham';
}

const byTime = <T extends { id: number; takenAt: Instant }>(a: T, b: T): number =>
  Date.parse(a.takenAt) - Date.parse(b.takenAt) || a.id - b.id;

/** Every site of the record with HO confirmed by imaging, with its first ROM alert (PRODUCT §4). */
export function siteDetections(
  record: PatientRecord,
  settings: HoWatchSettings = DEFAULT_HO_WATCH_SETTINGS,
): SiteDetection[] {
  const out: SiteDetection[] = [];
  for (const site of JOINT_SITES) {
    for (const side of SIDES) {
      const confirmation = record.imaging
        .filter((i) => i.site === site && i.side === side && showsHo(i))
        .sort(byTime)[0];
      if (!confirmation) continue;
      const confirmedMs = Date.parse(confirmation.takenAt);
      const series = new Map<string, RomReading[]>();
      for (const r of record.romReadings) {
        if (r.site !== site || r.side !== side || Date.parse(r.takenAt) > confirmedMs) continue;
        const key = `${r.movement}:${r.mode}`;
        series.set(key, [...(series.get(key) ?? []), r]);
      }
      let firstAlert: RomReading | undefined;
      for (const readings of series.values()) {
        readings.sort(byTime);
        const index = readings.findIndex((_, i) => romDeclineAt(readings, i, settings));
        const hit = readings[index];
        if (hit && (!firstAlert || byTime(hit, firstAlert) < 0)) firstAlert = hit;
      }
      const stay = record.stays.find(
        (s) =>
          Date.parse(s.admittedAt) <= confirmedMs &&
          (s.dischargedAt === null || confirmedMs < Date.parse(s.dischargedAt)),
      );
      out.push({
        site,
        side,
        confirmedAt: confirmation.takenAt,
        firstRomAlertAt: firstAlert?.takenAt ?? null,
        wardId: stay?.wardId ?? null,
      });
    }
  }
  return out;
}

/** The rate inputs of one patient: HO diagnoses and detection events on known wards. */
export function rateEventsOf(
  record: PatientRecord,
  settings: HoWatchSettings = DEFAULT_HO_WATCH_SETTINGS,
): { hoDiagnoses: HoDiagnosisEvent[]; detections: DetectionEvent[] } {
  const hoDiagnoses: HoDiagnosisEvent[] = [];
  const detections: DetectionEvent[] = [];
  for (const d of siteDetections(record, settings)) {
    if (d.wardId === null) continue;
    const base = { patientId: record.patient.id, wardId: d.wardId, site: d.site, side: d.side };
    hoDiagnoses.push({ ...base, diagnosedAt: d.confirmedAt });
    if (d.firstRomAlertAt !== null) {
      detections.push({ ...base, firstRomAlertAt: d.firstRomAlertAt, confirmedAt: d.confirmedAt });
    }
  }
  return { hoDiagnoses, detections };
}

/**
 * Whether a ROM reading was taken on the local `date` or in the `days` dates before it (compliance,
 * PRODUCT §4: "a ROM reading in the previous 7 days").
 */
export function romWithinDays(
  readings: readonly Pick<RomReading, 'takenAt'>[],
  date: string,
  timeZone: string,
  days = 7,
): boolean {
  const calendar = zoneCalendar(timeZone);
  const day = epochDay(date);
  return readings.some((r) => {
    const d = calendar.localDay(Date.parse(r.takenAt));
    return d <= day && d >= day - days;
  });
}
