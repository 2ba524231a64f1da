import { JOINT_SITES, SIDES, type JointSite, type Side } from '@ossiwatch/domain';
import { useQueryClient } from '@tanstack/react-query';
import { useContext, useState } from 'react';
import { FormDraftContext } from '../form-drafts.tsx';
import { SavedStatus } from '../../../components/saved-status.tsx';
import { errorCode, useTRPC } from '../../../trpc.ts';
import { instantFromLocal, localInputNow } from '../clinical-forms.utils.ts';

export const SITE_OPTIONS: Record<JointSite, string> = {
  shoulder: 'Shoulder',
  elbow: 'Elbow',
  hip: 'Hip',
  knee: 'Knee',
  ankle: 'Ankle',
};

export function TimeField({
  id,
  label,
  value,
  onChange,
  problem,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** What is wrong with this time, shown under it and tied to it for screen readers. */
  problem?: string | undefined;
}): React.JSX.Element {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="datetime-local"
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {problem && <FieldProblem id={`${id}-problem`} text={problem} />}
    </div>
  );
}

/** A field's own problem, under it; the control points at it with `aria-describedby`. */
export function FieldProblem({ id, text }: { id: string; text: string }): React.JSX.Element {
  return (
    <span id={id} className="error">
      {text}
    </span>
  );
}

export function SiteSideFields({
  idPrefix,
  site,
  side,
  onSite,
  onSide,
}: {
  idPrefix: string;
  site: JointSite;
  side: Side;
  onSite: (site: JointSite) => void;
  onSide: (side: Side) => void;
}): React.JSX.Element {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-side`}>Side</label>
        <select
          id={`${idPrefix}-side`}
          value={side}
          onChange={(event) => onSide(event.target.value as Side)}
        >
          {SIDES.map((s) => (
            <option key={s} value={s}>
              {s === 'left' ? 'Left' : 'Right'}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-site`}>Joint</label>
        <select
          id={`${idPrefix}-site`}
          value={site}
          onChange={(event) => onSite(event.target.value as JointSite)}
        >
          {JOINT_SITES.map((s) => (
            <option key={s} value={s}>
              {SITE_OPTIONS[s]}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

/** What went wrong, in words: the server names the field; a conflict says someone else was first. */
export function problemText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  switch (errorCode(error)) {
    case 'CONFLICT':
      return `Someone else changed this record a moment ago; nothing was overwritten. Reload and check: ${message}`;
    case 'FORBIDDEN':
      return `Not allowed: ${message}`;
    default:
      return `Not saved: ${message}`;
  }
}

export interface FormState {
  readonly time: string;
  readonly setTime: (value: string) => void;
  readonly saved: string | null;
  readonly problem: string | null;
  /** The instant to send, or null after showing why the time cannot be used. */
  readonly instantOrProblem: (field: string) => string | null;
  readonly succeed: (message: string) => void;
  readonly fail: (error: unknown) => void;
  readonly reset: () => void;
}

/** Time, outcome and refresh shared by every clinical form. */
export function useFormState(): FormState {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [time, setTime] = useState(() => localInputNow());
  const [saved, setSaved] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const drafts = useContext(FormDraftContext);
  return {
    time,
    setTime,
    saved,
    problem,
    instantOrProblem: (field) => {
      setSaved(null);
      const parsed = instantFromLocal(time);
      if ('problem' in parsed) {
        setProblem(`${field}: ${parsed.problem}`);
        return null;
      }
      setProblem(null);
      return parsed.instant;
    },
    succeed: (message) => {
      drafts?.saved();
      setProblem(null);
      setSaved(message);
      void queryClient.invalidateQueries({ queryKey: trpc.patient.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.ward.pathKey() });
    },
    fail: (error) => {
      setSaved(null);
      setProblem(problemText(error));
    },
    reset: () => {
      setSaved(null);
      setProblem(null);
    },
  };
}

export function FormOutcome({ state }: { state: FormState }): React.JSX.Element {
  return (
    <>
      <SavedStatus message={state.saved} />
      {state.problem && (
        <p role="alert" className="error">
          {state.problem}
        </p>
      )}
    </>
  );
}

/**
 * What is going on now (an active complication, a running treatment), each with the one action that
 * ends it. The button's hidden text repeats the item's name, so a screen reader's list of buttons says
 * which one each ends.
 */
export function ActiveItems<T extends { readonly id: number }>({
  label,
  items,
  nameOf,
  detailOf,
  action,
  onAction,
  busy,
}: {
  label: string;
  items: readonly T[];
  nameOf: (item: T) => string;
  /** "(stage 2) since 3 Mar 2026": what follows the name. */
  detailOf: (item: T) => string;
  action: string;
  onAction: (item: T) => void;
  busy: boolean;
}): React.JSX.Element | null {
  if (items.length === 0) return null;
  return (
    <ul aria-label={label}>
      {items.map((item) => (
        <li key={item.id}>
          {nameOf(item)}
          {detailOf(item)}{' '}
          <button type="button" onClick={() => onAction(item)} disabled={busy}>
            {action}
            <span className="visually-hidden">: {nameOf(item)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
