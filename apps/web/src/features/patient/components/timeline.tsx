import { formatDate } from '../../../lib/format.ts';
import type { TimelineEvent, TimelineKind } from '../timeline.utils.ts';

const KIND_WORDS: Record<TimelineKind, string> = {
  complication: 'Complication',
  imaging: 'Imaging',
  diagnosis: 'Diagnosis',
  treatment: 'Treatment',
  catheter: 'Catheter',
};

export function Timeline({ events }: { events: readonly TimelineEvent[] }): React.JSX.Element {
  if (events.length === 0) return <p>No complications, imaging or treatments recorded.</p>;
  return (
    <ol className="timeline" aria-label="Complications, imaging and treatments, newest first">
      {events.map((event, index) => (
        <li key={`${event.at}-${index}`}>
          <time dateTime={event.at}>{formatDate(event.at)}</time>
          <span className="muted">{KIND_WORDS[event.kind]}: </span>
          {event.text}
        </li>
      ))}
    </ol>
  );
}
