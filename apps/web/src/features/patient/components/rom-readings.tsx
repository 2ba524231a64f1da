/**
 * The latest ROM sessions as a list, each reading with its status: a reading entered in error is
 * struck through with who, when and why (PRODUCT §5); a corrected one offers its versions. The
 * author of a session or a physician marks readings entered in error or corrects them.
 */
import {
  readingLabel,
  type JointSite,
  type Movement,
  type RomMode,
  type Side,
} from '@ossiwatch/domain';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime } from '../../../lib/format.ts';
import { useTRPC } from '../../../trpc.ts';
import {
  CorrectRomDialog,
  EnterInErrorDialog,
  VersionsDialog,
  withdrawnText,
  type RecordStatusLike,
} from '../../corrections/components/correction-dialogs.tsx';

export interface RomListReading extends RecordStatusLike {
  readonly id: number;
  readonly sessionId: number;
  readonly site: JointSite;
  readonly side: Side;
  readonly movement: Movement;
  readonly mode: RomMode;
  readonly degrees: number;
  readonly takenAt: string;
  readonly version: number;
}

/** Sessions shown at first; the rest on request. */
const SHOWN_SESSIONS = 5;

type Open =
  | { kind: 'error-session'; sessionId: number; what: string }
  | { kind: 'error-reading'; reading: RomListReading; what: string }
  | { kind: 'correct'; reading: RomListReading; what: string }
  | { kind: 'versions'; reading: RomListReading };

function labelOf(r: Pick<RomListReading, 'site' | 'side' | 'movement' | 'mode'>): string {
  const label = readingLabel(r.side, r.site, r.movement, r.mode);
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export function RomReadings({
  readings,
  canCorrect,
}: {
  readings: readonly RomListReading[];
  canCorrect: boolean;
}): React.JSX.Element {
  const trpc = useTRPC();
  const enterInError = useMutation(trpc.rom.enterInError.mutationOptions());
  const [open, setOpen] = useState<Open | null>(null);
  const [all, setAll] = useState(false);

  const sessions = new Map<number, RomListReading[]>();
  for (const reading of readings) {
    const list = sessions.get(reading.sessionId) ?? [];
    list.push(reading);
    sessions.set(reading.sessionId, list);
  }
  const newestFirst = [...sessions.entries()].sort(
    ([a, ra], [b, rb]) => (rb[0]?.takenAt ?? '').localeCompare(ra[0]?.takenAt ?? '') || b - a,
  );
  const shown = all ? newestFirst : newestFirst.slice(0, SHOWN_SESSIONS);
  if (newestFirst.length === 0) return <p>No range-of-motion readings recorded.</p>;

  return (
    <div className="rom-readings">
      <h3>Sessions, newest first</h3>
      {shown.map(([sessionId, list]) => {
        const when = formatDateTime(list[0]?.takenAt ?? '');
        const current = list.filter((r) => r.status !== 'entered-in-error');
        return (
          <section key={sessionId} aria-label={`Session of ${when}`}>
            <h4>
              Session of {when}
              {canCorrect && current.length > 0 && (
                <>
                  {' '}
                  <button
                    type="button"
                    onClick={() =>
                      setOpen({
                        kind: 'error-session',
                        sessionId,
                        what: `All ${current.length} readings of the session of ${when}`,
                      })
                    }
                  >
                    Mark session entered in error
                  </button>
                </>
              )}
            </h4>
            <ul>
              {list.map((reading) => {
                const text = `${labelOf(reading)}: ${reading.degrees}°`;
                const withdrawn = reading.status === 'entered-in-error';
                return (
                  <li key={reading.id} className={withdrawn ? 'entered-in-error' : undefined}>
                    {withdrawn ? (
                      <>
                        <del>{text}</del> <span className="muted">{withdrawnText(reading)}</span>
                      </>
                    ) : (
                      <>
                        {text}
                        {reading.status === 'amended' && (
                          <span className="muted"> (corrected)</span>
                        )}
                      </>
                    )}
                    {canCorrect && !withdrawn && (
                      <>
                        {' '}
                        <button
                          type="button"
                          aria-label={`Mark ${text} entered in error`}
                          onClick={() =>
                            setOpen({ kind: 'error-reading', reading, what: `${text} (${when})` })
                          }
                        >
                          Mark entered in error
                        </button>{' '}
                        <button
                          type="button"
                          aria-label={`Correct ${text}`}
                          onClick={() =>
                            setOpen({ kind: 'correct', reading, what: `${text} (${when})` })
                          }
                        >
                          Correct
                        </button>
                      </>
                    )}
                    {reading.supersedes !== null && (
                      <>
                        {' '}
                        <button
                          type="button"
                          aria-label={`Versions of ${text}`}
                          onClick={() => setOpen({ kind: 'versions', reading })}
                        >
                          Versions
                        </button>
                      </>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
      {newestFirst.length > SHOWN_SESSIONS && (
        <button type="button" onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? 'Show the latest sessions only' : `Show all ${newestFirst.length} sessions`}
        </button>
      )}
      {open?.kind === 'error-session' && (
        <EnterInErrorDialog
          what={open.what}
          submit={(reason) => enterInError.mutateAsync({ sessionId: open.sessionId, reason })}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === 'error-reading' && (
        <EnterInErrorDialog
          what={open.what}
          submit={(reason) =>
            enterInError.mutateAsync({
              sessionId: open.reading.sessionId,
              readingIds: [open.reading.id],
              reason,
            })
          }
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === 'correct' && (
        <CorrectRomDialog reading={open.reading} what={open.what} onClose={() => setOpen(null)} />
      )}
      {open?.kind === 'versions' && (
        <VersionsDialog
          kind="rom"
          id={open.reading.id}
          describe={(v) => `${labelOf(open.reading)}: ${String(v.degrees)}°`}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  );
}
