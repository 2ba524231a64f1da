/**
 * Local wall-clock time on a ward. Shifts happen in the ward's IANA time zone, so "09:30 on the ward"
 * is 08:30Z in a London summer and 09:30Z in winter. Built on Intl only (no dependency), with the
 * offset cached per hour because the generator asks millions of times.
 */

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export class WardClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsetByHour = new Map<number, number>();

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** Local time minus UTC, in ms, at an instant. */
  offsetMs(utcMs: number): number {
    const hour = Math.floor(utcMs / HOUR_MS);
    const cached = this.offsetByHour.get(hour);
    if (cached !== undefined) return cached;
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(hour * HOUR_MS))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const local = Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    const offset = local - hour * HOUR_MS;
    this.offsetByHour.set(hour, offset);
    return offset;
  }

  /** The local calendar day of an instant, as days since 1970-01-01. */
  localDay(utcMs: number): number {
    return Math.floor((utcMs + this.offsetMs(utcMs)) / DAY_MS);
  }

  /** Minutes since local midnight of an instant. */
  localMinute(utcMs: number): number {
    const local = utcMs + this.offsetMs(utcMs);
    return Math.floor((local - Math.floor(local / DAY_MS) * DAY_MS) / 60_000);
  }

  /** The instant of a local day at a local minute (day-shift times never fall in a DST gap). */
  at(localDay: number, minuteOfDay: number): number {
    const wall = localDay * DAY_MS + Math.round(minuteOfDay) * 60_000;
    const guess = wall - this.offsetMs(wall);
    return wall - this.offsetMs(guess);
  }

  /** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
  static weekday(localDay: number): number {
    return (((localDay + 4) % 7) + 7) % 7;
  }
}

const clocks = new Map<string, WardClock>();

export function clockFor(timeZone: string): WardClock {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new WardClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
