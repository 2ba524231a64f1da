import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { formatDateTime } from '../../../lib/format.ts';
import { useTRPC } from '../../../trpc.ts';
import { failure, type Outcome } from './outcome.ts';
import { OutcomeMessage } from './wards-admin.tsx';

/**
 * The HL7 interface (PRODUCT §11): messages waiting in the queue and why, the location map that
 * fixes most of them, and replaying or setting aside a waiting message.
 */
export function InterfaceAdmin(): React.JSX.Element {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queue = useQuery(trpc.hl7.queue.queryOptions());
  const wards = useQuery(trpc.admin.wards.list.queryOptions());
  const mapLocation = useMutation(trpc.hl7.mapLocation.mutationOptions());
  const replay = useMutation(trpc.hl7.replay.mutationOptions());
  const dismiss = useMutation(trpc.hl7.dismiss.mutationOptions());
  const [code, setCode] = useState('');
  const [wardId, setWardId] = useState('');
  const [mapped, setMapped] = useState<Outcome | null>(null);
  const [acted, setActed] = useState<Outcome | null>(null);
  const refresh = (): void =>
    void queryClient.invalidateQueries({ queryKey: trpc.hl7.queue.queryKey() });

  function submitMap(event: FormEvent): void {
    event.preventDefault();
    const target = Number(wardId || wards.data?.[0]?.id);
    if (code.trim() === '') {
      setMapped({
        ok: false,
        text: 'Not saved: code: enter the point-of-care code',
        field: 'code',
      });
      return;
    }
    mapLocation.mutate(
      { code: code.trim(), wardId: target },
      {
        onSuccess: (result) => {
          const ward = wards.data?.find((w) => w.id === result.wardId)?.name ?? result.wardId;
          setMapped({
            ok: true,
            text: `${result.code} now maps to ${ward}. Replay its messages below.`,
          });
          setCode('');
          refresh();
        },
        onError: (error) => setMapped(failure(error)),
      },
    );
  }

  function onReplay(messageId: number): void {
    replay.mutate(
      { messageId },
      {
        onSuccess: (result) => {
          setActed(
            result.ackCode === 'AA'
              ? {
                  ok: true,
                  text: `Message #${messageId} applied.${result.note ? ` ${result.note}` : ''}`,
                }
              : {
                  ok: false,
                  text: `Message #${messageId} still cannot be applied: ${result.note ?? ''}`,
                },
          );
          refresh();
        },
        onError: (error) => setActed(failure(error)),
      },
    );
  }

  function onDismiss(messageId: number): void {
    dismiss.mutate(
      { messageId },
      {
        onSuccess: () => {
          setActed({ ok: true, text: `Message #${messageId} set aside; it will not be applied.` });
          refresh();
        },
        onError: (error) => setActed(failure(error)),
      },
    );
  }

  return (
    <section aria-labelledby="interface-heading">
      <h2 id="interface-heading">HL7 interface</h2>
      {queue.isError && <p role="alert">{queue.error.message}</p>}
      {queue.data && (
        <>
          <table>
            <caption>Waiting in the queue ({queue.data.waiting.length})</caption>
            <thead>
              <tr>
                <th scope="col">Message</th>
                <th scope="col">Received</th>
                <th scope="col">Type</th>
                <th scope="col">MRN</th>
                <th scope="col">Why it waits</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {queue.data.waiting.length === 0 && (
                <tr>
                  <td colSpan={6}>
                    Nothing waits: every message received was applied or rejected.
                  </td>
                </tr>
              )}
              {queue.data.waiting.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    #{m.id} <span className="muted">{m.controlId}</span>
                  </th>
                  <td>{formatDateTime(m.receivedAt)}</td>
                  <td>{m.messageType}</td>
                  <td>{m.mrn}</td>
                  <td>{m.note}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() => onReplay(m.id)}
                      disabled={replay.isPending}
                      aria-label={`Replay message ${m.id}`}
                    >
                      Replay
                    </button>{' '}
                    <button
                      type="button"
                      onClick={() => onDismiss(m.id)}
                      disabled={dismiss.isPending}
                      aria-label={`Set message ${m.id} aside`}
                    >
                      Set aside
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <OutcomeMessage id="interface-action-outcome" outcome={acted} />
          <table>
            <caption>Recent warnings and rejections</caption>
            <thead>
              <tr>
                <th scope="col">Message</th>
                <th scope="col">Received</th>
                <th scope="col">Type</th>
                <th scope="col">Outcome</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {queue.data.warnings.length === 0 && (
                <tr>
                  <td colSpan={5}>None.</td>
                </tr>
              )}
              {queue.data.warnings.map((m) => (
                <tr key={m.id}>
                  <th scope="row">#{m.id}</th>
                  <td>{formatDateTime(m.receivedAt)}</td>
                  <td>{m.messageType ?? 'unreadable'}</td>
                  <td>
                    {m.status} ({m.ackCode})
                  </td>
                  <td>{m.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <caption>Locations (PV1-3.1 point of care to ward)</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Ward</th>
                <th scope="col">Changed</th>
              </tr>
            </thead>
            <tbody>
              {queue.data.locations.length === 0 && (
                <tr>
                  <td colSpan={3}>No location mapped yet: every admission waits in the queue.</td>
                </tr>
              )}
              {queue.data.locations.map((l) => (
                <tr key={l.code}>
                  <th scope="row">{l.code}</th>
                  <td>{l.wardName}</td>
                  <td>{formatDateTime(l.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <form
        className="clinical-form"
        aria-labelledby="map-location-heading"
        onSubmit={submitMap}
        noValidate
      >
        <h3 id="map-location-heading">Map a location</h3>
        <div className="form-row">
          <div className="field">
            <label htmlFor="location-code">Point-of-care code (PV1-3.1)</label>
            <input
              id="location-code"
              value={code}
              aria-describedby="map-location-outcome"
              aria-invalid={(mapped?.ok === false && mapped.field === 'code') || undefined}
              onChange={(e) => setCode(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="location-ward">Ward</label>
            <select id="location-ward" value={wardId} onChange={(e) => setWardId(e.target.value)}>
              {(wards.data ?? []).map((ward) => (
                <option key={ward.id} value={ward.id}>
                  {ward.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit" className="primary" disabled={mapLocation.isPending}>
          Map location
        </button>
        <OutcomeMessage id="map-location-outcome" outcome={mapped} />
      </form>
    </section>
  );
}
