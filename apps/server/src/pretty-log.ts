/**
 * Demo-mode logs for a person at a terminal: one short line per warning or error
 * ("12:04:31 WARN message (details)") instead of pino's JSON, and no line per request, so the
 * start-up banner (address, demo accounts) stays the last thing on the screen. Production keeps
 * JSON at info level for log collectors.
 */
const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** One pino JSON line in words; a line that is not JSON is passed through as it is. */
export function prettyLogLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const time = typeof record.time === 'number' ? new Date(record.time) : new Date();
  const clock = time.toISOString().slice(11, 19);
  const level = LEVELS[Number(record.level)] ?? String(record.level);
  const message = typeof record.msg === 'string' ? record.msg : '';
  const err = record.err as { message?: unknown } | undefined;
  const detail = err && typeof err.message === 'string' ? ` (${err.message})` : '';
  return `${clock} UTC ${level} ${message}${detail}\n`;
}

export function prettyLogStream(out: { write(text: string): unknown }): {
  write(line: string): void;
} {
  return {
    write(line: string) {
      out.write(prettyLogLine(line));
    },
  };
}
