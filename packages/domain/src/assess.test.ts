import { describe, expect, it } from 'vitest';
import { assessPatient } from './assess.ts';
import { DEFAULT_HO_WATCH_SETTINGS } from './settings.ts';
import type { Assessment } from './assessment-types.ts';
import type { JointSite, Side } from './joints.ts';
import { day, excision, infection, injury, record, rom, sign } from '../test/builders.ts';

function siteState(a: Assessment, site: JointSite, side: Side): string | undefined {
  return a.sites.find((s) => s.site === site && s.side === side)?.state;
}

function rules(a: Assessment): string[] {
  return a.reasons.map((r) => r.rule);
}

describe('ROM decline (PRODUCT §3, CR §2.1)', () => {
  it('names the reading, the loss and the best with its day', () => {
    const a = assessPatient(record({ romReadings: [rom(20, 110), rom(34, 82)] }), day(34.5));
    expect(a.tier).toBe('high');
    const decline = a.reasons.find((r) => r.rule === 'rom_recheck');
    expect(decline?.detail).toBe(
      'Recheck left hip flexion: 82°, 28° below its best (110° on day 20); passive, day 34, not yet repeated',
    );
    expect(a.flags).toContain('recheck');
    expect(decline?.evidence.section).toBe('CR §2.1, §2.6');
    expect(siteState(a, 'hip', 'left')).toBe('watch');
    expect(a.romSignals).toEqual([
      expect.objectContaining({ kind: 'decline', latestDegrees: 82, comparedDegrees: 110 }),
    ]);
  });

  it('counts a loss of exactly 15° and not 14°', () => {
    // 100 → 86 is 14° and 14%: neither threshold.
    expect(assessPatient(record({ romReadings: [rom(20, 100), rom(30, 86)] }), day(30)).tier).toBe(
      'low',
    );
    expect(assessPatient(record({ romReadings: [rom(20, 100), rom(30, 85)] }), day(30)).tier).toBe(
      'high',
    );
  });

  it('counts a loss of exactly 20% even when under 15°', () => {
    // 50 → 40: 10°, exactly 20%.
    const at20 = assessPatient(
      record({ romReadings: [rom(20, 50, { site: 'knee' }), rom(30, 40, { site: 'knee' })] }),
      day(30),
    );
    expect(rules(at20)).toContain('rom_recheck');
    // 50 → 41: 9°, 18%.
    const at18 = assessPatient(
      record({ romReadings: [rom(20, 50, { site: 'knee' }), rom(30, 41, { site: 'knee' })] }),
      day(30),
    );
    expect(rules(at18)).not.toContain('rom_recheck');
  });

  it('does not use a percentage against a best at or below 0°', () => {
    // Elbow extension −5° → −15°: 10° lost, a percentage of −5° means nothing.
    const a = assessPatient(
      record({
        romReadings: [
          rom(20, -5, { site: 'elbow', movement: 'extension' }),
          rom(25, -15, { site: 'elbow', movement: 'extension' }),
        ],
      }),
      day(25),
    );
    expect(rules(a)).not.toContain('rom_recheck');
    const b = assessPatient(
      record({
        romReadings: [
          rom(20, -5, { site: 'elbow', movement: 'extension' }),
          rom(25, -20, { site: 'elbow', movement: 'extension' }),
        ],
      }),
      day(25),
    );
    expect(b.reasons.find((r) => r.rule === 'rom_recheck')?.detail).toBe(
      'Recheck left elbow extension: -20°, 15° below its best (-5° on day 20); passive, day 25, not yet repeated',
    );
  });

  it('looks back exactly 28 days, the edge included', () => {
    const edge = assessPatient(record({ romReadings: [rom(10, 110), rom(38, 90)] }), day(38));
    expect(rules(edge)).toContain('rom_recheck');
    const beyond = assessPatient(record({ romReadings: [rom(10, 110), rom(39, 90)] }), day(39));
    expect(rules(beyond)).not.toContain('rom_recheck');
  });

  it('compares only the same movement and mode', () => {
    const a = assessPatient(
      record({ romReadings: [rom(20, 110, { mode: 'active' }), rom(30, 80, { mode: 'passive' })] }),
      day(30),
    );
    expect(rules(a)).not.toContain('rom_recheck');
  });

  it('does not take a reading on the other side as a decline', () => {
    const a = assessPatient(
      record({ romReadings: [rom(30, 110, { side: 'right' }), rom(30, 80, { side: 'left' })] }),
      day(30),
    );
    expect(rules(a)).not.toContain('rom_recheck');
    // It is an asymmetry of 30° on day 30, inside the vigilance window: a ROM decline for the tier
    // (PRODUCT §3), the left hip on watch.
    expect(rules(a)).toContain('rom_asymmetry');
    expect(siteState(a, 'hip', 'left')).toBe('watch');
    expect(siteState(a, 'hip', 'right')).toBe('none');
    expect(a.tier).toBe('high');
  });

  it('sees asymmetry at exactly 20° and not at 19°', () => {
    const at = (deg: number) =>
      assessPatient(
        record({ romReadings: [rom(21, 100, { side: 'right' }), rom(21, deg)] }),
        day(21),
      );
    expect(rules(at(80))).toContain('rom_asymmetry');
    expect(rules(at(81))).not.toContain('rom_asymmetry');
  });

  it('ignores readings after now', () => {
    const a = assessPatient(record({ romReadings: [rom(20, 110), rom(40, 60)] }), day(30));
    expect(a.tier).toBe('low');
    expect(a.lastRomAt).toBe(day(20));
  });
});

