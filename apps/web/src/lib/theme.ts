/**
 * Light or dark: the system's choice (prefers-color-scheme, in the CSS) unless the person chose one
 * with the toggle, kept in this browser.
 */
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'ossiwatch-theme';

export function storedTheme(): Theme | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

/** The theme in effect: the person's choice, else the system's. */
export function effectiveTheme(): Theme {
  return (
    storedTheme() ?? (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light')
  );
}

/** Applies a stored choice to the page (at start-up, before the first paint). */
export function applyStoredTheme(): void {
  const theme = storedTheme();
  if (theme) document.documentElement.dataset.theme = theme;
}

export function chooseTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    window.localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Private browsing without storage: the choice holds for this page only.
  }
}
