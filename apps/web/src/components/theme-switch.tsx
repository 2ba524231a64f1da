import { useState } from 'react';
import { applyTheme, isThemeChoice, storedTheme, type ThemeChoice } from '../lib/theme.ts';

/** Light, dark or the system's setting; remembered on this device. */
export function ThemeSwitch(): React.JSX.Element {
  const [choice, setChoice] = useState<ThemeChoice>(() => storedTheme(localStorage));
  return (
    <label className="theme-switch">
      Theme{' '}
      <select
        value={choice}
        onChange={(event) => {
          const next = event.target.value;
          if (!isThemeChoice(next)) return;
          setChoice(next);
          applyTheme(next);
        }}
      >
        <option value="system">As the system</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
