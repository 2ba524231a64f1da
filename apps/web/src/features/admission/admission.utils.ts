/**
 * The admission form's arithmetic: times typed as the ward's wall clock (its IANA zone, named on the
 * form) sent as UTC instants, the typed fields checked as the server checks them (so a slip is named
 * before the round trip), and a refusal from the server split by the field it names.
 */
import {
  FUTURE_TOLERANCE_MS,
  instantOfWallClock,
  isIsoDate,
  LIMBS,
  wallClockAt,
  type AisGrade,
  type InjuryType,
  type Limb,
  type Sex,
} from '@ossiwatch/domain';
import type { RouterInputs } from '../../lib/api-types.ts';
import { adminProblemText, problemField } from '../admin/admin.utils.ts';
import { triStateValue, type TriState } from '../clinical/clinical-forms.utils.ts';
import { zodIssuesOf } from '../therapy/server-errors.ts';
import { errorCode } from '../../trpc.ts';

export type AdmitInput = RouterInputs['patient']['admit'];

/** "now" on the ward's wall clock as a `datetime-local` value, to the minute. */
export function wardInputNow(timeZone: string, now: Date = new Date()): string {
  return wallClockAt(now.getTime(), timeZone).slice(0, 16);
}

/** Today's date on the ward ('YYYY-MM-DD'). */
export function wardToday(timeZone: string, now: Date = new Date()): string {
  return wardInputNow(timeZone, now).slice(0, 10);
}

const LOCAL_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/;

/**
 * A `datetime-local` value read as the ward's wall clock, as a UTC instant; or a sentence saying what
 * is wrong with it. A time the clocks skip (spring forward) is refused with that reason; a time that
 * happens twice (fall back) is the first of the two. More than five minutes ahead is refused.
 */
export function instantFromWardLocal(
  value: string,
  timeZone: string,
  now: Date = new Date(),
): { instant: string } | { problem: string } {
  if (!LOCAL_RE.test(value.trim())) return { problem: 'enter a date and time' };
  let instant: number | null;
  try {
    instant = instantOfWallClock(value.trim(), timeZone);
  } catch {
    // A date the calendar does not have (30 February).
    return { problem: 'enter a date and time' };
  }
  if (instant === null) {
    return {
      problem: `${value.replace('T', ' ')} does not exist in ${timeZone}: the clocks changed then`,
    };
  }
  if (instant > now.getTime() + FUTURE_TOLERANCE_MS) return { problem: 'cannot be in the future' };
  return { instant: new Date(instant).toISOString() };
}

export interface FractureEntry {
  readonly fractured: boolean;
  /** Date and time of the fixation on the ward's clock; blank when not known. */
  readonly fixedAt: string;
}

/** What the admission form holds, as typed. Blank numbers and "not known" answers are unknown. */
export interface AdmitForm {
  readonly mrn: string;
  readonly name: string;
  readonly dateOfBirth: string;
  readonly sex: Sex | '';
  /** A free bed's id, or '' for "no bed". */
  readonly bedId: string;
  readonly admittedAt: string;
  readonly injuryType: InjuryType | '';
  readonly injuryAt: string;
  readonly lowestGcs: string;
  readonly comaDays: string;
  readonly ventilationDays: string;
  readonly diffuseAxonalInjury: TriState;
  readonly autonomicDysregulation: TriState;
  readonly aisGrade: AisGrade | '';
  readonly fractures: Readonly<Record<Limb, FractureEntry>>;
  /**
   * Why a patient last seen on a ward the user is not on is readmitted here (emergency access,
   * audited); asked for only when the server says it is needed.
   */
  readonly emergencyReason: string;
}

