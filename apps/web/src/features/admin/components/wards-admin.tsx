import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../../trpc.ts';
import { problemText } from '../../clinical/components/form-parts.tsx';

/** Wards with their beds (occupied, free, out of use); add a bed. */
export function WardsAdmin(): React.JSX.Element {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const wards = useQuery(trpc.admin.wards.list.queryOptions());
  const addBed = useMutation(trpc.admin.beds.add.mutationOptions());
  const [wardId, setWardId] = useState('');
  const [label, setLabel] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  function submit(event: FormEvent): void {
    event.preventDefault();
    const id = Number(wardId || wards.data?.[0]?.id);
    addBed.mutate(
      { wardId: id, label },
      {
        onSuccess: () => {
          setMessage({ ok: true, text: `Bed ${label} added.` });
          setLabel('');
          void queryClient.invalidateQueries({ queryKey: trpc.admin.wards.list.queryKey() });
        },
        onError: (error) => setMessage({ ok: false, text: problemText(error) }),
      },
    );
  }

  return (
    <section aria-labelledby="wards-admin-heading">
      <h2 id="wards-admin-heading">Wards and beds</h2>
      {wards.isError && <p role="alert">{wards.error.message}</p>}
      {wards.data && (
        <table>
          <caption>Wards</caption>
          <thead>
            <tr>
              <th scope="col">Ward</th>
              <th scope="col">Time zone</th>
              <th scope="col" className="num">
                Beds in use
              </th>
              <th scope="col" className="num">
                Occupied
              </th>
              <th scope="col">Beds</th>
            </tr>
          </thead>
          <tbody>
            {wards.data.map((ward) => (
              <tr key={ward.id}>
                <th scope="row">{ward.name}</th>
                <td>{ward.timeZone}</td>
                <td className="num">{ward.beds.filter((b) => b.active).length}</td>
                <td className="num">{ward.beds.filter((b) => b.occupied).length}</td>
                <td>
                  {ward.beds
                    .map(
                      (b) => `${b.label}${b.active ? '' : ' (out of use)'}${b.occupied ? '*' : ''}`,
                    )
                    .join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted">* occupied</p>
      <form
        className="clinical-form"
        aria-labelledby="add-bed-heading"
        onSubmit={submit}
        noValidate
      >
        <h3 id="add-bed-heading">Add a bed</h3>
        <div className="form-row">
          <div className="field">
            <label htmlFor="bed-ward">Ward</label>
            <select id="bed-ward" value={wardId} onChange={(e) => setWardId(e.target.value)}>
              {(wards.data ?? []).map((ward) => (
                <option key={ward.id} value={ward.id}>
                  {ward.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="bed-label">Bed label</label>
            <input id="bed-label" value={label} onChange={(e) => setLabel(e.target.value)} />
          </div>
        </div>
        <button type="submit" className="primary" disabled={addBed.isPending}>
          Add bed
        </button>
        <div role="status">{message?.ok && <p className="success">{message.text}</p>}</div>
        {message && !message.ok && (
          <p role="alert" className="error">
            {message.text}
          </p>
        )}
      </form>
    </section>
  );
}
