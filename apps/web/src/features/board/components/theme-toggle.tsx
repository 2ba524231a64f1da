import { useSyncExternalStore } from 'react';
import { chooseTheme, effectiveTheme } from '../../../lib/theme.ts';

/** Re-reads the theme whenever <html data-theme> changes (the toggle, or wall mode's dark default). */
function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

function isDark(): boolean {
  const pinned = document.documentElement.dataset.theme;
  return pinned ? pinned === 'dark' : effectiveTheme() === 'dark';
}

/** "Dark theme", pressed while the page is dark (by the system's choice or the person's). */
export function ThemeToggle(): React.JSX.Element {
  const dark = useSyncExternalStore(subscribe, isDark);
  return (
    <button type="button" aria-pressed={dark} onClick={() => chooseTheme(dark ? 'light' : 'dark')}>
      Dark theme
    </button>
  );
}
