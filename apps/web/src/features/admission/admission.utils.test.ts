import { TRPCClientError } from '@trpc/client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canAdmit } from './can-admit.ts';
import {
  admitProblems,
  buildAdmitInput,
  emptyAdmitForm,
  instantFromWardLocal,
  wardInputNow,
  type AdmitForm,
  type AdmitInput,
} from './admission.utils.ts';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const LONDON = { id: 7, timeZone: 'Europe/London' };

describe('wall clock of the ward', () => {
  it('reads a typed time in the ward zone, whatever the browser zone', () => {
    expect(instantFromWardLocal('2026-03-10T09:30', 'Europe/Berlin', NOW)).toEqual({
      instant: '2026-03-10T08:30:00.000Z',
    });
    expect(instantFromWardLocal('2026-03-06T09:30', 'America/New_York', NOW)).toEqual({
      instant: '2026-03-06T14:30:00.000Z',
    });
    // Summer time in London: 09:30 BST is 08:30 UTC.
    expect(
      instantFromWardLocal('2026-07-01T09:30', 'Europe/London', new Date('2026-08-01')),
    ).toEqual({ instant: '2026-07-01T08:30:00.000Z' });
  });

  it('refuses a time the clocks skip, and reads a repeated hour as its first occurrence', () => {
    const after = new Date('2026-12-01T00:00:00.000Z');
    const skipped = instantFromWardLocal('2026-03-29T01:30', 'Europe/London', after);
    expect(skipped).toEqual({
      problem: '2026-03-29 01:30 does not exist in Europe/London: the clocks changed then',
    });
    // 25 Oct 2026, 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT).
    expect(instantFromWardLocal('2026-10-25T01:30', 'Europe/London', after)).toEqual({
      instant: '2026-10-25T00:30:00.000Z',
    });
  });

  it('refuses blanks, impossible dates and the future beyond five minutes', () => {
    expect(instantFromWardLocal('', 'UTC', NOW)).toEqual({ problem: 'enter a date and time' });
    expect(instantFromWardLocal('2026-02-30T10:00', 'UTC', NOW)).toEqual({
      problem: 'enter a date and time',
    });
    expect(instantFromWardLocal('2026-03-10T12:04', 'UTC', NOW)).toEqual({
      instant: '2026-03-10T12:04:00.000Z',
    });
    expect(instantFromWardLocal('2026-03-10T12:06', 'UTC', NOW)).toEqual({
      problem: 'cannot be in the future',
    });
  });

  it('round-trips: "now" on the ward clock reads back as now, to the minute', () => {
    const zones = ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2030-01-01') }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const now = new Date(ms);
          const typed = wardInputNow(zone, now);
          const read = instantFromWardLocal(typed, zone, now);
          if (!('instant' in read)) return false;
          const back = Date.parse(read.instant);
          // Same wall clock; within the minute, or the first of a repeated hour (an hour earlier).
          return (
            wardInputNow(zone, new Date(back)) === typed &&
            back <= ms &&
            (ms - back < 60_000 || (ms - back >= 3_600_000 && ms - back < 3_660_000))
          );
        },
      ),
    );
  });
});

function filled(overrides: Partial<AdmitForm> = {}): AdmitForm {
  return {
    ...emptyAdmitForm('Europe/London', NOW),
    mrn: ' MRN-77 ',
    name: ' Ada Lovelace ',
    dateOfBirth: '1985-12-10',
    sex: 'female',
    bedId: '12',
    admittedAt: '2026-03-10T09:00',
    injuryType: 'tbi',
    injuryAt: '2026-02-01T17:45',
    ...overrides,
  };
}

describe('buildAdmitInput', () => {
  it('sends the typed patient with unknowns as null, never 0', () => {
    const built = buildAdmitInput(filled(), LONDON, NOW);
    expect(built).toEqual({
      input: {
        mrn: 'MRN-77',
        name: 'Ada Lovelace',
        dateOfBirth: '1985-12-10',
        sex: 'female',
        wardId: 7,
        bedId: 12,
        admittedAt: '2026-03-10T09:00:00.000Z',
        injury: {
          type: 'tbi',
          occurredAt: '2026-02-01T17:45:00.000Z',
          lowestGcs: null,
          comaDays: null,
          ventilationDays: null,
          diffuseAxonalInjury: null,
          autonomicDysregulation: null,
          aisGrade: null,
          surgicalFractures: [],
        },
      },
    });
  });

  it('sends severity, signs, fractures in limb order and "no bed"', () => {
    const built = buildAdmitInput(
      filled({
        bedId: '',
        lowestGcs: '6',
        comaDays: '0',
        ventilationDays: '21',
        diffuseAxonalInjury: 'yes',
        autonomicDysregulation: 'no',
        aisGrade: 'A',
        fractures: {
          left_arm: { fractured: false, fixedAt: '2026-02-02T10:00' },
          right_arm: { fractured: false, fixedAt: '' },
          left_leg: { fractured: true, fixedAt: '' },
          right_leg: { fractured: true, fixedAt: '2026-02-03T08:15' },
        },
      }),
      LONDON,
      NOW,
    );
    if (!('input' in built)) throw new Error(JSON.stringify(built.problems));
    expect(built.input.bedId).toBeNull();
    expect(built.input.injury).toMatchObject({
      lowestGcs: 6,
      comaDays: 0,
      ventilationDays: 21,
      diffuseAxonalInjury: true,
      autonomicDysregulation: false,
      // Not a spinal cord injury: an AIS grade chosen earlier is not sent.
      aisGrade: null,
      surgicalFractures: [
        { limb: 'left_leg', fixedAt: null },
        { limb: 'right_leg', fixedAt: '2026-02-03T08:15:00.000Z' },
      ],
    });
    const sci = buildAdmitInput(filled({ injuryType: 'sci', aisGrade: 'B' }), LONDON, NOW);
    expect('input' in sci && sci.input.injury.aisGrade).toBe('B');
  });

  it('names each problem by the field the server would name', () => {
    const built = buildAdmitInput(
      filled({
        mrn: '  ',
        name: '',
        dateOfBirth: '1899-12-31',
        sex: '',
        injuryType: '',
        admittedAt: '',
        lowestGcs: '2',
        comaDays: '1.5',
        ventilationDays: '4000',
        fractures: {
          ...emptyAdmitForm('UTC').fractures,
          left_arm: { fractured: true, fixedAt: '2027-01-01T00:00' },
        },
      }),
      LONDON,
      NOW,
    );
    expect(built).toEqual({
      problems: {
        mrn: 'enter the medical record number',
        name: 'enter the name',
        dateOfBirth: 'must be after 1900',
        sex: 'choose one (“Not known” if it is not known)',
        'injury.type': 'choose the kind of injury',
        admittedAt: 'enter a date and time',
        'injury.lowestGcs': 'must be from 3 to 15',
        'injury.comaDays': 'enter a whole number, or leave blank if not known',
        'injury.ventilationDays': 'must be from 0 to 3650',
        'fracture.left_arm': 'cannot be in the future',
      },
    });
  });

  it('refuses an admission before the injury and a birth date after today', () => {
    const built = buildAdmitInput(
      filled({ injuryAt: '2026-03-10T10:00', dateOfBirth: '2026-03-11' }),
      LONDON,
      NOW,
    );
    expect(built).toEqual({
      problems: {
        admittedAt: 'cannot be before the injury',
        dateOfBirth: 'cannot be in the future',
      },
    });
  });
});

