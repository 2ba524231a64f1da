/**
 * Inbound HL7 v2 messages as the interface reads them (CR §8b): @medplum/core parses the text into
 * segments, fields and components; this module picks out the fields OssiWatch uses, refuses a
 * message that lacks what its event needs (AR, naming the field), and builds the acknowledgement.
 */
import { instantOfWallClock } from '@ossiwatch/domain';
import { Hl7Message, Hl7Segment } from '@medplum/core';

/** The ADT events OssiWatch applies (PRODUCT §11). */
export const ADT_EVENTS = ['A01', 'A02', 'A03', 'A04', 'A08', 'A11', 'A12', 'A13', 'A40'] as const;
export type AdtEvent = (typeof ADT_EVENTS)[number];

export type AckCode = 'AA' | 'AE' | 'AR';

/**
 * Why a message was not applied, with the HL7 error code (table 0357) and the field it concerns,
 * carried into the ERR segment of the ACK.
 */
export class Hl7Refusal extends Error {
  constructor(
    readonly ackCode: 'AE' | 'AR',
    /** HL7 table 0357: 101 required field missing, 102 data type error, 103 table value not found, 200/201 unsupported, 204 unknown key, 205 duplicate key, 207 application error. */
    readonly errorCode: number,
    readonly location: string,
    message: string,
  ) {
    super(message);
  }
}

const ERROR_TEXT: Record<number, string> = {
  100: 'Segment sequence error',
  101: 'Required field missing',
  102: 'Data type error',
  103: 'Table value not found',
  200: 'Unsupported message type',
  201: 'Unsupported event code',
  204: 'Unknown key identifier',
  205: 'Duplicate key identifier',
  206: 'Application record locked',
  207: 'Application internal error',
};

export function rejected(errorCode: number, location: string, message: string): Hl7Refusal {
  return new Hl7Refusal('AR', errorCode, location, message);
}

export function waiting(errorCode: number, location: string, message: string): Hl7Refusal {
  return new Hl7Refusal('AE', errorCode, location, message);
}

/** A date/time field as sent (HL7 DTM), resolved to an instant once the ward's zone is known. */
export interface Hl7Time {
  readonly field: string;
  readonly text: string;
}

export interface PatientFields {
  readonly mrn: string;
  /** "Given Middle Family" from PID-5, or null when absent. */
  readonly name: string | null;
  /** YYYY-MM-DD from PID-7, or null when absent. */
  readonly dateOfBirth: string | null;
  readonly sex: 'female' | 'male' | 'other' | 'unknown' | null;
}

export interface Location {
  /** PV1-3.1 point of care (or PV1-6.1 for the prior location). */
  readonly pointOfCare: string;
  /** PV1-3.3 bed label, or null. */
  readonly bed: string | null;
}

export interface LabResult {
  readonly index: number;
  readonly kind: 'crp' | 'alp' | 'ck';
  readonly loinc: string;
  readonly value: number;
  readonly unit: string;
  readonly status: string;
  readonly takenAt: Hl7Time;
}

interface Header {
  readonly sender: string;
  readonly controlId: string;
  readonly messageType: string;
  readonly sentAt: Hl7Time | null;
}

export type InboundMessage =
  | (Header & {
      readonly kind: 'adt';
      readonly event: AdtEvent;
      readonly patient: PatientFields;
      readonly patientClass: string | null;
      readonly location: Location | null;
      readonly priorLocation: Location | null;
      readonly admittedAt: Hl7Time | null;
      readonly dischargedAt: Hl7Time | null;
      readonly occurredAt: Hl7Time | null;
      readonly recordedAt: Hl7Time | null;
      /** A40: MRG-1.1, the identifier that goes away. */
      readonly mergedMrn: string | null;
    })
  | (Header & {
      readonly kind: 'oru';
      readonly patient: PatientFields;
      readonly results: readonly LabResult[];
      /** OBX segments OssiWatch does not keep (other tests, X and other statuses), said in the outcome. */
      readonly skipped: readonly string[];
    });

/** The sender and control id of any message with an MSH, for storing and acknowledging it. */
export function headerOf(message: Hl7Message): {
  sender: string;
  controlId: string | null;
  messageType: string | null;
} {
  const msh = message.getSegment('MSH');
  if (!msh || msh.name !== 'MSH') return { sender: '', controlId: null, messageType: null };
  const sender = `${msh.getComponent(3, 1)}^${msh.getComponent(4, 1)}`.slice(0, 200);
  const controlId = msh.getField(10)?.toString().trim() || null;
  const type = msh.getComponent(9, 1);
  const trigger = msh.getComponent(9, 2);
  return {
    sender,
    controlId: controlId ? controlId.slice(0, 199) : null,
    messageType: type ? `${type}^${trigger}`.slice(0, 20) : null,
  };
}