describe('suspected HO', () => {
  it('is suspected when a second reading confirms the decline', () => {
    const a = assessPatient(
      record({
        romReadings: [
          rom(20, 110),
          rom(30, 90),
          rom(33, 88),
          // Abduction falls with it: two movements of the joint, two sittings (CR §2.6).
          rom(20, 45, { movement: 'abduction' }),
          rom(30, 32, { movement: 'abduction' }),
          rom(33, 30, { movement: 'abduction' }),
        ],
      }),
      day(33),
    );
    expect(a.tier).toBe('alert');
    expect(siteState(a, 'hip', 'left')).toBe('suspected');
    expect(a.reasons[0]?.rule).toBe('rom_decline_confirmed');
    expect(a.advisories.map((x) => x.rule)).toContain('advise_early_imaging');
    expect(a.advisories[0]?.text).toMatch(/^Consider an ultrasound or a three-phase bone scan/);
  });

  it('is not suspected when the decline recovered on the latest reading', () => {
    const a = assessPatient(
      record({ romReadings: [rom(20, 110), rom(30, 90), rom(33, 108)] }),
      day(33),
    );
    expect(a.tier).toBe('low');
  });

  it('is suspected with a nurse sign at the same site within 7 days', () => {
    const base = { romReadings: [rom(20, 110), rom(30, 90)] };
    const withSign = assessPatient(
      record({ ...base, jointObservations: [sign(23, { warmth: true, swelling: true })] }),
      day(30),
    );
    expect(withSign.tier).toBe('alert');
    expect(withSign.reasons[0]?.detail).toMatch(
      /with swelling and warmth at the left hip on day 23/,
    );
    const tooEarly = assessPatient(
      record({ ...base, jointObservations: [sign(22.9, { warmth: true })] }),
      day(30),
    );
    expect(tooEarly.tier).toBe('high');
    const otherSide = assessPatient(
      record({ ...base, jointObservations: [sign(29, { warmth: true }, { side: 'right' })] }),
      day(30),
    );
    expect(otherSide.tier).toBe('high');
  });

  it('puts a sign without a decline on watch only', () => {
    const a = assessPatient(
      record({
        romReadings: [rom(20, 110), rom(30, 108)],
        jointObservations: [sign(29, { erythema: true })],
      }),
      day(30),
    );
    expect(a.tier).toBe('low');
    expect(siteState(a, 'hip', 'left')).toBe('watch');
    expect(rules(a)).toContain('nurse_sign');
  });
});

