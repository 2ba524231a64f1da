/**
 * A modal dialog on the browser's own <dialog>: it takes focus as it opens, keeps Tab inside, closes on
 * Escape (as `onCancel`) and gives focus back where it was. Titled and described for screen readers.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function ModalDialog({
  title,
  children,
  actions,
  onCancel,
  role = 'dialog',
}: {
  title: string;
  children: ReactNode;
  actions: ReactNode;
  onCancel: () => void;
  role?: 'dialog' | 'alertdialog';
}): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="modal"
      role={role}
      // Implied by showModal(); said outright for screen readers that predate it.
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={bodyId}>{children}</div>
      <div className="modal-actions">{actions}</div>
    </dialog>
  );
}
