/**
 * Where a clinician lands when they sign in (PRODUCT §5 "Everywhere": focus lands where the work
 * continues): someone on one ward goes straight to its board; someone on several goes to the ward
 * they used last on this device, if they still work there; otherwise to the ward list.
 */
export function landingWard(wardIds: readonly number[], lastWardId: number | null): number | null {
  if (wardIds.length === 1) return wardIds[0]!;
  if (lastWardId !== null && wardIds.includes(lastWardId)) return lastWardId;
  return null;
}

const lastWardKey = (userId: number): string => `ossiwatch-last-ward-${userId}`;

/** The ward whose board this user opened last on this device (no patient data: a ward number). */
export function lastWard(userId: number): number | null {
  try {
    const value = Number(localStorage.getItem(lastWardKey(userId)));
    return Number.isInteger(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

export function rememberWard(userId: number, wardId: number): void {
  try {
    localStorage.setItem(lastWardKey(userId), String(wardId));
  } catch {
    // Not remembered: the ward list opens at the next sign-in.
  }
}

// Set by the sign-in form, read once by the start page: only a fresh sign-in jumps to a board, so the
// "Wards" link and a reload of the start page still show the ward list.
let justSignedIn = false;

export function markSignedIn(): void {
  justSignedIn = true;
}

export function takeSignedIn(): boolean {
  const was = justSignedIn;
  justSignedIn = false;
  return was;
}
