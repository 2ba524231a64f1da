import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDate } from '../../../lib/format.ts';
import { useTRPC } from '../../../trpc.ts';
import { EnterInErrorDialog } from '../../corrections/components/correction-dialogs.tsx';
import type { TimelineEvent, TimelineKind, TimelineRecord } from '../timeline.utils.ts';

const KIND_WORDS: Record<TimelineKind, string> = {
  complication: 'Complication',
  imaging: 'Imaging',
  diagnosis: 'Diagnosis',
  treatment: 'Treatment',
  catheter: 'Catheter',
};

/**
 * The record's events, newest first. A record entered in error stays, struck through with who, when
 * and why; its author or a physician can mark one so from here (`canCorrect`).
 */
export function Timeline({
  events,
  canCorrect = false,
}: {
  events: readonly TimelineEvent[];
  canCorrect?: boolean;
}): React.JSX.Element {
  const trpc = useTRPC();
  const enterInError = useMutation(trpc.records.enterInError.mutationOptions());
  const [open, setOpen] = useState<{ record: TimelineRecord; what: string } | null>(null);
  if (events.length === 0) return <p>No complications, imaging or treatments recorded.</p>;
  return (
    <>
      <ol className="timeline" aria-label="Complications, imaging and treatments, newest first">
        {events.map((event, index) => (
          <li
            key={`${event.at}-${index}`}
            className={event.record?.withdrawn ? 'entered-in-error' : undefined}
          >
            <time dateTime={event.at}>{formatDate(event.at)}</time>
            <span className="muted">{KIND_WORDS[event.kind]}: </span>
            {event.record?.withdrawn ? (
              <>
                <del>{event.text}</del>{' '}
                {event.primary && <span className="muted">{event.record.withdrawn}</span>}
              </>
            ) : (
              event.text
            )}
            {canCorrect && event.primary && event.record && !event.record.withdrawn && (
              <>
                {' '}
                <button
                  type="button"
                  aria-label={`Mark entered in error: ${event.text}`}
                  onClick={() =>
                    event.record &&
                    setOpen({
                      record: event.record,
                      what: `${KIND_WORDS[event.kind]}: ${event.text} (${formatDate(event.at)})`,
                    })
                  }
                >
                  Mark entered in error
                </button>
              </>
            )}
          </li>
        ))}
      </ol>
      {open && (
        <EnterInErrorDialog
          what={open.what}
          submit={(reason) =>
            enterInError.mutateAsync({
              kind: open.record.kind,
              id: open.record.id,
              version: open.record.version,
              reason,
            })
          }
          onClose={() => setOpen(null)}
        />
      )}
    </>
  );
}
