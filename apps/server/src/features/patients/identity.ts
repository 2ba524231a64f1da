/**
 * Who a readmission is about. An MRN already on file is readmitted only when the name and date of
 * birth sent match the ones stored: a typo in an MRN must not hand one patient's record to another
 * patient's new stay (nor open it to the ward that typed it). The comparison forgives what a keyboard
 * or a scanner changes without meaning to: case, runs of spaces, and composed or decomposed accents
 * (Unicode NFC).
 */

/** The form of a name or date compared at readmission: NFC, trimmed, single spaces, lower case. */
export function normalisedIdentityText(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase().normalize('NFC');
}

export interface PatientIdentity {
  readonly name: string;
  /** Calendar date YYYY-MM-DD. */
  readonly dateOfBirth: string;
}

/**
 * The first field of `sent` that does not match `stored`, or null when both match. Names the field
 * and nothing else: the stored value is not for a caller who may not know this patient.
 */
export function identityMismatch(
  stored: PatientIdentity,
  sent: PatientIdentity,
): 'name' | 'dateOfBirth' | null {
  if (normalisedIdentityText(stored.name) !== normalisedIdentityText(sent.name)) return 'name';
  if (normalisedIdentityText(stored.dateOfBirth) !== normalisedIdentityText(sent.dateOfBirth)) {
    return 'dateOfBirth';
  }
  return null;
}