describe('confirmed, ankylosed, excised', () => {
  const positive = (d: number, grade: 'III' | 'IV' | null = null) => ({
    id: 500 + d,
    modality: 'xray' as const,
    site: 'hip' as const,
    side: 'left' as const,
    result: 'positive' as const,
    grade: grade ? { system: 'brooker' as const, grade } : null,
    takenAt: day(d),
  });

  it('confirms HO on positive imaging; alert while the arc keeps shrinking', () => {
    const stable = assessPatient(
      record({ romReadings: [rom(20, 100), rom(40, 98)], imaging: [positive(45)] }),
      day(46),
    );
    expect(siteState(stable, 'hip', 'left')).toBe('confirmed');
    expect(stable.tier).toBe('low');
    const shrinking = assessPatient(
      record({ romReadings: [rom(40, 100), rom(48, 82), rom(50, 80)], imaging: [positive(45)] }),
      day(50),
    );
    expect(shrinking.tier).toBe('alert');
    expect(rules(shrinking)[0]).toBe('ho_progressing');
  });

  it('calls Brooker IV ankylosed, Brooker III only confirmed', () => {
    const iv = assessPatient(record({ imaging: [positive(80, 'IV')] }), day(81));
    expect(siteState(iv, 'hip', 'left')).toBe('ankylosed');
    expect(iv.sites.find((s) => s.state === 'ankylosed')?.reasons[0]?.detail).toBe(
      'X-ray of the left hip on day 80 shows bony ankylosis (Brooker IV)',
    );
    const iii = assessPatient(record({ imaging: [positive(80, 'III')] }), day(81));
    expect(siteState(iii, 'hip', 'left')).toBe('confirmed');
  });

  it('calls Hastings & Graham III at the elbow ankylosed', () => {
    const a = assessPatient(
      record({
        imaging: [
          {
            id: 1,
            modality: 'ct',
            site: 'elbow',
            side: 'right',
            result: 'positive',
            grade: { system: 'hastings_graham', grade: 'III' },
            takenAt: day(90),
          },
        ],
      }),
      day(91),
    );
    expect(siteState(a, 'elbow', 'right')).toBe('ankylosed');
  });

  it('calls a confirmed site with a passive arc at or below 10° ankylosed', () => {
    const readings = (ext: number) => [
      rom(60, 20, { id: 1 }),
      rom(60, ext, { movement: 'extension', id: 2 }),
    ];
    expect(
      siteState(
        assessPatient(record({ romReadings: readings(-10), imaging: [positive(50)] }), day(61)),
        'hip',
        'left',
      ),
    ).toBe('ankylosed');
    expect(
      siteState(
        assessPatient(record({ romReadings: readings(-9), imaging: [positive(50)] }), day(61)),
        'hip',
        'left',
      ),
    ).toBe('confirmed');
  });

  it('keeps a recurrence watch for six months after excision, then says excised', () => {
    const r = record({ interventions: [excision(200)] });
    const within = assessPatient(r, day(200 + 183));
    expect(siteState(within, 'hip', 'left')).toBe('recurrence_watch');
    expect(within.advisories.map((x) => x.rule)).toEqual(['advise_recurrence_watch']);
    const after = assessPatient(r, day(200 + 184));
    expect(siteState(after, 'hip', 'left')).toBe('excised');
    expect(after.advisories).toEqual([]);
  });

  it('forgets the pre-operative arc after excision', () => {
    const a = assessPatient(
      record({ romReadings: [rom(100, 40), rom(180, 20)], interventions: [excision(190)] }),
      day(200),
    );
    expect(a.tier).toBe('low');
    expect(siteState(a, 'hip', 'left')).toBe('recurrence_watch');
  });
});

