import { JOINT_CATALOG, checkRomValue, type Instant, type PatientRecord } from '@ossiwatch/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  generatePatients,
  planHospital,
  raterBias,
  type HospitalOptions,
  type SyntheticPatient,
} from './index.ts';

const NOW = '2026-03-01T12:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const DAY = 86_400_000;
const demo: HospitalOptions = { seed: 7, scale: 1, now: NOW };

let patients: SyntheticPatient[] = [];
/** A few demo hospitals pooled, for rates. */
let pooled: SyntheticPatient[] = [];

beforeAll(() => {
  patients = [...generatePatients(demo)];
  pooled = [
    ...patients,
    ...generatePatients({ ...demo, seed: 11, historyMonths: 6 }),
    ...generatePatients({ ...demo, seed: 12, historyMonths: 6 }),
  ];
});

const ms = (instant: Instant): number => Date.parse(instant);

function insideStays(record: PatientRecord, instant: Instant): boolean {
  const t = ms(instant);
  return record.stays.some(
    (s) => t >= ms(s.admittedAt) && (s.dischargedAt === null || t <= ms(s.dischargedAt)),
  );
}

const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  hour: '2-digit',
  minute: '2-digit',
});
function londonMinutes(instant: Instant): number {
  const [h = '0', m = '0'] = london.format(new Date(instant)).split(':');
  return Number(h) * 60 + Number(m);
}

function share(items: readonly SyntheticPatient[], test: (p: SyntheticPatient) => boolean) {
  return items.filter(test).length / items.length;
}

describe('ROM readings', () => {
  it('are plausible values of movements the joint has', () => {
    const catalog = new Set(JOINT_CATALOG.map((s) => `${s.site}:${s.movement}`));
    const bad: unknown[] = [];
    let count = 0;
    for (const p of patients) {
      for (const r of p.record.romReadings) {
        count += 1;
        const ok =
          catalog.has(`${r.site}:${r.movement}`) &&
          checkRomValue(r.site, r.movement, r.degrees) === undefined &&
          Number.isInteger(r.degrees);
        if (!ok) bad.push(r);
      }
    }
    expect(bad).toEqual([]);
    expect(count).toBeGreaterThan(100_000);
  });

  it('are taken inside a stay, by now, during the day shift on the ward', () => {
    const bad: unknown[] = [];
    for (const p of patients) {
      // Readings of one session share their instant: check each session once.
      const seen = new Set<string>();
      for (const r of p.record.romReadings) {
        if (seen.has(r.takenAt)) continue;
        seen.add(r.takenAt);
        const minutes = londonMinutes(r.takenAt);
        const ok =
          ms(r.takenAt) <= NOW_MS &&
          insideStays(p.record, r.takenAt) &&
          minutes >= 9 * 60 &&
          minutes <= 17 * 60;
        if (!ok) bad.push(r);
      }
    }
    expect(bad).toEqual([]);
  });

  it('belong to sessions of about 10–20 readings, several times a week', () => {
    let sessions = 0;
    let readings = 0;
    let patientDays = 0;
    for (const p of patients) {
      const sessionIds = new Set(p.romSessions.map((s) => s.id));
      for (const r of p.record.romReadings) expect(sessionIds.has(r.sessionId)).toBe(true);
      sessions += p.romSessions.length;
      readings += p.record.romReadings.length;
      for (const s of p.record.stays) {
        patientDays += ((s.dischargedAt ? ms(s.dischargedAt) : NOW_MS) - ms(s.admittedAt)) / DAY;
      }
    }
    expect(readings / sessions).toBeGreaterThanOrEqual(10);
    expect(readings / sessions).toBeLessThanOrEqual(20);
    const perWeek = (sessions / patientDays) * 7;
    expect(perWeek).toBeGreaterThanOrEqual(3);
    expect(perWeek).toBeLessThanOrEqual(5);
  });
});

