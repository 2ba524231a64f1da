import { useEffect, useRef, useState } from 'react';
import { nextFocusIndex } from '../focus.utils.ts';
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

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * The warning is a modal alertdialog (WAI-ARIA APG): it takes focus as it opens, Tab and Shift+Tab go
 * round inside it rather than out to the page behind, Escape is "Stay signed in", and on closing
 * focus goes back where it was, so a nurse typing in the entry grid carries on in the same cell.
 * Any key or click also counts as activity and closes it within a second (IdleGuard's timer); the
 * page behind stays as it is, so `aria-modal` tells a screen reader not to wander into it meanwhile.
 */
function IdleWarning({
  secondsLeft,
  onStay,
}: {
  secondsLeft: number;
  onStay: () => void;
}): React.JSX.Element {
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const node = dialog.current;
    const before = document.activeElement;
    node?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    return () => {
      // Unless the user has since put focus somewhere else on the page themselves.
      const now = document.activeElement;
      const lost = now === null || now === document.body || (node?.contains(now) ?? false);
      if (lost && before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);

  function onKeyDown(event: React.KeyboardEvent<HTMLDivElement>): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      onStay();
      return;
    }
    if (event.key !== 'Tab' || !dialog.current) return;
    event.preventDefault();
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const current = focusable.findIndex((element) => element === document.activeElement);
    focusable[nextFocusIndex(current, focusable.length, event.shiftKey)]?.focus();
  }

  return (
    <div
      ref={dialog}
      className="idle-warning"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="idle-title"
      aria-describedby="idle-text"
      onKeyDown={onKeyDown}
    >
      <h2 id="idle-title">Still there?</h2>
      <p id="idle-text">
        You will be signed out in {secondsLeft} seconds because nothing has happened for a while.
        Anything not yet saved will be lost.
      </p>
      <p className="visually-hidden" role="status">
        {idleReminder(secondsLeft)}
      </p>
      <button type="button" className="primary" onClick={onStay}>
        Stay signed in
      </button>
    </div>
  );
}