describe('risk factors and tiers', () => {
  it('puts one major factor at elevated and three in the window at high', () => {
    const one = record({ injury: injury({ diffuseAxonalInjury: true }) });
    expect(assessPatient(one, day(30)).tier).toBe('elevated');
    // Two background factors no longer colour the bed high on their own (highTierMinFactors 3).
    const two = record({
      injury: injury({ diffuseAxonalInjury: true, autonomicDysregulation: true }),
    });
    expect(assessPatient(two, day(30)).tier).toBe('elevated');
    const three = record({
      injury: injury({ diffuseAxonalInjury: true, autonomicDysregulation: true, comaDays: 20 }),
    });
    expect(assessPatient(three, day(30)).tier).toBe('high');
    // Outside the window, factors are still factors: elevated.
    expect(assessPatient(three, day(200)).tier).toBe('elevated');
  });

  it('opens the window on day 14 and closes it after day 120', () => {
    const two = record({
      injury: injury({ diffuseAxonalInjury: true, autonomicDysregulation: true, comaDays: 20 }),
    });
    expect(assessPatient(two, day(13.99)).tier).toBe('elevated');
    expect(assessPatient(two, day(14)).tier).toBe('high');
    expect(assessPatient(two, day(120.99)).tier).toBe('high');
    expect(assessPatient(two, day(121)).tier).toBe('elevated');
    expect(assessPatient(two, day(14)).flags).toContain('in_vigilance_window');
  });

  it('counts coma and ventilation only beyond 14 days, and unknown as nothing', () => {
    expect(assessPatient(record({ injury: injury({ comaDays: 14 }) }), day(30)).tier).toBe('low');
    expect(assessPatient(record({ injury: injury({ comaDays: 15 }) }), day(30)).tier).toBe(
      'elevated',
    );
    expect(assessPatient(record({ injury: injury({ ventilationDays: 15 }) }), day(30)).tier).toBe(
      'elevated',
    );
    const unknown = assessPatient(record(), day(30));
    expect(unknown.tier).toBe('low');
    expect(unknown.majorFactorCount).toBe(0);
  });

  it('raises a severe injury in the window to elevated', () => {
    const severe = record({ injury: injury({ lowestGcs: 6 }) });
    expect(assessPatient(severe, day(30)).tier).toBe('elevated');
    expect(assessPatient(severe, day(10)).tier).toBe('low');
    expect(assessPatient(record({ injury: injury({ lowestGcs: 9 }) }), day(30)).tier).toBe('low');
  });

  it('counts only an active pneumonia or UTI as systemic infection', () => {
    expect(assessPatient(record({ complications: [infection('uti', 20, 25)] }), day(30)).tier).toBe(
      'low',
    );
    const active = assessPatient(record({ complications: [infection('pneumonia', 20)] }), day(30));
    expect(active.tier).toBe('elevated');
    expect(active.reasons[0]?.detail).toBe('Active pneumonia since day 20');
  });

  it('uses the latest MAS per joint, latest JH-HLM and latest FAC', () => {
    const spastic = record({
      spasticity: [
        { id: 1, site: 'elbow', side: 'left', grade: '3', takenAt: day(20) },
        { id: 2, site: 'elbow', side: 'left', grade: '1+', takenAt: day(25) },
      ],
    });
    expect(assessPatient(spastic, day(30)).tier).toBe('low');
    expect(assessPatient(spastic, day(22)).tier).toBe('elevated');
    const mobile = record({
      mobility: [
        { id: 1, scale: 'jh_hlm', code: '3', takenAt: day(20) },
        { id: 2, scale: 'jh_hlm', code: '4', takenAt: day(25) },
      ],
    });
    expect(assessPatient(mobile, day(30)).tier).toBe('low');
    expect(assessPatient(mobile, day(22)).reasons[0]?.detail).toBe(
      'Low mobility: latest JH-HLM 3 (Sit at edge of bed) on day 20',
    );
    const fac = record({ mobility: [{ id: 1, scale: 'fac', code: '2', takenAt: day(20) }] });
    expect(assessPatient(fac, day(30)).tier).toBe('elevated');
  });

  it('counts a pressure injury from stage 2, unstageable and deep tissue included', () => {
    const pi = (stage: '1' | '2' | 'unstageable' | 'deep_tissue') =>
      record({
        complications: [
          {
            id: 1,
            kind: 'pressure_injury',
            bodySite: 'sacrum',
            stage,
            deviceRelated: false,
            onsetAt: day(20),
            resolvedAt: null,
            wardId: 1,
            presentOnAdmission: false,
          },
        ],
      });
    expect(assessPatient(pi('1'), day(30)).tier).toBe('low');
    expect(assessPatient(pi('2'), day(30)).tier).toBe('elevated');
    expect(assessPatient(pi('unstageable'), day(30)).tier).toBe('elevated');
    expect(assessPatient(pi('deep_tissue'), day(30)).tier).toBe('elevated');
    expect(
      assessPatient(pi('deep_tissue'), day(30), {
        ...DEFAULT_HO_WATCH_SETTINGS,
        pressureInjuryCountDeepTissue: false,
      }).tier,
    ).toBe('low');
  });

  it('counts complete SCI and a surgically treated fracture', () => {
    expect(
      assessPatient(record({ injury: injury({ type: 'sci', aisGrade: 'A' }) }), day(30)).tier,
    ).toBe('elevated');
    const fracture = record({
      injury: injury({ surgicalFractures: [{ limb: 'left_leg', fixedAt: day(2) }] }),
    });
    expect(assessPatient(fracture, day(30)).reasons[0]?.detail).toBe(
      'Surgically treated fracture of the left leg',
    );
  });
});