describe('every record', () => {
  it('keeps its nursing, therapy and medical entries inside its stays and by now', () => {
    for (const p of patients) {
      const r = p.record;
      const instants: Instant[] = [
        ...r.spasticity.map((x) => x.takenAt),
        ...r.mobility.map((x) => x.takenAt),
        ...r.braden.map((x) => x.takenAt),
        ...r.jointObservations.map((x) => x.takenAt),
        ...r.vitalsAndLabs.map((x) => x.takenAt),
        ...r.complications.map((x) => x.onsetAt),
        ...r.catheterEpisodes.map((x) => x.insertedAt),
        ...r.catheterEpisodes.flatMap((x) => (x.removedAt ? [x.removedAt] : [])),
        // Imaging from before the admission exists only as the operating hospital's records.
        ...r.imaging.filter(() => p.truth.excised === null).map((x) => x.takenAt),
      ];
      const outside = instants.filter((i) => ms(i) > NOW_MS || !insideStays(r, i));
      expect(outside).toEqual([]);
      for (const c of r.complications) {
        if (c.resolvedAt !== null) expect(ms(c.resolvedAt)).toBeGreaterThan(ms(c.onsetAt));
        expect(p.wardKeyByStay).toContain(c.wardId);
      }
      expect(ms(r.injury.occurredAt)).toBeLessThan(ms(r.stays[0]!.admittedAt));
    }
  });

  it('has stays in order, the current one last, and no two patients in one bed at once', () => {
    const byBed = new Map<string, [number, number][]>();
    for (const p of patients) {
      const stays = p.record.stays;
      stays.forEach((s, i) => {
        expect(s.patientId).toBe(p.record.patient.id);
        expect(s.wardId).toBe(p.wardKeyByStay[i]);
        if (i < stays.length - 1) expect(s.dischargedAt).toBe(stays[i + 1]!.admittedAt);
        else expect(s.dischargedAt === null).toBe(p.currentBedLabel !== null);
        const end = s.dischargedAt ? ms(s.dischargedAt) : Infinity;
        expect(end).toBeGreaterThan(ms(s.admittedAt));
        const key = `${s.wardId}|${s.bedLabel ?? ''}`;
        const list = byBed.get(key) ?? [];
        list.push([ms(s.admittedAt), end]);
        byBed.set(key, list);
      });
    }
    for (const list of byBed.values()) {
      list.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < list.length; i++)
        expect(list[i]![0]).toBeGreaterThanOrEqual(list[i - 1]![1]);
    }
    expect(patients.some((p) => p.record.stays.length > 1)).toBe(true);
  });

  it('has unique ids across the whole stream', () => {
    const readingIds = new Set<number>();
    const otherIds = new Set<number>();
    let others = 0;
    for (const p of patients) {
      for (const r of p.record.romReadings) readingIds.add(r.id);
      const r = p.record;
      for (const list of [
        r.spasticity,
        r.mobility,
        r.braden,
        r.jointObservations,
        r.vitalsAndLabs,
        r.imaging,
        r.complications,
        r.catheterEpisodes,
        r.interventions,
      ]) {
        for (const item of list) {
          otherIds.add(item.id);
          others += 1;
        }
      }
    }
    expect(readingIds.size).toBe(patients.reduce((n, p) => n + p.record.romReadings.length, 0));
    expect(otherIds.size).toBe(others);
  });
});

describe('the wards today (issue 4: a real mix on every board)', () => {
  it('fills each demo ward to 60–95% with at least 10 current patients', () => {
    for (const ward of planHospital(demo).wards) {
      const current = patients.filter(
        (p) => p.currentBedLabel !== null && p.wardKeyByStay.at(-1) === ward.key,
      );
      expect(current.length).toBeGreaterThanOrEqual(10);
      expect(current.length / ward.beds.length).toBeGreaterThanOrEqual(0.6);
      expect(current.length / ward.beds.length).toBeLessThanOrEqual(0.95);
      const beds = current.map((p) => p.currentBedLabel);
      expect(new Set(beds).size).toBe(beds.length);
      for (const bed of beds) expect(ward.beds).toContain(bed);

      // Some are losing motion at a hip, knee or elbow right now, inside the vigilance window,
      // with a nurse sign at that joint; others have no HO at all.
      const declining = current.filter((p) =>
        p.truth.hoJoints.some((j) => {
          const since = (NOW_MS - ms(j.declineStartsAt)) / DAY;
          const dayOfInjury = (NOW_MS - ms(p.record.injury.occurredAt)) / DAY;
          const signed = p.record.jointObservations.some(
            (o) => o.site === j.site && o.side === j.side && (o.swelling || o.warmth || o.erythema),
          );
          return (
            since >= 6 &&
            since <= 30 &&
            dayOfInjury >= 14 &&
            dayOfInjury <= 120 &&
            j.site !== 'shoulder' &&
            signed
          );
        }),
      );
      expect(declining.length).toBeGreaterThanOrEqual(2);
      expect(current.filter((p) => p.truth.hoJoints.length === 0).length).toBeGreaterThanOrEqual(5);
    }
  });
});

