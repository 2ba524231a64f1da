/**
 * The HO watch (PRODUCT §3): one pure function from a patient's record, a point in time and the
 * settings to an assessment. Nothing after `now` is seen; every choice of "latest" breaks ties by time,
 * then by id, so the result does not depend on the order the record's arrays arrive in.
 * The rules and where they had to be interpreted are in docs/clinical-rules.md.
 */
import type {
  Advisory,
  Assessment,
  AssessmentFlag,
  FunctionalImpact,
  HoState,
  Reason,
  RomSignal,
  SiteAssessment,
  Tier,
} from './assessment-types.ts';
import { JOINT_SITES, SIDES, movementSpec, readingLabel } from './joints.ts';
import type { JointSite, Movement, RomMode, Side } from './joints.ts';
import type {
  ImagingStudy,
  Instant,
  JointObservation,
  PatientRecord,
  PressureInjuryStage,
  RomReading,
} from './model.ts';
import { dayNumberIn, instantMs, romAsymmetry, seriesFinding } from './rom.ts';
import type { RomDecline, SeriesFinding } from './rom.ts';
import { evidenceOf } from './rules.ts';
import type { RuleId } from './rules.ts';
import { FAC_LABELS, JH_HLM_LABELS, masRank } from './scales.ts';
import { DEFAULT_HO_WATCH_SETTINGS } from './settings.ts';
import type { HoWatchSettings } from './settings.ts';

const ms = instantMs;

/** Time, then id: a total order on timed records that does not depend on array order. */
function byTime<T extends { id: number }>(time: (x: T) => Instant) {
  return (a: T, b: T): number => ms(time(a)) - ms(time(b)) || a.id - b.id;
}

/** The latest item by time, then id; one pass, each time parsed once. */
function latestOf<T extends { id: number }>(
  items: readonly T[],
  time: (x: T) => Instant,
): T | undefined {
  let best: T | undefined;
  let bestMs = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    const t = ms(time(item));
    if (!best || t > bestMs || (t === bestMs && item.id > best.id)) {
      best = item;
      bestMs = t;
    }
  }
  return best;
}

/** Sorted by time, then id, parsing each time once (readings run to thousands per patient). */
function sortByTime<T extends { id: number }>(items: readonly T[], time: (x: T) => Instant): T[] {
  return items
    .map((item) => ({ item, t: ms(time(item)) }))
    .sort((a, b) => a.t - b.t || a.item.id - b.item.id)
    .map((x) => x.item);
}

const seriesKey = (site: JointSite, side: Side, movement: Movement, mode: RomMode): string =>
  `${site}:${side}:${movement}:${mode}`;