describe('monitoring gaps', () => {
  it('flags a high patient with no ROM reading for more than 7 days', () => {
    const two = record({
      injury: injury({ diffuseAxonalInjury: true, autonomicDysregulation: true, comaDays: 20 }),
      romReadings: [rom(20, 100)],
    });
    expect(assessPatient(two, day(27.9)).flags).not.toContain('overdue');
    const late = assessPatient(two, day(28));
    expect(late.flags).toContain('overdue');
    expect(late.reasons[0]?.detail).toBe(
      'No ROM reading for 8 days (last on day 20); high-tier patients are measured at least every 7 days',
    );
  });

  it('does not flag a low patient', () => {
    expect(assessPatient(record(), day(60)).flags).not.toContain('overdue');
  });
});

describe('functional impacts (CR §3.2)', () => {
  it('names each limit a ward cares about', () => {
    const a = assessPatient(
      record({
        romReadings: [
          rom(30, 85),
          rom(30, 120, { site: 'elbow', movement: 'flexion' }),
          rom(30, -40, { site: 'elbow', movement: 'extension' }),
          rom(30, 45, { site: 'elbow', movement: 'pronation' }),
          rom(30, 60, { site: 'elbow', movement: 'supination' }),
          rom(30, 95, { site: 'knee' }),
          rom(30, -5, { site: 'ankle', movement: 'dorsiflexion' }),
        ],
      }),
      day(31),
    );
    expect(a.functionalImpacts.map((i) => i.rule)).toEqual([
      'impact_hip_sitting',
      'impact_elbow_arc',
      'impact_forearm_rotation',
      'impact_knee_flexion',
      'impact_ankle_neutral',
    ]);
    expect(a.functionalImpacts[0]?.detail).toBe(
      'Left hip flexion 85° (passive, day 30): below the ~90° needed to sit upright',
    );
  });

  it('is silent at exactly the functional values', () => {
    const a = assessPatient(
      record({
        romReadings: [
          rom(30, 90),
          rom(30, 130, { site: 'elbow', movement: 'flexion' }),
          rom(30, -30, { site: 'elbow', movement: 'extension' }),
          rom(30, 50, { site: 'elbow', movement: 'pronation' }),
          rom(30, 50, { site: 'elbow', movement: 'supination' }),
          rom(30, 100, { site: 'knee' }),
          rom(30, 0, { site: 'ankle', movement: 'dorsiflexion' }),
        ],
      }),
      day(31),
    );
    expect(a.functionalImpacts).toEqual([]);
  });
});

describe('advisories (CR §6, §2.1)', () => {
  it('suggests DVT in the differential for swelling with fever', () => {
    const a = assessPatient(
      record({
        jointObservations: [sign(28, { swelling: true }, { site: 'knee' })],
        vitalsAndLabs: [{ id: 1, kind: 'temperature', value: 38.4, unit: '°C', takenAt: day(29) }],
      }),
      day(30),
    );
    expect(a.advisories.map((x) => x.rule)).toEqual(['advise_dvt_differential']);
    expect(a.advisories[0]?.text).toMatch(/^Consider deep vein thrombosis/);
    const noFever = assessPatient(
      record({
        jointObservations: [sign(28, { swelling: true }, { site: 'knee' })],
        vitalsAndLabs: [{ id: 1, kind: 'temperature', value: 38.0, unit: '°C', takenAt: day(29) }],
      }),
      day(30),
    );
    expect(noFever.advisories).toEqual([]);
  });

  it('cautions about nonunion and bleeding while an NSAID is active', () => {
    const a = assessPatient(
      record({
        injury: injury({ surgicalFractures: [{ limb: 'right_leg', fixedAt: day(3) }] }),
        interventions: [
          {
            id: 1,
            kind: 'nsaid',
            drug: 'indomethacin',
            doseMg: 75,
            startedAt: day(21),
            stoppedAt: null,
          },
        ],
        bleedingRisk: {
          gastrointestinalBleed: true,
          intracranialBleed: false,
          renalImpairment: false,
          anticoagulated: false,
        },
      }),
      day(30),
    );
    expect(a.advisories.map((x) => x.rule)).toEqual([
      'caution_nsaid_nonunion',
      'caution_nsaid_bleeding',
    ]);
    expect(a.advisories[1]?.text).toContain('gastrointestinal bleeding');
  });
});

