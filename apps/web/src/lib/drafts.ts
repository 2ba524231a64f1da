/**
 * Drafts of unsaved entries, kept in this browser tab only (sessionStorage: never on the server, gone
 * with the tab), per user, patient and form (PRODUCT §5: a draft survives an idle sign-out). When a
 * different person signs in on the tab, the previous person's drafts are removed first.
 */
const PREFIX = 'ossiwatch.draft.';
const OWNER = 'ossiwatch.draft-owner';

export interface Draft<T> {
  /** When the draft was last written, ISO 8601. */
  readonly savedAt: string;
  readonly data: T;
}

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    // Storage refused (privacy settings): drafts are a safety net, not a requirement.
    return null;
  }
}

export function draftKey(userId: number, patientId: number, form: string): string {
  return `${PREFIX}${userId}.${patientId}.${form}`;
}

export function saveDraft<T>(key: string, data: T, now: Date = new Date()): void {
  const draft: Draft<T> = { savedAt: now.toISOString(), data };
  try {
    storage()?.setItem(key, JSON.stringify(draft));
  } catch {
    // Full or refused: nothing more can be done in the browser.
  }
}

export function loadDraft<T>(key: string): Draft<T> | null {
  const text = storage()?.getItem(key);
  if (!text) return null;
  try {
    const draft = JSON.parse(text) as Draft<T>;
    return typeof draft.savedAt === 'string' && draft.data !== undefined ? draft : null;
  } catch {
    return null;
  }
}

export function clearDraft(key: string): void {
  storage()?.removeItem(key);
}

function removeWhere(keep: (key: string) => boolean): void {
  const store = storage();
  if (!store) return;
  const keys = Array.from({ length: store.length }, (_, i) => store.key(i) ?? '');
  for (const key of keys) if (key.startsWith(PREFIX) && !keep(key)) store.removeItem(key);
}

/** At sign-in: the drafts on this tab become this user's; anyone else's are removed. */
export function claimDrafts(userId: number): void {
  const store = storage();
  if (!store) return;
  if (store.getItem(OWNER) !== String(userId)) {
    removeWhere((key) => key.startsWith(`${PREFIX}${userId}.`));
    store.setItem(OWNER, String(userId));
  }
}

/** At a sign-out the person chose (not an idle one): their drafts go too. */
export function clearAllDrafts(): void {
  removeWhere(() => false);
  storage()?.removeItem(OWNER);
}
