/**
 * Closing a versioned episode of a patient's care (a catheter taken out, a complication resolved):
 * the same checks and the same single-row update for both, so a catheter and a complication refuse a
 * stale version, a second close and a close before the start in the same words.
 */
import { TRPCError } from '@trpc/server';
import { versionConflict } from './clinical.ts';
import { refuseWithdrawn } from './corrections.ts';
import type { RecordStatus } from './db/schema/corrections.ts';
import type { DbOrTx } from './db/client.ts';
import { preparedStatement } from './statements.ts';

interface EpisodeRow {
  readonly id: number;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly version: number;
  readonly status: RecordStatus;
}

/** What differs between the kinds of episode: the table, its two instants, and the words. */
interface EpisodeKind {
  /** "This catheter": the subject of the refusals. */
  readonly record: string;
  readonly notFound: string;
  readonly alreadyClosed: string;
  /** The input field of the closing instant, named in a refusal (`removedAt`). */
  readonly endField: string;
  /** The start, as a refusal names it ("the insertion"). */
  readonly startWord: string;
  readonly select: (tx: DbOrTx) => { get(id: number, patientId: number): EpisodeRow | undefined };
  readonly close: (tx: DbOrTx) => { run(endedAt: string, version: number, id: number): unknown };
}

function episodeKind(
  table: 'catheter_episodes' | 'complications',
  start: 'inserted_at' | 'onset_at',
  end: 'removed_at' | 'resolved_at',
  words: Omit<EpisodeKind, 'select' | 'close'>,
): EpisodeKind {
  return {
    ...words,
    select: preparedStatement<[number, number], EpisodeRow>(
      `SELECT id, ${start} AS startedAt, ${end} AS endedAt, version, status
       FROM ${table} WHERE id = ? AND patient_id = ?`,
    ),
    close: preparedStatement<[string, number, number]>(
      `UPDATE ${table} SET ${end} = ?, version = ? WHERE id = ?`,
    ),
  };
}

export const CATHETER = episodeKind('catheter_episodes', 'inserted_at', 'removed_at', {
  record: 'This catheter',
  notFound: 'No such catheter for this patient.',
  alreadyClosed: 'This catheter was already removed.',
  endField: 'removedAt',
  startWord: 'the insertion',
});

export const COMPLICATION = episodeKind('complications', 'onset_at', 'resolved_at', {
  record: 'This complication',
  notFound: 'No such complication for this patient.',
  alreadyClosed: 'This complication is already resolved.',
  endField: 'resolvedAt',
  startWord: 'the onset',
});

/**
 * Ends episode `id` of `patientId` at `endedAt` inside the caller's transaction: NOT_FOUND when it is
 * not this patient's, CONFLICT (with the current version) when `expectedVersion` is stale or it has
 * already ended, BAD_REQUEST when `endedAt` is before its start. Returns its new version.
 */
export function closeEpisode(
  tx: DbOrTx,
  kind: EpisodeKind,
  input: { id: number; patientId: number; endedAt: string; expectedVersion: number },
): { id: number; version: number } {
  const episode = kind.select(tx).get(input.id, input.patientId);
  if (!episode) throw new TRPCError({ code: 'NOT_FOUND', message: kind.notFound });
  refuseWithdrawn(kind.record, episode.status);
  if (episode.version !== input.expectedVersion) {
    throw versionConflict(kind.record, episode.version);
  }
  if (episode.endedAt !== null) {
    throw new TRPCError({ code: 'CONFLICT', message: kind.alreadyClosed });
  }
  if (input.endedAt < episode.startedAt) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `${kind.endField}: ${input.endedAt} is before ${kind.startWord} (${episode.startedAt})`,
    });
  }
  const version = episode.version + 1;
  kind.close(tx).run(input.endedAt, version, episode.id);
  return { id: episode.id, version };
}
