import { useEffect, useRef, useState } from 'react';
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
    <div
      className="idle-warning"
      role="alertdialog"
      aria-labelledby="idle-title"
      aria-describedby="idle-text"
    >
      <h2 id="idle-title">Still there?</h2>
      <p id="idle-text">
        You will be signed out in {phase.secondsLeft} seconds because nothing has happened for a
        while. Anything not yet saved will be lost.
      </p>
      <p className="visually-hidden" role="status">
        {idleReminder(phase.secondsLeft)}
      </p>
      <button
        type="button"
        className="primary"
        autoFocus
        onClick={() => {
          lastActivity.current = Date.now();
          lastPing.current = Date.now();
          callbacks.current.onActivity();
          setPhase({ phase: 'active' });
        }}
      >
        Stay signed in
      </button>
    </div>
  );
}