describe('clinical believability (CR §1.1, §2.3, §5)', () => {
  it('has the published injury mix: TBI most, then stroke, SCI, anoxic', () => {
    const count = (type: string) => pooled.filter((p) => p.record.injury.type === type).length;
    expect(count('tbi')).toBeGreaterThan(count('stroke'));
    expect(count('stroke')).toBeGreaterThan(count('sci'));
    expect(count('sci')).toBeGreaterThan(count('anoxic'));
  });

  it('has HO at published incidence: TBI and SCI 10–30%, stroke under 5% (CR §1.1)', () => {
    const incidence = (type: string) =>
      share(
        pooled.filter((p) => p.record.injury.type === type),
        (p) => p.truth.hoJoints.length > 0,
      );
    expect(incidence('tbi')).toBeGreaterThanOrEqual(0.1);
    expect(incidence('tbi')).toBeLessThanOrEqual(0.3);
    expect(incidence('sci')).toBeGreaterThanOrEqual(0.1);
    expect(incidence('sci')).toBeLessThanOrEqual(0.35);
    expect(incidence('stroke')).toBeLessThan(0.05);
  });

  it('grows HO mostly at the hip, then knee and elbow, rarely the shoulder (CR §1.1 Sites)', () => {
    const sites = pooled.flatMap((p) => p.truth.hoJoints.map((j) => j.site));
    const n = (site: string) => sites.filter((s) => s === site).length;
    expect(n('hip') / sites.length).toBeGreaterThan(0.5);
    expect(n('knee')).toBeGreaterThan(n('shoulder'));
    expect(n('elbow')).toBeGreaterThan(n('shoulder'));
  });

  it('gives HO patients the published risk markers more often (CR §1.2)', () => {
    const tbi = pooled.filter((p) => p.record.injury.type === 'tbi');
    const meanComa = (group: SyntheticPatient[]) => {
      const known = group.flatMap((p) =>
        p.record.injury.comaDays === null ? [] : [p.record.injury.comaDays],
      );
      return known.reduce((a, b) => a + b, 0) / known.length;
    };
    const ho = tbi.filter((p) => p.truth.hoJoints.length > 0);
    const none = tbi.filter((p) => p.truth.hoJoints.length === 0);
    expect(meanComa(ho)).toBeGreaterThan(2 * meanComa(none));
    const pshShare = (group: SyntheticPatient[]) =>
      share(group, (p) => p.record.injury.autonomicDysregulation === true);
    expect(pshShare(ho)).toBeGreaterThan(3 * pshShare(none));
  });

  it('shows HO as a falling arc at least a week before the first positive image (CR §2.3)', () => {
    let checked = 0;
    for (const p of pooled) {
      for (const j of p.truth.hoJoints) {
        const positives = p.record.imaging
          .filter((i) => i.site === j.site && i.side === j.side && i.result === 'positive')
          .map((i) => ms(i.takenAt));
        if (positives.length === 0) continue;
        const firstPositive = Math.min(...positives);
        expect(j.firstPositiveImagingAt && ms(j.firstPositiveImagingAt)).toBe(firstPositive);
        // Imaging turns positive 2–3 weeks into the process at the earliest (Orzel 1985, CR §2.3).
        expect(firstPositive - ms(j.declineStartsAt)).toBeGreaterThanOrEqual(14 * DAY);
        const series = new Map<string, { t: number; degrees: number }[]>();
        let firstFall = Infinity;
        for (const r of p.record.romReadings) {
          if (r.site !== j.site || r.side !== j.side) continue;
          const t = ms(r.takenAt);
          const key = `${r.movement}|${r.mode}`;
          const earlier = series.get(key) ?? [];
          const best = Math.max(
            ...earlier.filter((e) => e.t >= t - 28 * DAY).map((e) => e.degrees),
          );
          if (r.degrees <= best - 10) firstFall = Math.min(firstFall, t);
          earlier.push({ t, degrees: r.degrees });
          series.set(key, earlier);
        }
        expect(firstPositive - firstFall).toBeGreaterThanOrEqual(7 * DAY);
        // An X-ray, when taken, turns positive after the ultrasound or bone scan.
        const xrays = p.record.imaging.filter(
          (i) =>
            i.site === j.site &&
            i.side === j.side &&
            i.modality === 'xray' &&
            i.result === 'positive',
        );
        for (const x of xrays) expect(ms(x.takenAt)).toBeGreaterThan(firstPositive);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('has catheters on 20–35% of stays and complications at believable rates', () => {
    const stays = pooled.reduce((n, p) => n + p.record.stays.length, 0);
    const withCatheter = pooled.reduce(
      (n, p) => n + Math.min(p.record.stays.length, p.record.catheterEpisodes.length),
      0,
    );
    expect(withCatheter / stays).toBeGreaterThanOrEqual(0.2);
    expect(withCatheter / stays).toBeLessThanOrEqual(0.35);
    const patientDays = pooled.reduce(
      (n, p) =>
        n +
        p.record.stays.reduce(
          (d, s) => d + ((s.dischargedAt ? ms(s.dischargedAt) : NOW_MS) - ms(s.admittedAt)) / DAY,
          0,
        ),
      0,
    );
    const per1000 = (kind: string) =>
      (pooled.reduce(
        (n, p) =>
          n + p.record.complications.filter((c) => c.kind === kind && !c.presentOnAdmission).length,
        0,
      ) /
        patientDays) *
      1000;
    expect(per1000('pneumonia')).toBeGreaterThan(0.5);
    expect(per1000('pneumonia')).toBeLessThan(10);
    expect(per1000('uti')).toBeGreaterThan(1);
    expect(per1000('uti')).toBeLessThan(12);
    const pressure = pooled.flatMap((p) =>
      p.record.complications.filter((c) => c.kind === 'pressure_injury'),
    );
    expect(pressure.some((c) => c.presentOnAdmission)).toBe(true);
    expect(pressure.some((c) => !c.presentOnAdmission)).toBe(true);
    expect(pooled.some((p) => p.record.complications.some((c) => c.kind === 'dvt'))).toBe(true);
  });

  it('records NSAID prophylaxis for some and excision with recurrence watch for a few (CR §6)', () => {
    const nsaid = share(pooled, (p) => p.record.interventions.some((i) => i.kind === 'nsaid'));
    expect(nsaid).toBeGreaterThan(0.02);
    expect(nsaid).toBeLessThan(0.3);
    const excised = pooled.filter((p) => p.truth.excised !== null);
    expect(excised.length).toBeGreaterThan(0);
    for (const p of excised) {
      const excision = p.record.interventions.find((i) => i.kind === 'excision');
      expect(excision).toBeDefined();
    }
  });

  it('scores Braden subscales, JH-HLM, FAC, GG and Modified Ashworth as codes in range', () => {
    for (const p of patients) {
      for (const b of p.record.braden) {
        const total =
          b.sensoryPerception +
          b.moisture +
          b.activity +
          b.mobility +
          b.nutrition +
          b.frictionShear;
        expect(total).toBeGreaterThanOrEqual(6);
        expect(total).toBeLessThanOrEqual(23);
      }
      for (const m of p.record.mobility) {
        if (m.scale === 'jh_hlm') expect(Number(m.code)).toBeGreaterThanOrEqual(1);
        if (m.scale === 'fac') expect(Number(m.code)).toBeLessThanOrEqual(5);
      }
    }
    const scales = new Set(patients.flatMap((p) => p.record.mobility.map((m) => m.scale)));
    expect([...scales].sort()).toEqual(['fac', 'gg', 'jh_hlm']);
    const grades = new Set(patients.flatMap((p) => p.record.spasticity.map((s) => s.grade)));
    expect(grades.has('0') && grades.has('2') && grades.has('1+')).toBe(true);
  });
});

describe('goniometry with its real error (CR §2.6) and a ground truth to score against', () => {
  it('gives each therapist a stable bias of a few degrees, differing between therapists', () => {
    const staff = planHospital(demo).staff.filter((s) => s.roles.includes('therapist'));
    const biases = staff.map((s) => raterBias(7, s.username, 'hip', 'flexion'));
    expect(raterBias(7, staff[0]!.username, 'hip', 'flexion')).toBe(biases[0]);
    const mean = biases.reduce((a, b) => a + b, 0) / biases.length;
    const sd = Math.sqrt(biases.reduce((a, b) => a + (b - mean) ** 2, 0) / biases.length);
    expect(sd).toBeGreaterThan(1.5);
    expect(sd).toBeLessThan(5);
  });

  it('records which joints stiffen from spasticity rather than HO', () => {
    const withContracture = pooled.filter((p) => p.truth.contractures.length > 0);
    expect(withContracture.length).toBeGreaterThan(pooled.length * 0.05);
    for (const p of withContracture) {
      for (const c of p.truth.contractures) {
        expect(p.truth.hoJoints.some((j) => j.site === c.site && j.side === c.side)).toBe(false);
      }
    }
  });

  it('now and then reads a joint low that the next sitting does not repeat', () => {
    // A reading ≥ 10° below both its neighbours in the series: pain-limited or mis-measured.
    let isolatedLows = 0;
    for (const p of patients.filter((x) => x.truth.hoJoints.length === 0).slice(0, 80)) {
      const series = new Map<string, number[]>();
      for (const r of p.record.romReadings) {
        const key = `${r.site}:${r.side}:${r.movement}:${r.mode}`;
        series.set(key, [...(series.get(key) ?? []), r.degrees]);
      }
      for (const values of series.values()) {
        for (let i = 1; i + 1 < values.length; i++) {
          if (values[i]! <= values[i - 1]! - 10 && values[i]! <= values[i + 1]! - 10)
            isolatedLows++;
        }
      }
    }
    expect(isolatedLows).toBeGreaterThan(10);
  });
});