// Standard HL7 escape sequences in text fields (v2.5.1 §2.7.4).
function unescape(text: string): string {
  return text.replace(/\\([FSTRE])\\/g, (_, code: string) =>
    code === 'F' ? '|' : code === 'S' ? '^' : code === 'T' ? '&' : code === 'R' ? '~' : '\\',
  );
}

function component(segment: Hl7Segment | undefined, field: number, part: number): string {
  return segment ? unescape(segment.getComponent(field, part) ?? '').trim() : '';
}

function time(segment: Hl7Segment | undefined, field: number, name: string): Hl7Time | null {
  const text = component(segment, field, 1);
  return text ? { field: name, text } : null;
}

const SEX_CODES: Record<string, PatientFields['sex']> = {
  F: 'female',
  M: 'male',
  O: 'other',
  A: 'other',
  N: 'other',
  U: 'unknown',
};

function patientOf(pid: Hl7Segment | undefined): PatientFields {
  if (!pid) throw rejected(100, 'PID', 'PID segment missing');
  const mrn = component(pid, 3, 1);
  if (!mrn) throw rejected(101, 'PID-3', 'PID-3 patient identifier (MRN) missing');
  if (mrn.length > 64) throw rejected(102, 'PID-3', 'PID-3 identifier longer than 64 characters');
  const family = component(pid, 5, 1);
  const given = [component(pid, 5, 2), component(pid, 5, 3)].filter(Boolean);
  const name = [...given, family].filter(Boolean).join(' ') || null;
  if (name && name.length > 200)
    throw rejected(102, 'PID-5', 'PID-5 name longer than 200 characters');
  const birth = component(pid, 7, 1);
  let dateOfBirth: string | null = null;
  if (birth) {
    const match = /^(\d{4})(\d{2})(\d{2})/.exec(birth);
    const date = match ? `${match[1]}-${match[2]}-${match[3]}` : '';
    if (!match || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || date < '1900-01-01') {
      throw rejected(
        102,
        'PID-7',
        `PID-7 birth date "${birth.slice(0, 40)}" is not a date YYYYMMDD after 1900`,
      );
    }
    dateOfBirth = date;
  }
  const sexCode = component(pid, 8, 1).toUpperCase();
  const sex = sexCode ? (SEX_CODES[sexCode] ?? null) : null;
  if (sexCode && !sex)
    throw rejected(103, 'PID-8', `PID-8 sex "${sexCode.slice(0, 10)}" is not in HL7 table 0001`);
  return { mrn, name, dateOfBirth, sex };
}

function locationOf(pv1: Hl7Segment | undefined, field: number): Location | null {
  const pointOfCare = component(pv1, field, 1);
  if (!pointOfCare) return null;
  if (pointOfCare.length > 64)
    throw rejected(102, `PV1-${field}`, `PV1-${field}.1 longer than 64 characters`);
  return { pointOfCare, bed: component(pv1, field, 3) || null };
}

/** LOINC codes of the labs the HO watch reads (CR §7.3), with the one unit each is stored in. */
const LAB_CODES: Record<string, { kind: LabResult['kind']; unit: string; max: number }> = {
  '1988-5': { kind: 'crp', unit: 'mg/L', max: 1000 },
  '30522-7': { kind: 'crp', unit: 'mg/L', max: 1000 },
  '6768-6': { kind: 'alp', unit: 'U/L', max: 1_000_000 },
  '2157-6': { kind: 'ck', unit: 'U/L', max: 1_000_000 },
};

function resultsOf(message: Hl7Message): { results: LabResult[]; skipped: string[] } {
  const obr = message.getSegment('OBR');
  const fallbackTime = time(obr, 7, 'OBR-7');
  const results: LabResult[] = [];
  const skipped: string[] = [];
  message.getAllSegments('OBX').forEach((obx, i) => {
    const index = i + 1;
    const code = component(obx, 3, 1);
    const system = component(obx, 3, 3);
    const lab = LAB_CODES[code];
    if (!lab || (system && system !== 'LN')) {
      skipped.push(`OBX ${index}: ${code || '(no code)'} is not a lab OssiWatch keeps`);
      return;
    }
    const status = component(obx, 11, 1).toUpperCase();
    if (status !== 'F' && status !== 'C') {
      skipped.push(
        `OBX ${index}: ${code} has result status ${status || '(none)'}; only F and C are kept`,
      );
      return;
    }
    const valueText = component(obx, 5, 1);
    const value = Number(valueText);
    if (!/^-?\d+(\.\d+)?$/.test(valueText) || value < 0 || value > lab.max) {
      throw rejected(
        102,
        `OBX-${index}-5`,
        `OBX ${index} value "${valueText.slice(0, 40)}" is not a number from 0 to ${lab.max}`,
      );
    }
    // Units are kept as sent: a value in another unit is refused, never converted silently.
    const unit = component(obx, 6, 1);
    if (unit !== lab.unit) {
      throw rejected(
        103,
        `OBX-${index}-6`,
        `OBX ${index} unit "${unit.slice(0, 20)}" for ${code}: expected ${lab.unit}`,
      );
    }
    const takenAt = time(obx, 14, `OBX-${index}-14`) ?? fallbackTime;
    if (!takenAt)
      throw rejected(
        101,
        `OBX-${index}-14`,
        `OBX ${index} observation time (OBX-14 or OBR-7) missing`,
      );
    results.push({ index, kind: lab.kind, loinc: code, value, unit, status, takenAt });
  });
  return { results, skipped };
}

