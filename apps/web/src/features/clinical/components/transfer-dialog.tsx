import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { wallClockAt } from '@ossiwatch/domain';
import { useTRPC } from '../../../trpc.ts';
import { instantFromWardLocal, wardInputNow } from '../../admission/admission.utils.ts';
import { problemText } from './form-parts.tsx';

export interface TransferableStay {
  readonly wardId: number;
  readonly wardName: string;
  readonly dischargedAt: string | null;
  readonly version: number;
}

/**
 * Moves a patient to a bed on another of the user's wards: one stay closes and the next opens at the
 * same instant (the server's `patient.transfer`), a catheter in place stays in. The dialog is the
 * browser's modal `<dialog>` (focus goes in and stays in, Escape cancels); focus returns to the button
 * that opened it. The time is read on the receiving ward's clock, whose zone the label names.
 */
export function TransferForm({
  patientId,
  patientName,
  stay,
}: {
  patientId: number;
  patientName: string;
  stay: TransferableStay | null;
}): React.JSX.Element | null {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const wards = useQuery(trpc.ward.list.queryOptions());
  const targets = (wards.data ?? []).filter((ward) => ward.id !== stay?.wardId);
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [wardId, setWardId] = useState('');
  const target = targets.find((ward) => String(ward.id) === wardId) ?? targets[0];
  const zone = target?.timeZone ?? 'UTC';
  const [bedId, setBedId] = useState('');
  const [time, setTime] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const freeBeds = useQuery({
    ...trpc.ward.freeBeds.queryOptions({ wardId: target?.id ?? 0 }),
    enabled: target !== undefined,
  });
  const transfer = useMutation(trpc.patient.transfer.mutationOptions());

  if (!stay || stay.dischargedAt !== null || targets.length === 0 || !target) return null;
  const openStay = stay;

  function open(): void {
    const first = targets[0];
    setWardId(first ? String(first.id) : '');
    setBedId('');
    setTime(wardInputNow(first?.timeZone ?? zone));
    setProblem(null);
    setDone(null);
    dialog.current?.showModal();
  }

  function close(): void {
    dialog.current?.close();
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (!target) return;
    const parsed = instantFromWardLocal(time, zone);
    if ('problem' in parsed) {
      setProblem(`Time of transfer: ${parsed.problem}`);
      return;
    }
    const bed = freeBeds.data?.find((b) => String(b.id) === bedId);
    transfer.mutate(
      {
        patientId,
        wardId: target.id,
        bedId: bed ? bed.id : null,
        transferredAt: parsed.instant,
        expectedVersion: openStay.version,
      },
      {
        onSuccess: () => {
          setDone(
            `${patientName} moved to ${target.name}${bed ? `, bed ${bed.label}` : ''} at ${wallClockAt(Date.parse(parsed.instant), zone).slice(0, 16).replace('T', ' ')} (${zone}).`,
          );
          close();
          void queryClient.invalidateQueries({ queryKey: trpc.patient.pathKey() });
          void queryClient.invalidateQueries({ queryKey: trpc.ward.pathKey() });
        },
        onError: (error) => setProblem(problemText(error)),
      },
    );
  }

  return (
    <section className="clinical-form" aria-labelledby="transfer-heading">
      <h3 id="transfer-heading">Transfer</h3>
      <p className="muted">
        On {stay.wardName} now. A transfer ends this stay and starts one on the other ward at the
        same moment; a catheter in place stays in.
      </p>
      <button type="button" ref={opener} onClick={open}>
        Transfer to another ward
      </button>
      <div role="status">{done && <p className="success">{done}</p>}</div>
      <dialog
        ref={dialog}
        className="transfer-dialog"
        aria-labelledby="transfer-title"
        onClose={() => opener.current?.focus()}
      >
        <form onSubmit={submit} noValidate aria-labelledby="transfer-title">
          <h2 id="transfer-title">Transfer {patientName}</h2>
          <div className="field">
            <label htmlFor="transfer-ward">To ward</label>
            <select
              id="transfer-ward"
              value={String(target.id)}
              onChange={(event) => {
                setWardId(event.target.value);
                setBedId('');
              }}
            >
              {targets.map((ward) => (
                <option key={ward.id} value={ward.id}>
                  {ward.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="transfer-bed">Bed</label>
            <select id="transfer-bed" value={bedId} onChange={(e) => setBedId(e.target.value)}>
              <option value="">No bed yet</option>
              {(freeBeds.data ?? []).map((bed) => (
                <option key={bed.id} value={bed.id}>
                  Bed {bed.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="transfer-time">Time of transfer (ward time, {zone})</label>
            <input
              id="transfer-time"
              type="datetime-local"
              value={time}
              aria-invalid={problem?.startsWith('Time of transfer') ? true : undefined}
              onChange={(event) => setTime(event.target.value)}
            />
          </div>
          {problem && (
            <p role="alert" className="error">
              {problem}
            </p>
          )}
          <div className="form-row">
            <button type="submit" className="primary" disabled={transfer.isPending}>
              Transfer
            </button>
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </section>
  );
}
