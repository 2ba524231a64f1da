import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A form's confirmation that it saved: a live region (role=status), and focus moves to the message
 * as it appears (PRODUCT §5 "Everywhere"), so a keyboard or screen-reader user hears what was saved
 * and carries on from there instead of from a button that may no longer be there (WCAG 2.4.3).
 * `message` changes (or comes back after being cleared) at every save, which moves focus again.
 */
export function SavedStatus({
  message,
  children,
}: {
  message: string | null;
  children?: ReactNode;
}): React.JSX.Element {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (message !== null) ref.current?.focus();
  }, [message]);
  return (
    <div role="status">
      {message !== null && (
        <p className="success" ref={ref} tabIndex={-1}>
          {message}
          {children}
        </p>
      )}
    </div>
  );
}
