/**
 * "Are you sure?" before an account change that cannot be taken back quietly (sessions end, a
 * password stops working). The browser's own modal <dialog> (ModalDialog) keeps focus inside and
 * closes on Escape; the safe choice comes first, so it has the focus as the dialog opens.
 */
import type { ReactNode } from 'react';
import { ModalDialog } from '../../../components/modal-dialog.tsx';

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy = false,
  onConfirm,
  onCancel,
}: {
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly busy?: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}): React.JSX.Element {
  return (
    <ModalDialog
      title={title}
      role="alertdialog"
      onCancel={onCancel}
      actions={
        <>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </ModalDialog>
  );
}