export function emptyAdmitForm(timeZone: string, now: Date = new Date()): AdmitForm {
  const noFracture: FractureEntry = { fractured: false, fixedAt: '' };
  return {
    mrn: '',
    name: '',
    dateOfBirth: '',
    sex: '',
    bedId: '',
    admittedAt: wardInputNow(timeZone, now),
    injuryType: '',
    injuryAt: '',
    lowestGcs: '',
    comaDays: '',
    ventilationDays: '',
    diffuseAxonalInjury: '',
    autonomicDysregulation: '',
    aisGrade: '',
    fractures: {
      left_arm: noFracture,
      right_arm: noFracture,
      left_leg: noFracture,
      right_leg: noFracture,
    },
    emergencyReason: '',
  };
}

/** Problems keyed by the server's field names ("mrn", "injury.lowestGcs"); fractures by limb. */
export type FieldProblems = Record<string, string>;

/** The form key of a fracture's fixation time ("fracture.left_leg"). */
export function fractureField(limb: Limb): string {
  return `fracture.${limb}`;
}

/** A blank stays unknown (null), never 0; otherwise a whole number within the bounds. */
function wholeNumber(
  text: string,
  min: number,
  max: number,
): { value: number | null } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: null };
  const value = Number(trimmed);
  if (!Number.isInteger(value))
    return { problem: 'enter a whole number, or leave blank if not known' };
  if (value < min || value > max) return { problem: `must be from ${min} to ${max}` };
  return { value };
}

/**
 * The `patient.admit` input from the form, or the problems found, keyed by field. Checks what the
 * server checks (bounds of its schema, times not in the future, admission not before the injury).
 */
export function buildAdmitInput(
  form: AdmitForm,
  ward: { readonly id: number; readonly timeZone: string },
  now: Date = new Date(),
): { input: AdmitInput } | { problems: FieldProblems } {
  const problems: FieldProblems = {};
  const mrn = form.mrn.trim();
  const name = form.name.trim();
  if (mrn === '') problems.mrn = 'enter the medical record number';
  else if (mrn.length > 64) problems.mrn = 'at most 64 characters';
  if (name === '') problems.name = 'enter the name';
  else if (name.length > 200) problems.name = 'at most 200 characters';
  if (!isIsoDate(form.dateOfBirth)) problems.dateOfBirth = 'enter a date';
  else if (form.dateOfBirth < '1900-01-01') problems.dateOfBirth = 'must be after 1900';
  else if (form.dateOfBirth > wardToday(ward.timeZone, now)) {
    problems.dateOfBirth = 'cannot be in the future';
  }
  if (form.sex === '') problems.sex = 'choose one (“Not known” if it is not known)';
  if (form.injuryType === '') problems['injury.type'] = 'choose the kind of injury';

  const admitted = instantFromWardLocal(form.admittedAt, ward.timeZone, now);
  if ('problem' in admitted) problems.admittedAt = admitted.problem;
  const injured = instantFromWardLocal(form.injuryAt, ward.timeZone, now);
  if ('problem' in injured) problems['injury.occurredAt'] = injured.problem;
  if ('instant' in admitted && 'instant' in injured && admitted.instant < injured.instant) {
    problems.admittedAt = 'cannot be before the injury';
  }

  // A GCS total is 3–15 by construction: eye 1–4 + verbal 1–5 + motor 1–6 (the domain's GCS labels).
  const gcs = wholeNumber(form.lowestGcs, 3, 15);
  if ('problem' in gcs) problems['injury.lowestGcs'] = gcs.problem;
  // Coma and ventilation in days (CR §1.2: both longer in HO); up to ten years, as the server allows.
  const coma = wholeNumber(form.comaDays, 0, 3650);
  if ('problem' in coma) problems['injury.comaDays'] = coma.problem;
  const ventilation = wholeNumber(form.ventilationDays, 0, 3650);
  if ('problem' in ventilation) problems['injury.ventilationDays'] = ventilation.problem;

  const surgicalFractures: { limb: Limb; fixedAt: string | null }[] = [];
  for (const limb of LIMBS) {
    const entry = form.fractures[limb];
    if (!entry.fractured) continue;
    if (entry.fixedAt.trim() === '') {
      surgicalFractures.push({ limb, fixedAt: null });
      continue;
    }
    const fixed = instantFromWardLocal(entry.fixedAt, ward.timeZone, now);
    if ('problem' in fixed) problems[fractureField(limb)] = fixed.problem;
    else surgicalFractures.push({ limb, fixedAt: fixed.instant });
  }

  if (
    Object.keys(problems).length > 0 ||
    form.sex === '' ||
    form.injuryType === '' ||
    !('instant' in admitted) ||
    !('instant' in injured) ||
    'problem' in gcs ||
    'problem' in coma ||
    'problem' in ventilation
  ) {
    return { problems };
  }
  return {
    input: {
      mrn,
      name,
      dateOfBirth: form.dateOfBirth,
      sex: form.sex,
      wardId: ward.id,
      bedId: form.bedId === '' ? null : Number(form.bedId),
      admittedAt: admitted.instant,
      injury: {
        type: form.injuryType,
        occurredAt: injured.instant,
        lowestGcs: gcs.value,
        comaDays: coma.value,
        ventilationDays: ventilation.value,
        diffuseAxonalInjury: triStateValue(form.diffuseAxonalInjury),
        autonomicDysregulation: triStateValue(form.autonomicDysregulation),
        // The ASIA grade describes a spinal cord injury only.
        aisGrade: form.injuryType === 'sci' && form.aisGrade !== '' ? form.aisGrade : null,
        surgicalFractures,
      },
      ...(form.emergencyReason.trim() === ''
        ? {}
        : { emergencyReason: form.emergencyReason.trim() }),
    },
  };
}

