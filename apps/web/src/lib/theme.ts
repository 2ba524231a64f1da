/**
 * The colour theme (PRODUCT §5 "Everywhere"): by default the system's light or dark setting; a person
 * may pin light or dark, remembered on this device. The theme is an attribute on <html> that
 * styles.css reads; nothing else depends on it.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'ossiwatch-theme';

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark';
}

export function storedTheme(storage: Pick<Storage, 'getItem'> | undefined): ThemeChoice {
  try {
    const value = storage?.getItem(STORAGE_KEY);
    return isThemeChoice(value) ? value : 'system';
  } catch {
    // Storage refused (private mode, policy): the system's setting applies.
    return 'system';
  }
}

/** Applies a choice to the page and remembers it; 'system' removes the pin. */
export function applyTheme(choice: ThemeChoice, remember = true): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
  if (!remember) return;
  try {
    if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Not remembered; the choice still holds for this page.
  }
}
