import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { errorCode, useTRPC } from '../../../trpc.ts';
import type { BoardRow } from '../board-row.ts';

/**
 * "Acknowledge" on an Alert or High row: a modal dialog (the browser's own, so focus stays inside and
 * Escape closes it) with a Note. Someone else's acknowledgement in the meantime is a CONFLICT: the
 * board is reloaded and the person told, nothing is overwritten.
 */
export function AcknowledgeButton({
  row,
  wardId,
}: {
  row: BoardRow;
  wardId: number;
}): React.JSX.Element {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const noteId = useId();
  const problemId = useId();
  const acknowledge = useMutation(trpc.ward.acknowledge.mutationOptions());

  useEffect(() => {
    const node = dialog.current;
    if (open && node && !node.open) node.showModal();
  }, [open]);

  function close(): void {
    dialog.current?.close();
    setOpen(false);
    setProblem(null);
  }

  function submit(event: React.FormEvent): void {
    event.preventDefault();
    if (note.trim() === '') {
      setProblem('Write a note: what you did or decided.');
      return;
    }
    acknowledge.mutate(
      { patientId: row.patientId, note, version: row.acknowledgementVersion },
      {
        onSuccess: () => {
          setNote('');
          close();
          void queryClient.invalidateQueries({ queryKey: trpc.ward.board.queryKey({ wardId }) });
        },
        onError: (error) => {
          if (errorCode(error) === 'CONFLICT') {
            setProblem(
              'Someone else acknowledged this patient meanwhile. The board has been reloaded: read their note, then acknowledge again if you still need to.',
            );
            void queryClient.invalidateQueries({
              queryKey: trpc.ward.board.queryKey({ wardId }),
            });
          } else {
            setProblem(`Not saved: ${error.message}`);
          }
        },
      },
    );
  }

  return (
    <>
      <button type="button" className="ack-button" onClick={() => setOpen(true)}>
        Acknowledge<span className="visually-hidden"> {row.name}</span>
      </button>
      {open && (
        <dialog
          ref={dialog}
          className="ack-dialog"
          aria-labelledby={`${noteId}-title`}
          onClose={() => setOpen(false)}
        >
          <form onSubmit={submit}>
            <h2 id={`${noteId}-title`}>Acknowledge {row.name}</h2>
            <p className="muted">
              The row stays on the board, quieter, until something new happens.
            </p>
            <div className="field">
              <label htmlFor={noteId}>Note</label>
              <textarea
                id={noteId}
                rows={3}
                maxLength={500}
                value={note}
                aria-invalid={problem !== null && note.trim() === ''}
                aria-describedby={problem ? problemId : undefined}
                onChange={(event) => setNote(event.target.value)}
              />
            </div>
            {problem && (
              <p id={problemId} role="alert" className="error">
                {problem}
              </p>
            )}
            <div className="form-row">
              <button type="submit" className="primary" disabled={acknowledge.isPending}>
                Save acknowledgement
              </button>
              <button type="button" onClick={close}>
                Cancel
              </button>
            </div>
          </form>
        </dialog>
      )}
    </>
  );
}