describe('the whole assessment', () => {
  it('has ten sites and every reason cites a CR section', () => {
    const a = assessPatient(
      record({
        injury: injury({ diffuseAxonalInjury: true, lowestGcs: 5 }),
        romReadings: [rom(20, 110), rom(30, 80), rom(31, 79)],
      }),
      day(31),
    );
    expect(a.sites).toHaveLength(10);
    expect(a.daysSinceInjury).toBe(31);
    for (const r of [...a.reasons, ...a.sites.flatMap((s) => s.reasons)]) {
      expect(r.evidence.section).toMatch(/^(CR|PRODUCT) §/);
      expect(r.detail).not.toMatch(/undefined|NaN|null/);
    }
  });
});

describe('calendar days (the ward counts days, not hours)', () => {
  it('counts the day after injury in calendar days of the settings time zone', () => {
    const r = record({
      injury: injury({
        occurredAt: '2026-03-01T23:30:00Z',
        diffuseAxonalInjury: true,
        autonomicDysregulation: true,
        comaDays: 20,
      }),
    });
    // 23:30 UTC is still 1 March in London but already 2 March in Berlin.
    const london = assessPatient(r, '2026-03-15T12:00:00Z', {
      ...DEFAULT_HO_WATCH_SETTINGS,
      timeZone: 'Europe/London',
    });
    expect(london.daysSinceInjury).toBe(14);
    expect(london.tier).toBe('high');
    const berlin = assessPatient(r, '2026-03-15T12:00:00Z', {
      ...DEFAULT_HO_WATCH_SETTINGS,
      timeZone: 'Europe/Berlin',
    });
    expect(berlin.daysSinceInjury).toBe(13);
    expect(berlin.tier).toBe('elevated');
  });

  it('takes a sign 7 calendar days before the decline, whatever the hour', () => {
    const a = assessPatient(
      record({
        romReadings: [rom(20, 110), rom(30 + 10 / 24, 90)],
        jointObservations: [sign(23 + 8 / 24, { swelling: true })],
      }),
      day(31),
    );
    expect(a.tier).toBe('alert');
  });
});

describe('recurrence after excision', () => {
  it('suspects a recurrence from readings after the operation and says so', () => {
    const a = assessPatient(
      record({
        romReadings: [
          rom(100, 40),
          rom(200, 100),
          rom(210, 80),
          rom(215, 78),
          rom(200, 45, { movement: 'abduction' }),
          rom(210, 32, { movement: 'abduction' }),
          rom(215, 30, { movement: 'abduction' }),
        ],
        interventions: [excision(190)],
      }),
      day(215),
    );
    expect(siteState(a, 'hip', 'left')).toBe('suspected');
    expect(a.tier).toBe('alert');
    const site = a.sites.find((s) => s.site === 'hip' && s.side === 'left');
    expect(site?.reasons.map((r) => r.rule)).toContain('recurrence_watch');
    expect(a.advisories.map((x) => x.rule)).toEqual([
      'advise_early_imaging',
      'advise_recurrence_watch',
    ]);
  });

  it('refuses a moment that is not an instant', () => {
    expect(() => assessPatient(record(), 'yesterday')).toThrow(RangeError);
  });
});

