/**
 * Turns the server's refusal of a session into a sentence that names the reading, not an array index:
 * "readings.3.degrees: …" becomes "Left hip flexion (passive): …".
 */
import { readingLabel } from '@ossiwatch/domain';
import { TRPCClientError } from '@trpc/client';
import type { SessionReading } from './entry.utils.ts';

export function nameField(field: string, readings: readonly SessionReading[]): string {
  const match = /^readings\.(\d+)\.?(.*)$/.exec(field);
  if (!match) return field;
  const reading = readings[Number(match[1])];
  if (!reading) return field;
  const label = readingLabel(reading.side, reading.site, reading.movement, reading.mode);
  return match[2] ? `${label} ${match[2]}` : label;
}

export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/** The bad fields a refusal names (the server's `zodIssues`), or null when it names none. */
export function zodIssuesOf(error: unknown): readonly FieldIssue[] | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  const issues =
    data && typeof data === 'object' && 'zodIssues' in data && Array.isArray(data.zodIssues)
      ? (data.zodIssues as FieldIssue[])
      : null;
  return issues && issues.length > 0 ? issues : null;
}

export function serverProblem(error: unknown, readings: readonly SessionReading[]): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof TRPCClientError)) return `The session could not be saved: ${message}`;
  const issues = zodIssuesOf(error);
  if (issues) {
    return issues
      .map((issue) => `${nameField(issue.field, readings)}: ${issue.message}`)
      .join('; ');
  }
  return `The session was refused: ${message.replace(/readings\.\d+(\.\w+)?/g, (field) => nameField(field, readings))}`;
}