/**
 * A refusal of `patient.admit` split by the field it names: the schema's issues (`zodIssues`), or a
 * message that starts with a field ("bedId: this bed is occupied"). A fracture's index becomes its
 * limb, as the form shows it. What names no field of the form is `general`.
 */
export function admitProblems(
  error: unknown,
  sent: AdmitInput | null,
): { fields: FieldProblems; general: string | null } {
  const message = error instanceof Error ? error.message : String(error);
  const issues = zodIssuesOf(error) ?? [];
  const named = issues.length > 0 ? issues : fieldMessageOf(message);
  const fields: FieldProblems = {};
  const unplaced: string[] = [];
  for (const issue of named) {
    const key = formKeyOf(issue.field, sent);
    if (key) fields[key] = fields[key] ? `${fields[key]}; ${issue.message}` : issue.message;
    else unplaced.push(issue.field ? `${issue.field}: ${issue.message}` : issue.message);
  }
  if (named.length === 0) {
    return { fields, general: adminProblemText(errorCode(error), message) };
  }
  return {
    fields,
    general:
      unplaced.length > 0
        ? adminProblemText(errorCode(error), unplaced.join('; '))
        : 'Not saved: see the fields marked below.',
  };
}

function fieldMessageOf(message: string): { field: string; message: string }[] {
  const field = problemField(message);
  if (!field) return [];
  return [{ field, message: message.slice(field.length + 2) }];
}

const FORM_FIELDS = new Set([
  'mrn',
  'name',
  'dateOfBirth',
  'sex',
  'bedId',
  'admittedAt',
  'injury.type',
  'injury.occurredAt',
  'injury.lowestGcs',
  'injury.comaDays',
  'injury.ventilationDays',
  'injury.diffuseAxonalInjury',
  'injury.autonomicDysregulation',
  'injury.aisGrade',
  'emergencyReason',
]);

function formKeyOf(field: string, sent: AdmitInput | null): string | null {
  if (FORM_FIELDS.has(field)) return field;
  const fracture = /^injury\.surgicalFractures\.(\d+)/.exec(field);
  if (fracture) {
    const limb = sent?.injury.surgicalFractures[Number(fracture[1])]?.limb;
    return limb ? fractureField(limb) : null;
  }
  return null;
}
