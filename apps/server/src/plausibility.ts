/**
 * Plausibility of what people type about patients, in one place for every router (security review
 * finding 5): names without hidden characters, a date of birth a living patient can have, and
 * clinical times that fall within the patient's life and stay.
 *
 * - Names: no control, invisible formatting (zero-width, bidi overrides) or lone surrogate
 *   characters: a hidden right-to-left override makes a name read differently from what is stored.
 * - Date of birth: not in the future, not more than MAX_AGE_YEARS ago.
 * - A clinical instant (a reading, an observation, imaging, a diagnosis, a complication, an
 *   intervention): not before the patient's birth, not before the injury when it is recorded, and not
 *   more than OSSIWATCH_CLINICAL_LOOKBACK_DAYS (default 730, two years) before the admission.
 */
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { checkInstant, type PatientScope, type SignedInContext } from './clinical.ts';
import { injuries, patients } from './db/schema.ts';

/** Control (Cc), format (Cf: zero-width, bidi controls) and surrogate (Cs) code points. */
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}]/u;

export const HIDDEN_CHARACTERS_MESSAGE =
  'must not contain control or invisible formatting characters';

/** True when the text holds no control or invisible formatting character. */
export function hasNoHiddenCharacters(text: string): boolean {
  return !HIDDEN_CHARACTERS.test(text);
}

/** A person's name as people read it on the board: at least one letter, nothing hidden. */
export const personNameInput = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((text) => /\p{L}/u.test(text), { message: 'must contain at least one letter' })
  .refine(hasNoHiddenCharacters, { message: HIDDEN_CHARACTERS_MESSAGE });

/** The oldest age accepted; anything older is a typing slip (2999 or 1826 for 1926). */
export const MAX_AGE_YEARS = 120;

export const DEFAULT_CLINICAL_LOOKBACK_DAYS = 730;
const MAX_CLINICAL_LOOKBACK_DAYS = 36_500;

/**
 * How far before the admission a clinical time may lie, from OSSIWATCH_CLINICAL_LOOKBACK_DAYS (1 to
 * 36,500 days, default 730): earlier findings (outside imaging, an old diagnosis) may be entered,
 * but not a date from another century.
 */
export function clinicalLookbackDays(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.OSSIWATCH_CLINICAL_LOOKBACK_DAYS;
  if (text === undefined || text === '') return DEFAULT_CLINICAL_LOOKBACK_DAYS;
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1 || days > MAX_CLINICAL_LOOKBACK_DAYS) {
    throw new Error(
      `OSSIWATCH_CLINICAL_LOOKBACK_DAYS must be a whole number from 1 to ${MAX_CLINICAL_LOOKBACK_DAYS}, not "${text}"`,
    );
  }
  return days;
}

function badRequest(field: string, message: string): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message: `${field}: ${message}` });
}

/**
 * The first instant of a calendar date anywhere on Earth (UTC+14): a time on the birthday in any
 * time zone is not "before the birth".
 */
function earliestInstantOf(date: string): string {
  return new Date(`${date}T00:00:00+14:00`).toISOString();
}

/** Refuses a date of birth in the future or more than MAX_AGE_YEARS ago, naming the field. */
export function checkDateOfBirth(now: Date, field: string, dateOfBirth: string): void {
  const today = now.toISOString().slice(0, 10);
  // A birth "today" in a zone ahead of UTC is still today somewhere: allow one day of slack.
  const latest = new Date(now.getTime() + 24 * 60 * 60_000).toISOString().slice(0, 10);
  if (dateOfBirth > latest) {
    throw badRequest(field, `${dateOfBirth} is in the future (today is ${today})`);
  }
  const oldest = `${String(now.getUTCFullYear() - MAX_AGE_YEARS).padStart(4, '0')}${today.slice(4)}`;
  if (dateOfBirth < oldest) {
    throw badRequest(field, `${dateOfBirth} is more than ${MAX_AGE_YEARS} years ago`);
  }
}

/** Refuses an injury time before the patient's birth (or in the future), naming the field. */
export function checkInjuryInstant(
  ctx: Pick<SignedInContext, 'now'>,
  field: string,
  instant: string,
  dateOfBirth: string,
): void {
  checkInstant(ctx, field, instant, {
    at: earliestInstantOf(dateOfBirth),
    what: `the date of birth`,
  });
}

/** The date of birth and injury time of a patient, for the checks below. */
export function patientDates(
  ctx: Pick<SignedInContext, 'db'>,
  patientId: number,
): { readonly dateOfBirth: string | null; readonly injuryAt: string | null } {
  const row = ctx.db
    .select({ dateOfBirth: patients.dateOfBirth, injuryAt: injuries.occurredAt })
    .from(patients)
    .leftJoin(injuries, eq(injuries.patientId, patients.id))
    .where(eq(patients.id, patientId))
    .get();
  return { dateOfBirth: row?.dateOfBirth ?? null, injuryAt: row?.injuryAt ?? null };
}

/**
 * Refuses a clinical instant in the future, before `notBefore` (when given), before the patient's
 * birth or injury, or more than the look-back before the admission, naming the field.
 */
export function checkClinicalInstant(
  ctx: SignedInContext,
  scope: PatientScope,
  field: string,
  instant: string,
  notBefore?: { readonly at: string; readonly what: string },
): void {
  checkInstant(ctx, field, instant, notBefore);
  const { dateOfBirth, injuryAt } = patientDates(ctx, scope.patientId);
  if (dateOfBirth !== null && instant < earliestInstantOf(dateOfBirth)) {
    throw badRequest(field, `${instant} is before the date of birth (${dateOfBirth})`);
  }
  if (injuryAt !== null && instant < injuryAt) {
    throw badRequest(field, `${instant} is before the injury (${injuryAt})`);
  }
  const days = clinicalLookbackDays();
  const earliest = new Date(Date.parse(scope.stay.admittedAt) - days * 24 * 60 * 60_000);
  if (instant < earliest.toISOString()) {
    throw badRequest(
      field,
      `${instant} is more than ${days} days before the admission (${scope.stay.admittedAt})`,
    );
  }
}
