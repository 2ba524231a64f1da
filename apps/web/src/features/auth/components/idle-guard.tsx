import { useEffect, useRef, useState } from 'react';
import { ModalDialog } from '../../../components/modal-dialog.tsx';
import { IDLE_LIMIT_MS, idleReminder, idlePhase, type IdlePhase } from '../idle.utils.ts';

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

/**
 * Signs the user out after 15 minutes without keyboard or pointer activity, warning a minute before.
 * Activity also keeps the server's session alive (`onActivity`, at most once a minute), so typing a long
 * therapy session without saving does not end it server-side.
 */
export function IdleGuard({
  onExpire,
  onActivity,
  disabled = false,
}: {
  onExpire: () => void;
  onActivity: () => void;
  disabled?: boolean;
}): React.JSX.Element | null {
  const lastActivity = useRef(Date.now());
  const lastPing = useRef(Date.now());
  const [phase, setPhase] = useState<IdlePhase>({ phase: 'active' });
  const expired = useRef(false);
  const callbacks = useRef({ onExpire, onActivity });
  callbacks.current = { onExpire, onActivity };

  useEffect(() => {
    if (disabled) return;
    function markActive(): void {
      lastActivity.current = Date.now();
      if (Date.now() - lastPing.current > 60_000) {
        lastPing.current = Date.now();
        callbacks.current.onActivity();
      }
    }
    for (const name of ACTIVITY_EVENTS)
      window.addEventListener(name, markActive, { passive: true });
    const timer = window.setInterval(() => {
      const next = idlePhase(lastActivity.current, Date.now(), IDLE_LIMIT_MS);
      setPhase((previous) =>
        previous.phase === next.phase &&
        (next.phase !== 'warning' ||
          (previous.phase === 'warning' && previous.secondsLeft === next.secondsLeft))
          ? previous
          : next,
      );
      if (next.phase === 'expired' && !expired.current) {
        expired.current = true;
        callbacks.current.onExpire();
      }
    }, 1000);
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, markActive);
      window.clearInterval(timer);
    };
  }, [disabled]);

  if (phase.phase !== 'warning') return null;
  return (
    <IdleWarning
      secondsLeft={phase.secondsLeft}
      onStay={() => {
        lastActivity.current = Date.now();
        lastPing.current = Date.now();
        callbacks.current.onActivity();
        setPhase({ phase: 'active' });
      }}
    />
  );
}

/**
 * The warning is a modal alertdialog on the browser's own <dialog> (ModalDialog): it takes focus as
 * it opens, the page behind is inert so Tab and Shift+Tab stay inside and a screen reader does not
 * wander into the board, Escape is "Stay signed in", and on closing focus goes back where it was, so
 * a nurse typing in the entry grid carries on in the same cell. Any key or click also counts as
 * activity and closes it within a second (IdleGuard's timer).
 */
function IdleWarning({
  secondsLeft,
  onStay,
}: {
  secondsLeft: number;
  onStay: () => void;
}): React.JSX.Element {
  return (
    <ModalDialog
      title="Still there?"
      role="alertdialog"
      onCancel={onStay}
      actions={
        <button type="button" className="primary" onClick={onStay}>
          Stay signed in
        </button>
      }
    >
      <p>
        You will be signed out in {secondsLeft} seconds because nothing has happened for a while.
        Anything not yet saved will be lost.
      </p>
      <p className="visually-hidden" role="status">
        {idleReminder(secondsLeft)}
      </p>
    </ModalDialog>
  );
}
