import { useState } from 'react';
import { chooseTheme, effectiveTheme } from '../../../lib/theme.ts';

/** "Dark theme", pressed while the page is dark (by the system's choice or the person's). */
export function ThemeToggle(): React.JSX.Element {
  const [dark, setDark] = useState(() => effectiveTheme() === 'dark');
  return (
    <button
      type="button"
      aria-pressed={dark}
      onClick={() => {
        chooseTheme(dark ? 'light' : 'dark');
        setDark(!dark);
      }}
    >
      Dark theme
    </button>
  );
}