describe('alerts a ward can trust (CR §2.6: no decline inside measurement error)', () => {
  const ankle = (d: number, deg: number) =>
    rom(d, deg, { site: 'ankle', movement: 'dorsiflexion' });

  it('takes a 6° fall on a 20° arc for noise and a 16° fall for a decline', () => {
    const six = assessPatient(record({ romReadings: [ankle(20, 20), ankle(30, 14)] }), day(30));
    expect(rules(six)).not.toContain('rom_recheck');
    expect(six.romSignals).toEqual([]);
    const sixteen = assessPatient(record({ romReadings: [ankle(20, 20), ankle(30, 4)] }), day(30));
    expect(rules(sixteen)).toContain('rom_recheck');
    expect(sixteen.tier).toBe('high');
  });

  it('never divides by a small number: 1° → −7° is no "800%" fall, 60° → 47° still is a decline', () => {
    const ext = (d: number, deg: number) => rom(d, deg, { site: 'elbow', movement: 'extension' });
    const small = assessPatient(record({ romReadings: [ext(20, 1), ext(30, -7)] }), day(30));
    expect(rules(small)).not.toContain('rom_recheck');
    const elbow = (d: number, deg: number) => rom(d, deg, { site: 'elbow' });
    const big = assessPatient(record({ romReadings: [elbow(20, 60), elbow(30, 47)] }), day(30));
    expect(rules(big)).toContain('rom_recheck');
  });

  it('honours a per-movement minimal detectable change', () => {
    const settings = {
      ...DEFAULT_HO_WATCH_SETTINGS,
      minimalDetectableChangeByMovement: { 'hip:flexion': 25 },
    };
    const a = assessPatient(
      record({ romReadings: [rom(20, 110), rom(30, 90)] }),
      day(30),
      settings,
    );
    expect(rules(a)).not.toContain('rom_recheck');
  });

  it('keeps the baseline from one high reading: the median of the best three', () => {
    // One generous 125° among readings of ~100°: 88° is 12° below the baseline of 100°, no decline.
    const a = assessPatient(
      record({ romReadings: [rom(20, 100), rom(22, 125), rom(24, 99), rom(26, 100), rom(30, 88)] }),
      day(30),
    );
    expect(rules(a)).not.toContain('rom_recheck');
  });

  it('makes a knee 25° short of the other side, measured the same day, high in the window', () => {
    const knee = (side: 'left' | 'right', deg: number) => rom(30, deg, { site: 'knee', side });
    const a = assessPatient(
      record({ romReadings: [knee('right', 130), knee('left', 105)] }),
      day(30),
    );
    expect(a.tier).toBe('high');
    expect(a.reasons[0]?.rule).toBe('rom_asymmetry');
    expect(a.reasons[0]?.site).toBe('knee');
  });

  it('does not count an asymmetry whose other side is itself falling', () => {
    const knee = (d: number, side: 'left' | 'right', deg: number) =>
      rom(d, deg, { site: 'knee', side });
    const a = assessPatient(
      record({
        romReadings: [knee(20, 'right', 150), knee(30, 'right', 130), knee(30, 'left', 105)],
      }),
      day(30),
    );
    expect(rules(a)).not.toContain('rom_asymmetry');
  });

  it('shows a first falling reading as "recheck", and sets aside one the next reading contradicts', () => {
    const first = assessPatient(
      record({ romReadings: [rom(20, 110, { site: 'knee' }), rom(30, 87, { site: 'knee' })] }),
      day(30),
    );
    expect(first.tier).toBe('high');
    expect(first.flags).toContain('recheck');
    const recheck = first.reasons.find((r) => r.rule === 'rom_recheck');
    expect(recheck).toMatchObject({ site: 'knee', side: 'left' });
    expect(recheck?.detail).toMatch(/^Recheck left knee flexion: 87°, 23° below its best/);
    const contradicted = assessPatient(
      record({
        romReadings: [
          rom(20, 110, { site: 'knee' }),
          rom(30, 87, { site: 'knee' }),
          rom(31, 108, { site: 'knee' }),
        ],
      }),
      day(31),
    );
    expect(contradicted.tier).toBe('low');
    expect(contradicted.flags).not.toContain('recheck');
    expect(contradicted.romSignals).toEqual([]);
  });

  it('wants more than one number repeated: a lone movement falling twice stays a recheck', () => {
    const a = assessPatient(
      record({ romReadings: [rom(20, 110), rom(30, 90), rom(33, 88)] }),
      day(33),
    );
    expect(a.tier).toBe('high');
    expect(a.flags).toContain('recheck');
    expect(siteState(a, 'hip', 'left')).toBe('watch');
    // Four sittings in a row are a later session's evidence enough on their own.
    const four = assessPatient(
      record({
        romReadings: [
          rom(14, 110),
          rom(17, 111),
          rom(20, 109),
          rom(30, 90),
          rom(33, 88),
          rom(35, 87),
          rom(37, 86),
        ],
      }),
      day(37),
    );
    expect(four.tier).toBe('alert');
  });

  it('lists spasticity once, as the patient factor, not again per joint', () => {
    const a = assessPatient(
      record({
        spasticity: [
          { id: 900, site: 'knee', side: 'left', grade: '3', takenAt: day(20) },
          { id: 901, site: 'hip', side: 'left', grade: '2', takenAt: day(20) },
        ],
      }),
      day(30),
    );
    expect(rules(a).filter((r) => r.startsWith('spasticity'))).toEqual(['spasticity_mas']);
    expect(siteState(a, 'knee', 'left')).toBe('watch');
  });
});
