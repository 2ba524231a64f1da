/**
 * The server names the field first in a refusal ("password: must be at least 12 characters"). A
 * CONFLICT that names a field is a taken name or an occupied bed, not someone else's edit, so it is
 * told as a plain refusal; only a version conflict asks the administrator to reload.
 */
export function adminProblemText(code: string | undefined, message: string): string {
  if (code === 'CONFLICT' && problemField(message) === undefined) {
    return `Someone else changed this record a moment ago; nothing was overwritten. Reload and check: ${message}`;
  }
  if (code === 'FORBIDDEN') return `Not allowed: ${message}`;
  return `Not saved: ${message}`;
}

/** The field a server refusal names ("name: ..." gives "name"), if any. */
export function problemField(message: string): string | undefined {
  return /^([A-Za-z][A-Za-z.]*): /.exec(message)?.[1];
}

/** Bed labels typed as a comma-separated list: trimmed, blanks dropped, order kept. */
export function parseBedLabels(text: string): string[] {
  return text
    .split(',')
    .map((label) => label.trim())
    .filter((label) => label !== '');
}

/** What an account edit must send: only the parts that changed (each one bumps the version). */
export function accountChanges<T extends string | number>(
  before: readonly T[],
  after: readonly T[],
): boolean {
  const a = new Set(before);
  const b = new Set(after);
  return a.size !== b.size || [...a].some((value) => !b.has(value));
}
