/** Dates as a ward reads them: "3 Mar 2026", "3 Mar 2026, 09:30", in the browser's time zone. */
export function formatDate(value: string | number | Date): string {
  return new Date(value).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

export function formatDateTime(value: string | number | Date): string {
  return new Date(value).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function formatShortDate(value: string | number | Date): string {
  return new Date(value).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
}

/**
 * "09:30": the 24-hour clock time in the browser's time zone, as `en-GB` writes it. Built from the
 * date's own fields: the first `toLocaleTimeString` call of a page loads locale data, which the
 * ward board paid before its first rows.
 */
export function formatClockTime(value: string | number | Date): string {
  const date = new Date(value);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Whole years between a YYYY-MM-DD birth date and `now`. */
export function ageOn(dateOfBirth: string, now: Date = new Date()): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(dateOfBirth);
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  let age = now.getFullYear() - y;
  if (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d)) age -= 1;
  return age;
}