/** Every series (site, side, movement, mode) of the readings, each sorted by time. */
function groupSeries(readings: readonly RomReading[]): Map<string, RomReading[]> {
  const groups = new Map<string, RomReading[]>();
  for (const r of readings) {
    const key = seriesKey(r.site, r.side, r.movement, r.mode);
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  for (const [key, list] of groups)
    groups.set(
      key,
      sortByTime(list, (r) => r.takenAt),
    );
  return groups;
}

/** Numbers as a nurse reads them: at most one decimal, no trailing ".0". */
function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function deg(value: number): string {
  return `${num(value)}°`;
}

function sideSite(side: Side, site: JointSite): string {
  return `${side} ${site}`;
}

function reason(rule: RuleId, detail: string, where?: { site: JointSite; side: Side }): Reason {
  return where
    ? { rule, detail, evidence: evidenceOf(rule), site: where.site, side: where.side }
    : { rule, detail, evidence: evidenceOf(rule) };
}

function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

/** The movement pair whose sum is the sagittal arc of each joint (neutral-zero convention). */
const ARC_PAIRS: Readonly<Record<JointSite, readonly [Movement, Movement]>> = {
  shoulder: ['flexion', 'extension'],
  elbow: ['flexion', 'extension'],
  hip: ['flexion', 'extension'],
  knee: ['flexion', 'extension'],
  ankle: ['dorsiflexion', 'plantarflexion'],
};

function signsOf(o: JointObservation): string[] {
  const signs: string[] = [];
  if (o.swelling === true) signs.push('swelling');
  if (o.warmth === true) signs.push('warmth');
  if (o.erythema === true) signs.push('erythema');
  return signs;
}

function imagingShowsHo(study: ImagingStudy): boolean {
  if (study.result === 'positive') return true;
  // A recorded grade above 0 is itself a finding of HO, whatever the result field says.
  if (study.grade?.system === 'brooker') return study.grade.grade !== '0';
  if (study.grade?.system === 'hastings_graham') return true;
  return false;
}

function imagingShowsAnkylosis(study: ImagingStudy): boolean {
  if (study.grade?.system === 'brooker') return study.grade.grade === 'IV';
  if (study.grade?.system === 'hastings_graham') return study.grade.grade === 'III';
  return false;
}

const MODALITY_WORDS: Readonly<Record<ImagingStudy['modality'], string>> = {
  xray: 'X-ray',
  bone_scan: 'bone scan',
  ultrasound: 'ultrasound',
  ct: 'CT',
  mri: 'MRI',
};

function gradeWords(study: ImagingStudy): string {
  const g = study.grade;
  if (!g) return '';
  switch (g.system) {
    case 'brooker':
      return ` (Brooker ${g.grade})`;
    case 'hastings_graham':
      return ` (Hastings & Graham ${g.grade})`;
    case 'free_text':
      return g.text ? ` (${g.text})` : '';
  }
}

function stageAtLeast(stage: PressureInjuryStage, settings: HoWatchSettings): boolean {
  switch (stage) {
    case 'unstageable':
      return settings.pressureInjuryCountUnstageable;
    case 'deep_tissue':
      return settings.pressureInjuryCountDeepTissue;
    case '1':
    case '2':
    case '3':
    case '4':
      return Number(stage) >= settings.pressureInjuryMinStage;
  }
}

interface SiteWork {
  readonly site: JointSite;
  readonly side: Side;
  readonly state: HoState;
  readonly reasons: Reason[];
  readonly suspected: boolean;
  readonly progressing: boolean;
  readonly declines: RomDecline[];
  /** An asymmetry inside the vigilance window: a ROM decline for the tier (PRODUCT §3). */
  readonly asymmetric: boolean;
}

/** Every series' finding, in a stable order (movement, then mode). */
export function romFindings(
  siteSeries: readonly (readonly RomReading[])[],
  settings: HoWatchSettings,
): SeriesFinding[] {
  return siteSeries
    .flatMap((list) => {
      const finding = seriesFinding(list, settings);
      return finding ? [finding] : [];
    })
    .sort((a, b) => a.movement.localeCompare(b.movement) || a.mode.localeCompare(b.mode));
}

/** "flexion", "forearm pronation": a movement as a therapist says it. */
function movementWords(site: JointSite, movement: Movement): string {
  return movementSpec(site, movement)?.label ?? movement.replace('_', ' ');
}

/**
 * Assesses one patient at `now` (an ISO instant). Pure and deterministic: the same record, instant and
 * settings give the same assessment, whatever the order of the record's arrays.
 */
export function assessPatient(
  record: PatientRecord,
  now: Instant,
  settings: HoWatchSettings = DEFAULT_HO_WATCH_SETTINGS,
): Assessment {
  const nowMs = ms(now);
  if (!Number.isFinite(nowMs)) throw new RangeError(`now is not an ISO 8601 instant: ${now}`);
  const seen = <T>(items: readonly T[], time: (x: T) => Instant): T[] =>
    items.filter((x) => ms(time(x)) <= nowMs);

  const dayNumber = dayNumberIn(settings);
  const today = dayNumber(now);
  /** Whole calendar days from `instant` to now. */
  const daysAgo = (instant: Instant): number => today - dayNumber(instant);
  const injuryKnown = Number.isFinite(ms(record.injury.occurredAt));
  const injuryDay = injuryKnown ? dayNumber(record.injury.occurredAt) : 0;
  const dayOf = (instant: Instant): number => dayNumber(instant) - injuryDay;
  const daysSinceInjury = injuryKnown ? dayOf(now) : null;
  const inWindow =
    daysSinceInjury !== null &&
    daysSinceInjury >= settings.vigilanceStartDay &&
    daysSinceInjury <= settings.vigilanceEndDay;

  const readings = seen(record.romReadings, (r) => r.takenAt);
  const series = groupSeries(readings);
  const observations = seen(record.jointObservations, (o) => o.takenAt);
  const imaging = seen(record.imaging, (i) => i.takenAt);
  const spasticity = seen(record.spasticity, (s) => s.takenAt);
  const mobility = seen(record.mobility, (m) => m.takenAt);
  const vitals = seen(record.vitalsAndLabs, (v) => v.takenAt);
  const complications = seen(record.complications, (c) => c.onsetAt);
  const excisions = record.interventions.flatMap((i) =>
    i.kind === 'excision' && ms(i.performedAt) <= nowMs ? [i] : [],
  );

  const latestMasAt = (site: JointSite, side: Side) =>
    latestOf(
      spasticity.filter((s) => s.site === site && s.side === side),
      (s) => s.takenAt,
    );

  // ---- ROM findings per series (after an excision, only what followed it) -----------------------
  const excisionAt = (site: JointSite, side: Side) =>
    latestOf(
      excisions.filter((e) => e.site === site && e.side === side),
      (e) => e.performedAt,
    );
  const findingsCache = new Map<string, SeriesFinding[]>();
  const findingsAt = (site: JointSite, side: Side): SeriesFinding[] => {
    const key = `${site}:${side}`;
    const known = findingsCache.get(key);
    if (known) return known;
    const excision = excisionAt(site, side);
    const sinceMs = excision ? ms(excision.performedAt) : -Infinity;
    const found = romFindings(
      [...series.entries()]
        .filter(([k]) => k.startsWith(`${key}:`))
        .map(([, list]) => (excision ? list.filter((r) => ms(r.takenAt) > sinceMs) : list)),
      settings,
    );
    findingsCache.set(key, found);
    return found;
  };

  // ---- per site -------------------------------------------------------------------------------
  const romSignals: RomSignal[] = [];
  const siteWork: SiteWork[] = [];
  for (const site of JOINT_SITES) {
    for (const side of SIDES) {
      const where = { site, side };
      const excision = excisionAt(site, side);
      // After an excision only what followed it speaks about the site: the old arc was the old bone.
      const sinceMs = excision ? ms(excision.performedAt) : -Infinity;
      const after = (instant: Instant): boolean => ms(instant) > sinceMs;
      const siteSeries = [...series.entries()]
        .filter(([key]) => key.startsWith(`${site}:${side}:`))
        .map(([, list]) => (excision ? list.filter((r) => after(r.takenAt)) : list));
      const siteObservations = observations.filter(
        (o) => o.site === site && o.side === side && after(o.takenAt),
      );
      const siteImaging = imaging
        .filter((i) => i.site === site && i.side === side && after(i.takenAt))
        .sort(byTime((i) => i.takenAt));
      const findings = findingsAt(site, side);

      const reasons: Reason[] = [];
      let suspected = false;
      let asymmetric = false;
      const declines: RomDecline[] = [];
      const watchReasons: Reason[] = [];
      const signNear = (instant: Instant): JointObservation | undefined =>
        siteObservations
          .filter(
            (o) =>
              signsOf(o).length > 0 &&
              Math.abs(dayNumber(o.takenAt) - dayNumber(instant)) <= settings.nurseSignWindowDays,
          )
          .sort(byTime((o) => o.takenAt))
          .at(-1);

      const otherSide: Side = side === 'left' ? 'right' : 'left';
      const asymmetries = new Map(
        findings.map((f) => [
          f,
          romAsymmetry(
            f,
            findingsAt(site, otherSide).find((o) => o.movement === f.movement && o.mode === f.mode),
            settings,
          ),
        ]),
      );
      // Several movements of the joint falling in the same sitting: HO walls in the whole joint,
      // while noise strikes one number at a time (CR §2.6).
      const fallingMovements = new Set(
        findings.filter((f) => f.decline && f.confirmedBy).map((f) => f.movement),
      );

      for (const f of findings) {
        const label = readingLabel(side, site, f.movement, f.mode);
        const asymmetry = asymmetries.get(f);
        if (f.decline) {
          const d = f.decline;
          declines.push(d);
          romSignals.push({
            site,
            side,
            movement: f.movement,
            mode: f.mode,
            kind: 'decline',
            latestDegrees: d.reading.degrees,
            comparedDegrees: d.best.degrees,
            takenAt: d.reading.takenAt,
          });
          const pct = d.dropPercent === null ? '' : ` (${num(d.dropPercent)}% less)`;
          const base = `${label} ${deg(d.reading.degrees)} on day ${dayOf(d.reading.takenAt)}, ${deg(d.dropDegrees)} below its best of ${deg(d.best.degrees)} on day ${dayOf(d.best.takenAt)}${pct}`;
          const signObs = signNear(d.reading.takenAt);
          const corroboration: string[] = [];
          if (fallingMovements.size >= 2) {
            corroboration.push(
              `${listWords([...fallingMovements].map((m) => movementSpec(site, m)?.label ?? m))} of this joint have both fallen at two sittings`,
            );
          }
          if (asymmetry) {
            corroboration.push(
              `the ${otherSide} side, measured the same day, reads ${deg(asymmetry.other.degrees)}`,
            );
          }
          if (f.sittingsInARow >= settings.romUncorroboratedSittings) {
            corroboration.push(`${f.sittingsInARow} sittings in a row read below the best`);
          }
          if (f.confirmedBy && corroboration.length > 0) {
            suspected = true;
            const c = f.confirmedBy;
            reasons.push(
              reason(
                'rom_decline_confirmed',
                `${base}; the reading before it, ${deg(c.reading.degrees)} on day ${dayOf(c.reading.takenAt)}, was already ${deg(c.dropDegrees)} below its best; ${corroboration.join('; ')}`,
                where,
              ),
            );
          } else if (signObs) {
            suspected = true;
            reasons.push(
              reason(
                'rom_decline_with_sign',
                `${base}, with ${listWords(signsOf(signObs))} at the ${sideSite(side, site)} on day ${dayOf(signObs.takenAt)}`,
                where,
              ),
            );
          } else {
            reasons.push(
              reason(
                'rom_recheck',
                `Recheck ${sideSite(side, site)} ${movementWords(site, f.movement)}: ${deg(d.reading.degrees)}, ${deg(d.dropDegrees)} below its best (${deg(d.best.degrees)} on day ${dayOf(d.best.takenAt)}); ${f.mode}, day ${dayOf(d.reading.takenAt)}, ${f.confirmedBy ? 'repeated once, nothing else agrees yet' : 'not yet repeated'}`,
                where,
              ),
            );
          }
        }
        if (asymmetry) {
          romSignals.push({
            site,
            side,
            movement: f.movement,
            mode: f.mode,
            kind: 'asymmetry',
            latestDegrees: asymmetry.reading.degrees,
            comparedDegrees: asymmetry.other.degrees,
            takenAt: asymmetry.reading.takenAt,
          });
          const text = `${label} ${deg(asymmetry.reading.degrees)} on day ${dayOf(asymmetry.reading.takenAt)}, ${deg(asymmetry.gapDegrees)} below the ${otherSide} side (${deg(asymmetry.other.degrees)} the same day)`;
          const signObs = signNear(asymmetry.reading.takenAt);
          if (!f.decline && signObs) {
            suspected = true;
            reasons.push(
              reason(
                'rom_decline_with_sign',
                `${text}, with ${listWords(signsOf(signObs))} at the ${sideSite(side, site)} on day ${dayOf(signObs.takenAt)}`,
                where,
              ),
            );
          } else if (inWindow) {
            // Inside the window an asymmetry is a ROM decline for the tier (PRODUCT §3).
            asymmetric = true;
            reasons.push(reason('rom_asymmetry', text, where));
          } else {
            watchReasons.push(reason('rom_asymmetry', text, where));
          }
        }
      }

      const mas = latestMasAt(site, side);
      if (mas && after(mas.takenAt) && masRank(mas.grade) >= masRank(settings.masThreshold)) {
        watchReasons.push(
          reason(
            'spasticity_at_site',
            `Modified Ashworth ${mas.grade} at the ${sideSite(side, site)} on day ${dayOf(mas.takenAt)}`,
            where,
          ),
        );
      }
      const recentSign = siteObservations
        .filter((o) => signsOf(o).length > 0 && daysAgo(o.takenAt) <= settings.nurseSignWindowDays)
        .sort(byTime((o) => o.takenAt))
        .at(-1);
      if (recentSign) {
        watchReasons.push(
          reason(
            'nurse_sign',
            `${listWords(signsOf(recentSign))} at the ${sideSite(side, site)} on day ${dayOf(recentSign.takenAt)}`.replace(
              /^./,
              (c) => c.toUpperCase(),
            ),
            where,
          ),
        );
      }
      const equivocal = siteImaging.filter((i) => i.result === 'equivocal').at(-1);
      if (equivocal && !siteImaging.some(imagingShowsHo)) {
        watchReasons.push(
          reason(
            'imaging_equivocal',
            `Equivocal ${MODALITY_WORDS[equivocal.modality]} of the ${sideSite(side, site)} on day ${dayOf(equivocal.takenAt)}`,
            where,
          ),
        );
      }

      const firstPositive = siteImaging.find(imagingShowsHo);
      const ankylosisImage = siteImaging.filter(imagingShowsAnkylosis).at(-1);
      let ankylosisReason: Reason | undefined;
      if (ankylosisImage) {
        ankylosisReason = reason(
          'ho_ankylosed',
          `${MODALITY_WORDS[ankylosisImage.modality]} of the ${sideSite(side, site)} on day ${dayOf(ankylosisImage.takenAt)} shows bony ankylosis${gradeWords(ankylosisImage)}`.replace(
            /^./,
            (c) => c.toUpperCase(),
          ),
          where,
        );
      } else if (firstPositive) {
        const [flexMove, extMove] = ARC_PAIRS[site];
        const pick = (movement: Movement) =>
          siteSeries
            .find((list) => list[0]?.movement === movement && list[0].mode === 'passive')
            ?.at(-1);
        const flex = pick(flexMove);
        const ext = pick(extMove);
        if (flex && ext && flex.degrees + ext.degrees <= settings.ankylosisArcDegrees) {
          ankylosisReason = reason(
            'ho_ankylosed',
            `${sideSite(side, site).replace(/^./, (c) => c.toUpperCase())} passive arc ${deg(flex.degrees + ext.degrees)} (${flexMove} ${deg(flex.degrees)}, ${extMove} ${deg(ext.degrees)}), at or below ${deg(settings.ankylosisArcDegrees)}`,
            where,
          );
        }
      }

      let progressing = false;
      let state: HoState;
      if (firstPositive) {
        const confirmedAt = ms(firstPositive.takenAt);
        const confirmReason = reason(
          'ho_confirmed',
          `Positive ${MODALITY_WORDS[firstPositive.modality]} of the ${sideSite(side, site)} on day ${dayOf(firstPositive.takenAt)}${gradeWords(firstPositive)}`,
          where,
        );
        // The arc keeps shrinking when a second sitting repeats the fall: one low reading at a known
        // HO joint is as likely pain as progress (CR §2.6).
        const shrinking = findings
          .filter((f) => f.decline && f.confirmedBy && ms(f.latest.takenAt) >= confirmedAt)
          .flatMap((f) => (f.decline ? [f.decline] : []));
        const progressReasons = shrinking.map((d) =>
          reason(
            'ho_progressing',
            `Confirmed HO and the arc keeps shrinking: ${readingLabel(side, site, d.reading.movement, d.reading.mode)} ${deg(d.reading.degrees)} on day ${dayOf(d.reading.takenAt)}, ${deg(d.dropDegrees)} below its best of ${deg(d.best.degrees)}`,
            where,
          ),
        );
        progressing = shrinking.length > 0;
        state = ankylosisReason ? 'ankylosed' : 'confirmed';
        reasons.unshift(
          ...progressReasons,
          ...(ankylosisReason ? [ankylosisReason] : []),
          confirmReason,
        );
      } else if (ankylosisReason) {
        // A Brooker IV or Hastings & Graham III grade is itself a positive finding.
        state = 'ankylosed';
        reasons.unshift(ankylosisReason);
      } else if (suspected) {
        state = 'suspected';
      } else if (reasons.length > 0 || watchReasons.length > 0) {
        state = 'watch';
      } else {
        state = 'none';
      }

      if (excision && state === 'none') {
        const since = daysAgo(excision.performedAt);
        state = since <= settings.recurrenceWatchDays ? 'recurrence_watch' : 'excised';
        reasons.push(
          reason(
            state === 'recurrence_watch' ? 'recurrence_watch' : 'ho_excised',
            `HO excised at the ${sideSite(side, site)} on day ${dayOf(excision.performedAt)}, ${since} days ago${state === 'recurrence_watch' ? `: within the ${settings.recurrenceWatchDays}-day recurrence watch` : ''}`,
            where,
          ),
        );
      } else if (excision) {
        reasons.push(
          reason(
            'recurrence_watch',
            `HO excised at the ${sideSite(side, site)} on day ${dayOf(excision.performedAt)}; new signals since`,
            where,
          ),
        );
      }

      siteWork.push({
        site,
        side,
        state,
        reasons: [...reasons, ...watchReasons],
        suspected: state === 'suspected',
        progressing,
        declines,
        asymmetric,
      });
    }
  }

  // ---- major risk factors (CR §1.2) ------------------------------------------------------------
  const injury = record.injury;
  const factors: Reason[] = [];
  if (injury.comaDays !== null && injury.comaDays > settings.comaDaysThreshold) {
    factors.push(
      reason(
        'coma_days',
        `Coma of ${num(injury.comaDays)} days (more than ${settings.comaDaysThreshold})`,
      ),
    );
  }
  if (
    injury.ventilationDays !== null &&
    injury.ventilationDays > settings.ventilationDaysThreshold
  ) {
    factors.push(
      reason(
        'ventilation_days',
        `Ventilated for ${num(injury.ventilationDays)} days (more than ${settings.ventilationDaysThreshold})`,
      ),
    );
  }
  if (injury.autonomicDysregulation === true) {
    factors.push(
      reason(
        'autonomic_dysregulation',
        'Autonomic dysregulation (paroxysmal sympathetic hyperactivity)',
      ),
    );
  }
  if (injury.diffuseAxonalInjury === true) {
    factors.push(reason('diffuse_axonal_injury', 'Diffuse axonal injury'));
  }
  const spastic: string[] = [];
  for (const site of JOINT_SITES) {
    for (const side of SIDES) {
      const mas = latestMasAt(site, side);
      if (mas && masRank(mas.grade) >= masRank(settings.masThreshold)) {
        spastic.push(`${mas.grade} at the ${sideSite(side, site)} (day ${dayOf(mas.takenAt)})`);
      }
    }
  }
  if (spastic.length > 0) {
    factors.push(reason('spasticity_mas', `Spasticity: Modified Ashworth ${listWords(spastic)}`));
  }
  if (injury.surgicalFractures.length > 0) {
    const limbs = injury.surgicalFractures.map((f) => f.limb.replace('_', ' '));
    factors.push(
      reason('surgical_fracture', `Surgically treated fracture of the ${listWords(limbs)}`),
    );
  }
  const active = (c: { onsetAt: Instant; resolvedAt: Instant | null }) =>
    c.resolvedAt === null || ms(c.resolvedAt) > nowMs;
  const infections = complications
    .filter((c) => (c.kind === 'pneumonia' || c.kind === 'uti') && active(c))
    .sort(byTime((c) => c.onsetAt));
  if (infections.length > 0) {
    factors.push(
      reason(
        'systemic_infection',
        `Active ${listWords(infections.map((c) => `${c.kind === 'uti' ? 'urinary tract infection' : 'pneumonia'} since day ${dayOf(c.onsetAt)}`))}`,
      ),
    );
  }
  const lowMobility: string[] = [];
  const jh = latestOf(
    mobility.filter((m) => m.scale === 'jh_hlm'),
    (m) => m.takenAt,
  );
  if (jh?.scale === 'jh_hlm' && Number(jh.code) <= settings.jhHlmLowMax) {
    lowMobility.push(`JH-HLM ${jh.code} (${JH_HLM_LABELS[jh.code]}) on day ${dayOf(jh.takenAt)}`);
  }
  const fac = latestOf(
    mobility.filter((m) => m.scale === 'fac'),
    (m) => m.takenAt,
  );
  if (fac?.scale === 'fac' && Number(fac.code) <= settings.facLowMax) {
    lowMobility.push(`FAC ${fac.code} (${FAC_LABELS[fac.code]}) on day ${dayOf(fac.takenAt)}`);
  }
  if (lowMobility.length > 0) {
    factors.push(reason('low_mobility', `Low mobility: latest ${listWords(lowMobility)}`));
  }
  const pressure = complications
    .filter((c) => c.kind === 'pressure_injury' && active(c) && stageAtLeast(c.stage, settings))
    .sort(byTime((c) => c.onsetAt));
  if (pressure.length > 0) {
    factors.push(
      reason(
        'pressure_injury',
        `Pressure injury ${listWords(
          pressure.map((c) =>
            c.kind === 'pressure_injury'
              ? `${c.stage === 'unstageable' ? 'unstageable' : c.stage === 'deep_tissue' ? 'deep tissue' : `stage ${c.stage}`} (${c.bodySite}) since day ${dayOf(c.onsetAt)}`
              : '',
          ),
        )}`,
      ),
    );
  }
  if (injury.aisGrade === 'A') {
    factors.push(reason('complete_sci', 'Complete spinal cord injury (AIS A)'));
  }

  const severe =
    (injury.lowestGcs !== null && injury.lowestGcs <= settings.severeInjuryGcsMax) ||
    (injury.type === 'sci' &&
      injury.aisGrade !== null &&
      settings.severeInjuryAisGrades.includes(injury.aisGrade));

  // ---- tier -------------------------------------------------------------------------------------
  const tier = tierOf({
    suspected: siteWork.some((s) => s.suspected),
    progressing: siteWork.some((s) => s.progressing),
    romDecline: siteWork.some((s) => s.declines.length > 0 || s.asymmetric),
    inWindow,
    severe,
    factorCount: factors.length,
    settings,
  });

  const windowReasons: Reason[] = [];
  if (daysSinceInjury !== null && inWindow) {
    windowReasons.push(
      reason(
        'vigilance_window',
        `Day ${daysSinceInjury} after injury: inside the day ${settings.vigilanceStartDay}–${settings.vigilanceEndDay} vigilance window`,
      ),
    );
    if (severe) {
      const why: string[] = [];
      if (injury.lowestGcs !== null && injury.lowestGcs <= settings.severeInjuryGcsMax) {
        why.push(`lowest GCS ${injury.lowestGcs}`);
      }
      if (injury.type === 'sci' && injury.aisGrade !== null) {
        if (settings.severeInjuryAisGrades.includes(injury.aisGrade)) {
          why.push(`spinal cord injury AIS ${injury.aisGrade}`);
        }
      }
      windowReasons.push(
        reason(
          'severe_injury_in_window',
          `Severe injury (${listWords(why)}) in the vigilance window`,
        ),
      );
    }
  }

  // ---- flags ------------------------------------------------------------------------------------
  const lastRom = latestOf(readings, (r) => r.takenAt);
  const flags: AssessmentFlag[] = [];
  const overdueReasons: Reason[] = [];
  if (tier === 'alert' || tier === 'high') {
    const gap = lastRom ? daysAgo(lastRom.takenAt) : Number.POSITIVE_INFINITY;
    if (gap > settings.overdueDays) {
      flags.push('overdue');
      overdueReasons.push(
        reason(
          'monitoring_overdue',
          lastRom
            ? `No ROM reading for ${gap} days (last on day ${dayOf(lastRom.takenAt)}); ${tierWord(tier)} patients are measured at least every ${settings.overdueDays} days`
            : `No ROM reading recorded; ${tierWord(tier)} patients are measured at least every ${settings.overdueDays} days`,
        ),
      );
    }
  }
  if (inWindow) flags.push('in_vigilance_window');
  if (siteWork.some((s) => s.reasons.some((r) => r.rule === 'rom_recheck'))) flags.push('recheck');

  // ---- reasons, most weighty first ----------------------------------------------------------------
  const siteReasonsOf = (pred: (r: Reason) => boolean) =>
    siteWork.flatMap((s) => s.reasons.filter(pred));
  const reasons: Reason[] = [
    ...siteReasonsOf((r) =>
      ['rom_decline_confirmed', 'rom_decline_with_sign', 'ho_progressing'].includes(r.rule),
    ),
    ...siteReasonsOf((r) => r.rule === 'rom_recheck'),
    ...siteReasonsOf((r) => r.rule === 'rom_asymmetry' && inWindow),
    ...overdueReasons,
    ...factors,
    ...windowReasons,
    ...siteReasonsOf((r) => ['ho_ankylosed', 'ho_confirmed'].includes(r.rule)),
    ...siteReasonsOf(
      (r) =>
        // Spasticity is already a major factor above: listed once, not again per joint.
        (r.rule === 'rom_asymmetry' && !inWindow) ||
        ['nurse_sign', 'imaging_equivocal'].includes(r.rule),
    ),
    ...siteReasonsOf((r) => ['recurrence_watch', 'ho_excised'].includes(r.rule)),
  ];

  const sites: SiteAssessment[] = siteWork.map((s) => ({
    site: s.site,
    side: s.side,
    state: s.state,
    reasons: s.reasons,
  }));

  return {
    assessedAt: now,
    tier,
    reasons,
    sites,
    functionalImpacts: functionalImpacts(series, settings, dayOf),
    advisories: advisories(record, {
      nowMs,
      dayOf,
      daysAgo,
      settings,
      siteWork,
      observations,
      vitals,
      excisions,
    }),
    flags,
    romSignals,
    daysSinceInjury,
    lastRomAt: lastRom?.takenAt ?? null,
    majorFactorCount: factors.length,
    inVigilanceWindow: inWindow,
  };
}

/**
 * The tier (PRODUCT §3), top down: alert if a site is suspected or confirmed HO keeps shrinking; high
 * inside the window with enough major factors, or with any ROM decline (a reading awaiting its recheck,
 * or an asymmetry in the window); elevated with one factor, or a severe injury in the window; else low.
 */
export function tierOf(input: {
  readonly suspected: boolean;
  readonly progressing: boolean;
  readonly romDecline: boolean;
  readonly inWindow: boolean;
  readonly severe: boolean;
  readonly factorCount: number;
  readonly settings: HoWatchSettings;
}): Tier {
  if (input.suspected || input.progressing) return 'alert';
  if (
    (input.inWindow && input.factorCount >= input.settings.highTierMinFactors) ||
    input.romDecline
  )
    return 'high';
  if (input.factorCount >= 1 || (input.inWindow && input.severe)) return 'elevated';
  return 'low';
}

function tierWord(tier: Tier): string {
  return tier === 'alert' ? 'alert' : 'high-tier';
}

function functionalImpacts(
  series: ReadonlyMap<string, readonly RomReading[]>,
  settings: HoWatchSettings,
  dayOf: (instant: Instant) => number,
): FunctionalImpact[] {
  const impacts: FunctionalImpact[] = [];
  for (const side of SIDES) {
    // The latest reading of a movement in either mode: what the joint allows the patient now.
    // On a tie in time the passive reading wins: it is the joint's own limit.
    const latest = (site: JointSite, movement: Movement): RomReading | undefined => {
      const passive = series.get(seriesKey(site, side, movement, 'passive'))?.at(-1);
      const active = series.get(seriesKey(site, side, movement, 'active'))?.at(-1);
      if (!passive || !active) return passive ?? active;
      return ms(active.takenAt) > ms(passive.takenAt) ? active : passive;
    };
    const at = (r: RomReading) => `${deg(r.degrees)} (${r.mode}, day ${dayOf(r.takenAt)})`;
    const Side = side === 'left' ? 'Left' : 'Right';

    const hip = latest('hip', 'flexion');
    if (hip && hip.degrees < settings.hipSittingFlexionDegrees) {
      impacts.push({
        rule: 'impact_hip_sitting',
        site: 'hip',
        side,
        detail: `${Side} hip flexion ${at(hip)}: below the ~${deg(settings.hipSittingFlexionDegrees)} needed to sit upright`,
        evidence: evidenceOf('impact_hip_sitting'),
      });
    }
    const elbowFlex = latest('elbow', 'flexion');
    const elbowExt = latest('elbow', 'extension');
    const elbowProblems: string[] = [];
    if (elbowFlex && elbowFlex.degrees < settings.elbowArcEndDegrees) {
      elbowProblems.push(`flexion ${at(elbowFlex)} short of ${deg(settings.elbowArcEndDegrees)}`);
    }
    if (elbowExt && elbowExt.degrees < -settings.elbowArcStartDegrees) {
      elbowProblems.push(
        `extension ${at(elbowExt)}: stops ${deg(-elbowExt.degrees)} short of straight, more than ${deg(settings.elbowArcStartDegrees)}`,
      );
    }
    if (elbowProblems.length > 0) {
      impacts.push({
        rule: 'impact_elbow_arc',
        site: 'elbow',
        side,
        detail: `${Side} elbow arc does not cover ${num(settings.elbowArcStartDegrees)}–${deg(settings.elbowArcEndDegrees)} (eating, washing): ${elbowProblems.join('; ')}`,
        evidence: evidenceOf('impact_elbow_arc'),
      });
    }
    const pron = latest('elbow', 'pronation');
    const sup = latest('elbow', 'supination');
    const rotation: string[] = [];
    if (pron && pron.degrees < settings.forearmPronationDegrees) {
      rotation.push(`pronation ${at(pron)}`);
    }
    if (sup && sup.degrees < settings.forearmSupinationDegrees) {
      rotation.push(`supination ${at(sup)}`);
    }
    if (rotation.length > 0) {
      impacts.push({
        rule: 'impact_forearm_rotation',
        site: 'elbow',
        side,
        detail: `${Side} forearm rotation below ${num(settings.forearmPronationDegrees)}/${num(settings.forearmSupinationDegrees)} (daily tasks): ${rotation.join(', ')}`,
        evidence: evidenceOf('impact_forearm_rotation'),
      });
    }
    const knee = latest('knee', 'flexion');
    if (knee && knee.degrees < settings.kneeFlexionDegrees) {
      impacts.push({
        rule: 'impact_knee_flexion',
        site: 'knee',
        side,
        detail: `${Side} knee flexion ${at(knee)}: below the ${deg(settings.kneeFlexionDegrees)} needed to rise from a chair or transfer to a bath`,
        evidence: evidenceOf('impact_knee_flexion'),
      });
    }
    const ankle = latest('ankle', 'dorsiflexion');
    if (ankle && ankle.degrees < settings.ankleNeutralDegrees) {
      impacts.push({
        rule: 'impact_ankle_neutral',
        site: 'ankle',
        side,
        detail: `${Side} ankle dorsiflexion ${at(ankle)}: the foot cannot reach neutral (standing, walking)`,
        evidence: evidenceOf('impact_ankle_neutral'),
      });
    }
  }
  return impacts;
}

function advisories(
  record: PatientRecord,
  ctx: {
    nowMs: number;
    dayOf: (instant: Instant) => number;
    daysAgo: (instant: Instant) => number;
    settings: HoWatchSettings;
    siteWork: readonly SiteWork[];
    observations: readonly JointObservation[];
    vitals: PatientRecord['vitalsAndLabs'];
    excisions: readonly Extract<PatientRecord['interventions'][number], { kind: 'excision' }>[];
  },
): Advisory[] {
  const { nowMs, dayOf, daysAgo, settings } = ctx;
  const window = settings.nurseSignWindowDays;
  const out: Advisory[] = [];
  const advise = (rule: RuleId, text: string) =>
    out.push({ rule, text, evidence: evidenceOf(rule) });

  for (const s of ctx.siteWork) {
    if (s.state === 'suspected') {
      advise(
        'advise_early_imaging',
        `Consider an ultrasound or a three-phase bone scan of the ${sideSite(s.side, s.site)}: an X-ray may stay negative for 3–4 weeks.`,
      );
    }
  }

  const swelling = ctx.observations
    .filter((o) => o.swelling === true && daysAgo(o.takenAt) <= window)
    .sort(byTime((o) => o.takenAt))
    .at(-1);
  const fever = ctx.vitals
    .filter(
      (v) =>
        v.kind === 'temperature' && v.value > settings.feverCelsius && daysAgo(v.takenAt) <= window,
    )
    .sort(byTime((v) => v.takenAt))
    .at(-1);
  if (swelling && fever) {
    advise(
      'advise_dvt_differential',
      `Consider deep vein thrombosis in the differential: swelling at the ${sideSite(swelling.side, swelling.site)} on day ${dayOf(swelling.takenAt)} with a temperature of ${num(fever.value)} °C on day ${dayOf(fever.takenAt)}; HO can mimic DVT (Doppler ultrasound helps).`,
    );
  }

  const nsaids = record.interventions.flatMap((i) =>
    i.kind === 'nsaid' &&
    ms(i.startedAt) <= nowMs &&
    (i.stoppedAt === null || ms(i.stoppedAt) > nowMs)
      ? [i]
      : [],
  );
  const nsaid = nsaids.sort(byTime((i) => i.startedAt)).at(-1);
  if (nsaid) {
    const fractures = record.injury.surgicalFractures.filter(
      (f) =>
        f.fixedAt === null ||
        (ms(f.fixedAt) <= nowMs && daysAgo(f.fixedAt) <= settings.recentFractureFixationDays),
    );
    if (fractures.length > 0) {
      const words = fractures.map((f) =>
        f.fixedAt === null
          ? `the ${f.limb.replace('_', ' ')} (fixation date not recorded)`
          : `the ${f.limb.replace('_', ' ')} on day ${dayOf(f.fixedAt)}`,
      );
      advise(
        'caution_nsaid_nonunion',
        `Caution: ${nsaid.drug} is active and a fracture was fixed at ${listWords(words)}; consider the risk of nonunion (62% vs 19% after fixation in one trial).`,
      );
    }
    const risk = record.bleedingRisk;
    if (risk) {
      const why: string[] = [];
      if (risk.gastrointestinalBleed) why.push('gastrointestinal bleeding');
      if (risk.intracranialBleed) why.push('intracranial bleeding');
      if (risk.renalImpairment) why.push('renal impairment');
      if (risk.anticoagulated) why.push('anticoagulation');
      if (why.length > 0) {
        advise(
          'caution_nsaid_bleeding',
          `Caution: ${nsaid.drug} is active with ${listWords(why)}; consider the bleeding risk (major bleeding roughly doubled in HIPAID).`,
        );
      }
    }
  }

  for (const s of ctx.siteWork) {
    const excision = latestOf(
      ctx.excisions.filter((e) => e.site === s.site && e.side === s.side),
      (e) => e.performedAt,
    );
    if (!excision) continue;
    const since = daysAgo(excision.performedAt);
    if (since <= settings.recurrenceWatchDays) {
      advise(
        'advise_recurrence_watch',
        `Consider a recurrence watch at the ${sideSite(s.side, s.site)}: excised ${since} days ago (day ${dayOf(excision.performedAt)}); measure its range regularly.`,
      );
    }
  }
  return out;
}