function refusal(code: string, message: string, zodIssues?: unknown): TRPCClientError<never> {
  return new TRPCClientError(message, {
    result: {
      error: {
        code: -32600,
        message,
        data: { code, httpStatus: 400, path: 'patient.admit', zodIssues },
      },
    } as never,
  });
}

const SENT = {
  injury: {
    surgicalFractures: [
      { limb: 'left_arm', fixedAt: null },
      { limb: 'right_leg', fixedAt: '2026-02-03T08:15:00.000Z' },
    ],
  },
} as unknown as AdmitInput;

describe('admitProblems', () => {
  it("places the schema's issues next to their fields, a fracture by its limb", () => {
    const error = refusal('BAD_REQUEST', 'mrn: too long; injury.surgicalFractures.1.fixedAt: bad', [
      { field: 'mrn', message: 'too long' },
      { field: 'injury.surgicalFractures.1.fixedAt', message: 'bad' },
    ]);
    expect(admitProblems(error, SENT)).toEqual({
      fields: { mrn: 'too long', 'fracture.right_leg': 'bad' },
      general: 'Not saved: see the fields marked below.',
    });
  });

  it('places a refusal whose message starts with a field (occupied bed, known MRN on the ward)', () => {
    expect(admitProblems(refusal('CONFLICT', 'bedId: this bed is occupied'), SENT)).toEqual({
      fields: { bedId: 'this bed is occupied' },
      general: 'Not saved: see the fields marked below.',
    });
    expect(
      admitProblems(refusal('BAD_REQUEST', 'injury.occurredAt: 2027-01-01 is in the future'), SENT)
        .fields,
    ).toEqual({ 'injury.occurredAt': '2027-01-01 is in the future' });
  });

  it("asks for a reason where the server says another ward's patient needs one, and sends it", () => {
    const found = admitProblems(
      refusal(
        'FORBIDDEN',
        "emergencyReason: this patient's last stay was on a ward you are not assigned to; say why",
      ),
      SENT,
    );
    expect(Object.keys(found.fields)).toEqual(['emergencyReason']);
    expect(admitProblems(refusal('CONFLICT', 'name: does not match'), SENT).fields).toEqual({
      name: 'does not match',
    });
    const built = buildAdmitInput(
      { ...filled(), emergencyReason: '  Back from the acute hospital  ' },
      LONDON,
      NOW,
    );
    expect('input' in built && built.input.emergencyReason).toBe('Back from the acute hospital');
    const plain = buildAdmitInput(filled(), LONDON, NOW);
    expect('input' in plain && 'emergencyReason' in plain.input).toBe(false);
  });

  it('says in words what names no field of the form', () => {
    expect(admitProblems(refusal('FORBIDDEN', 'You are not assigned to this ward.'), SENT)).toEqual(
      {
        fields: {},
        general: 'Not allowed: You are not assigned to this ward.',
      },
    );
    expect(
      admitProblems(
        refusal('BAD_REQUEST', 'wardId: bad', [{ field: 'wardId', message: 'bad' }]),
        SENT,
      ),
    ).toEqual({ fields: {}, general: 'Not saved: wardId: bad' });
    expect(admitProblems(new Error('Failed to fetch'), null)).toEqual({
      fields: {},
      general: 'Not saved: Failed to fetch',
    });
  });
});

describe('canAdmit', () => {
  it('lets nurses and physicians admit, not therapists, managers or admins', () => {
    expect(canAdmit({ roles: ['nurse'] })).toBe(true);
    expect(canAdmit({ roles: ['therapist', 'physician'] })).toBe(true);
    expect(canAdmit({ roles: ['therapist'] })).toBe(false);
    expect(canAdmit({ roles: ['manager', 'admin'] })).toBe(false);
  });
});