/**
 * The fields of a message OssiWatch applies, or an Hl7Refusal (AR) naming what is wrong: a missing
 * MSH-10, an unsupported type, a missing PID-3.
 */
export function readMessage(message: Hl7Message): InboundMessage {
  const msh = message.getSegment('MSH');
  if (!msh || msh.name !== 'MSH' || message.segments[0] !== msh) {
    throw rejected(100, 'MSH', 'The message does not start with an MSH segment');
  }
  if (!usableDelimiters(message.context)) {
    throw rejected(
      102,
      'MSH-2',
      'MSH-1 and MSH-2 must be five different delimiters, none a letter, digit, space or line end',
    );
  }
  const { sender, controlId, messageType } = headerOf(message);
  if (!controlId) throw rejected(101, 'MSH-10', 'MSH-10 message control id missing');
  const charset = msh.getComponent(18, 1).trim().toUpperCase();
  if (!CHARSETS_READ.has(charset)) {
    throw rejected(103, 'MSH-18', `MSH-18 character set ${charset.slice(0, 20)}: send UTF-8`);
  }
  // Bytes that are not UTF-8 (Latin-1 sent undeclared) decode to U+FFFD: a name with a character
  // replaced would be stored as another name, so the message is refused rather than guessed at.
  if (message.toString().includes('\uFFFD')) {
    throw rejected(
      102,
      'MSH-18',
      'The message is not UTF-8 text; send it as UTF-8 (MSH-18 UNICODE UTF-8)',
    );
  }
  const type = msh.getComponent(9, 1);
  const trigger = msh.getComponent(9, 2);
  const header: Header = {
    sender,
    controlId,
    messageType: messageType ?? '',
    sentAt: time(msh, 7, 'MSH-7'),
  };
  if (type === 'ADT') {
    const event = ADT_EVENTS.find((candidate) => candidate === trigger);
    if (!event)
      throw rejected(201, 'MSH-9', `ADT^${trigger.slice(0, 10)} is not an event OssiWatch applies`);
    const evn = message.getSegment('EVN');
    const pv1 = message.getSegment('PV1');
    const mrg = message.getSegment('MRG');
    const mergedMrn = component(mrg, 1, 1) || null;
    if (event === 'A40' && !mergedMrn)
      throw rejected(101, 'MRG-1', 'MRG-1 prior patient identifier missing');
    return {
      ...header,
      kind: 'adt',
      event,
      patient: patientOf(message.getSegment('PID')),
      patientClass: component(pv1, 2, 1) || null,
      location: locationOf(pv1, 3),
      priorLocation: locationOf(pv1, 6),
      admittedAt: time(pv1, 44, 'PV1-44'),
      dischargedAt: time(pv1, 45, 'PV1-45'),
      occurredAt: time(evn, 6, 'EVN-6'),
      recordedAt: time(evn, 2, 'EVN-2'),
      mergedMrn,
    };
  }
  if (type === 'ORU' && trigger === 'R01') {
    return {
      ...header,
      kind: 'oru',
      patient: patientOf(message.getSegment('PID')),
      ...resultsOf(message),
    };
  }
  throw rejected(
    200,
    'MSH-9',
    `${type.slice(0, 10)}^${trigger.slice(0, 10)} is not a message OssiWatch accepts`,
  );
}

/**
 * An HL7 DTM (YYYYMMDDHHMM[SS[.S…]][+/-ZZZZ]) as a UTC instant. Without an offset the time is the
 * ward's wall clock (`timeZone`). Minutes are required: an admission at "some time that day" would be
 * an invented time.
 */
