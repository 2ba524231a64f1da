/**
 * Corrections on the patient page (PRODUCT §5): "Mark entered in error" with a reason, "Correct" as a
 * new version with a reason, and the versions of a record on request. The server decides who may
 * (the author or a physician) and says why when it refuses.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ModalDialog } from '../../../components/modal-dialog.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useTRPC } from '../../../trpc.ts';

export type RecordKind =
  | 'rom'
  | 'spasticity'
  | 'mobility'
  | 'braden'
  | 'joint'
  | 'vital'
  | 'imaging'
  | 'diagnosis'
  | 'complication'
  | 'catheter'
  | 'intervention';

/** The who/when/why the server lists with each record. */
export interface RecordStatusLike {
  readonly status: string;
  readonly statusReason: string | null;
  readonly statusAt: string | null;
  readonly statusByName: string | null;
  readonly supersedes: number | null;
}

/** "Entered in error by Tom Lee, 12 Feb 2026 14:02: wrong patient". */
export function withdrawnText(record: RecordStatusLike): string {
  return `Entered in error by ${record.statusByName ?? 'someone no longer listed'}${
    record.statusAt ? `, ${formatDateTime(record.statusAt)}` : ''
  }: ${record.statusReason ?? ''}`;
}

/** Every query a correction changes: the record, the patient's assessment, the boards. */
function useRefresh(): () => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    for (const key of [
      trpc.rom.pathKey(),
      trpc.patient.pathKey(),
      trpc.ward.pathKey(),
      trpc.records.pathKey(),
    ]) {
      void queryClient.invalidateQueries({ queryKey: key });
    }
  };
}

function ReasonField({
  value,
  onChange,
}: {
  value: string;
  onChange: (value: string) => void;
}): React.JSX.Element {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Reason (required)</label>
      <textarea
        id={id}
        required
        rows={2}
        maxLength={500}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

/**
 * Asks for the reason and withdraws the record(s). `what` names them in the title ("Left hip flexion
 * (passive), 12°"); `submit` runs the mutation with the reason.
 */
export function EnterInErrorDialog({
  what,
  submit,
  onClose,
}: {
  what: string;
  submit: (reason: string) => Promise<unknown>;
  onClose: () => void;
}): React.JSX.Element {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const refresh = useRefresh();
  const formId = useId();

  function onSubmit(event: FormEvent): void {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setProblem('Reason: say why the record is wrong (at least 3 characters).');
      return;
    }
    setPending(true);
    submit(reason.trim()).then(
      () => {
        refresh();
        onClose();
      },
      (error: unknown) => {
        setPending(false);
        setProblem(error instanceof Error ? error.message : String(error));
      },
    );
  }

  return (
    <ModalDialog
      title="Mark entered in error"
      onCancel={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="primary" disabled={pending}>
            Mark entered in error
          </button>
        </>
      }
    >
      <p>
        {what}. It stays in the record, struck through with your name, the time and the reason, and
        no longer counts in any rule, board or rate.
      </p>
      <form id={formId} onSubmit={onSubmit} noValidate>
        <ReasonField value={reason} onChange={setReason} />
      </form>
      {problem && (
        <p role="alert" className="error">
          Not changed: {problem}
        </p>
      )}
    </ModalDialog>
  );
}

/** Corrects a ROM reading's degrees as a new version, with a reason. */
export function CorrectRomDialog({
  reading,
  what,
  onClose,
}: {
  reading: { id: number; degrees: number; version: number };
  what: string;
  onClose: () => void;
}): React.JSX.Element {
  const trpc = useTRPC();
  const amend = useMutation(trpc.records.amend.mutationOptions());
  const [degrees, setDegrees] = useState(String(reading.degrees));
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = useRefresh();
  const formId = useId();
  const degreesId = useId();

  function onSubmit(event: FormEvent): void {
    event.preventDefault();
    const value = Number(degrees.trim().replace('−', '-'));
    if (degrees.trim() === '' || !Number.isFinite(value)) {
      setProblem('Corrected value: enter a number of degrees.');
      return;
    }
    if (reason.trim().length < 3) {
      setProblem('Reason: say why the value is corrected (at least 3 characters).');
      return;
    }
    amend.mutate(
      {
        kind: 'rom',
        id: reading.id,
        version: reading.version,
        reason: reason.trim(),
        changes: { degrees: value },
      },
      {
        onSuccess: () => {
          refresh();
          onClose();
        },
        onError: (error) => setProblem(error.message),
      },
    );
  }

  return (
    <ModalDialog
      title="Correct a reading"
      onCancel={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="primary" disabled={amend.isPending}>
            Save correction
          </button>
        </>
      }
    >
      <p>
        {what}. The corrected value replaces it; the original is kept and shown under
        &ldquo;Versions&rdquo;.
      </p>
      <form id={formId} onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={degreesId}>Corrected value (degrees)</label>
          <input
            id={degreesId}
            inputMode="numeric"
            value={degrees}
            onChange={(event) => setDegrees(event.target.value)}
          />
        </div>
        <ReasonField value={reason} onChange={setReason} />
      </form>
      {problem && (
        <p role="alert" className="error">
          Not changed: {problem}
        </p>
      )}
    </ModalDialog>
  );
}

/** Every version of a record, newest first, with who replaced each one, when and why. */
export function VersionsDialog({
  kind,
  id,
  describe,
  onClose,
}: {
  kind: RecordKind;
  id: number;
  describe: (version: Record<string, unknown>) => string;
  onClose: () => void;
}): React.JSX.Element {
  const trpc = useTRPC();
  const versions = useQuery(trpc.records.versions.queryOptions({ kind, id }));
  return (
    <ModalDialog
      title="Versions"
      onCancel={onClose}
      actions={
        <button type="button" className="primary" onClick={onClose}>
          Close
        </button>
      }
    >
      {versions.isPending && <p role="status">Loading the versions…</p>}
      {versions.isError && <p role="alert">{versions.error.message}</p>}
      {versions.data && (
        <ol aria-label="Versions, newest first">
          {versions.data.map((version) => (
            <li key={version.id}>
              {version.status === 'superseded' ? (
                <>
                  <del>{describe(version)}</del>: replaced by {version.statusByName ?? 'someone'}
                  {version.statusAt ? `, ${formatDateTime(version.statusAt)}` : ''}:{' '}
                  {version.statusReason}
                </>
              ) : version.status === 'entered-in-error' ? (
                <>
                  <del>{describe(version)}</del>: {withdrawnText(version)}
                </>
              ) : (
                <>
                  {describe(version)} ({version.status === 'amended' ? 'corrected' : 'current'})
                </>
              )}
            </li>
          ))}
        </ol>
      )}
    </ModalDialog>
  );
}