export function instantOf(value: Hl7Time, timeZone: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/.exec(
    value.text,
  );
  if (!match) {
    throw rejected(
      102,
      value.field,
      `${value.field} "${value.text.slice(0, 40)}" is not a date and time YYYYMMDDHHMM[SS][+/-ZZZZ]`,
    );
  }
  const [, y, mo, d, h, mi, s = '00', fraction = '', offset] = match;
  const local = `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction ? `.${fraction.padEnd(3, '0').slice(0, 3)}` : ''}`;
  let ms: number | null;
  try {
    ms = offset
      ? Date.parse(`${local}${offset.slice(0, 3)}:${offset.slice(3)}`)
      : instantOfWallClock(local, timeZone);
  } catch {
    ms = null;
  }
  if (ms === null || !Number.isFinite(ms)) {
    throw rejected(
      102,
      value.field,
      `${value.field} "${value.text.slice(0, 40)}" is not a time that exists in ${offset ?? timeZone}`,
    );
  }
  return new Date(ms).toISOString();
}

const ACK_SENDER = 'OSSIWATCH';

/**
 * The ACK for `message`: MSA-1 the code, MSA-2 its MSH-10, and for AE/AR an ERR segment with the
 * HL7 error code, where, and why (ERR-3, ERR-2, ERR-8 as in v2.5).
 */
export function ackFor(
  message: Hl7Message,
  code: AckCode,
  refusal?: Pick<Hl7Refusal, 'errorCode' | 'location' | 'message'>,
): Hl7Message {
  const context = message.context;
  // An ACK in delimiters no one can read (a field separator that ends segments) would not be one:
  // such a message is answered in the standard delimiters, without its unreadable MSH-10.
  if (!usableDelimiters(context)) {
    return rejectUnreadable(refusal?.message ?? 'MSH-1 and MSH-2 hold no usable delimiters');
  }
  const errSegment = refusal ? errSegmentOf(refusal, context) : undefined;
  const ack = message.buildAck({ ackCode: code, errSegment });
  ack.header.setComponent(3, 1, ACK_SENDER);
  ack.header.setComponent(4, 1, ACK_SENDER);
  return ack;
}

/**
 * MSH-18 values whose text reads right as UTF-8: UTF-8 itself, and ASCII and ISO 8859-1 as far as
 * their text is ASCII (a Latin-1 letter is not UTF-8 and is refused above).
 */
const CHARSETS_READ = new Set(['', 'ASCII', 'UNICODE UTF-8', 'UNICODE', '8859/1']);

/** Five different delimiters, none of which could be taken for text or for the end of a segment. */
function usableDelimiters(context: Hl7Message['context']): boolean {
  const delimiters = [
    context.fieldSeparator,
    context.componentSeparator,
    context.repetitionSeparator,
    context.escapeCharacter,
    context.subcomponentSeparator,
  ];
  return (
    delimiters.every((d) => d.length === 1 && !/[\p{L}\p{N}\s]/u.test(d)) &&
    new Set(delimiters).size === delimiters.length
  );
}

/** Text as an HL7 field value: each delimiter of the message written as its escape sequence. */
function hl7Text(
  text: string,
  context: Pick<
    Hl7Message['context'],
    | 'escapeCharacter'
    | 'fieldSeparator'
    | 'componentSeparator'
    | 'subcomponentSeparator'
    | 'repetitionSeparator'
  > = STANDARD_DELIMITERS,
): string {
  const e = context.escapeCharacter;
  return text
    .replaceAll(e, `${e}E${e}`)
    .replaceAll(context.fieldSeparator, `${e}F${e}`)
    .replaceAll(context.componentSeparator, `${e}S${e}`)
    .replaceAll(context.subcomponentSeparator, `${e}T${e}`)
    .replaceAll(context.repetitionSeparator, `${e}R${e}`)
    .replace(/[\r\n]/g, ' ');
}

const STANDARD_DELIMITERS = {
  escapeCharacter: '\\',
  fieldSeparator: '|',
  componentSeparator: '^',
  subcomponentSeparator: '&',
  repetitionSeparator: '~',
} as const;

function errSegmentOf(
  refusal: Pick<Hl7Refusal, 'errorCode' | 'location' | 'message'>,
  context: Hl7Message['context'],
): Hl7Segment {
  const [segment = '', field = ''] = refusal.location.split('-');
  const text = ERROR_TEXT[refusal.errorCode] ?? 'Application error';
  return new Hl7Segment(
    [
      'ERR',
      '',
      [segment, '1', field].join(context.componentSeparator),
      [String(refusal.errorCode), text, 'HL70357'].join(context.componentSeparator),
      'E',
      '',
      '',
      '',
      hl7Text(refusal.message, context),
    ],
    context,
  );
}

/**
 * The AR for bytes that are no HL7 message at all (no MSH to echo): MSA-2 is empty.
 */
export function rejectUnreadable(reason: string): Hl7Message {
  const now = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return Hl7Message.parse(
    [
      `MSH|^~\\&|${ACK_SENDER}|${ACK_SENDER}|||${now}||ACK|${Date.now()}|P|2.5.1`,
      'MSA|AR|',
      `ERR||MSH^1^1|100^Segment sequence error^HL70357|E||||${hl7Text(reason)}`,
    ].join('\r'),
  );
}
