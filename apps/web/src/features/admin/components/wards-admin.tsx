import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ScrollRegion } from '../../../components/scroll-region.tsx';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../../trpc.ts';
import { parseBedLabels } from '../admin.utils.ts';
import { failure, type Outcome } from './outcome.ts';

export function OutcomeMessage({
  id,
  outcome,
}: {
  readonly id: string;
  readonly outcome: Outcome | null;
}): React.JSX.Element {
  return (
    <div id={id}>
      <div role="status">{outcome?.ok && <p className="success">{outcome.text}</p>}</div>
      {outcome && !outcome.ok && (
        <p role="alert" className="error">
          {outcome.text}
        </p>
      )}
    </div>
  );
}

/** Wards with their beds (occupied, free, out of use); create and rename a ward; add a bed, take one out of use. */
export function WardsAdmin(): React.JSX.Element {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const wards = useQuery(trpc.admin.wards.list.queryOptions());
  const addBed = useMutation(trpc.admin.beds.add.mutationOptions());
  const [wardId, setWardId] = useState('');
  const [label, setLabel] = useState('');
  const [message, setMessage] = useState<Outcome | null>(null);
  const createWard = useMutation(trpc.admin.wards.create.mutationOptions());
  const renameWard = useMutation(trpc.admin.wards.rename.mutationOptions());
  const deactivateBed = useMutation(trpc.admin.beds.deactivate.mutationOptions());
  const [newWard, setNewWard] = useState({ name: '', timeZone: 'Europe/London', beds: '' });
  const [created, setCreated] = useState<Outcome | null>(null);
  const [renameId, setRenameId] = useState('');
  const [newName, setNewName] = useState('');
  const [renamed, setRenamed] = useState<Outcome | null>(null);
  const [bedId, setBedId] = useState('');
  const [deactivated, setDeactivated] = useState<Outcome | null>(null);
  const refreshWards = (): void =>
    void queryClient.invalidateQueries({ queryKey: trpc.admin.wards.list.queryKey() });
  const activeBeds = (wards.data ?? []).flatMap((ward) =>
    ward.beds.filter((bed) => bed.active).map((bed) => ({ ...bed, ward: ward.name })),
  );

  function submitWard(event: FormEvent): void {
    event.preventDefault();
    const name = newWard.name.trim();
    if (name === '') {
      setCreated({ ok: false, text: 'Not saved: name: enter the ward name', field: 'name' });
      return;
    }
    createWard.mutate(
      { name, timeZone: newWard.timeZone.trim(), bedLabels: parseBedLabels(newWard.beds) },
      {
        onSuccess: () => {
          setCreated({ ok: true, text: `Ward ${name} created.` });
          setNewWard({ name: '', timeZone: 'Europe/London', beds: '' });
          refreshWards();
        },
        onError: (error) => setCreated(failure(error)),
      },
    );
  }

  function submitRename(event: FormEvent): void {
    event.preventDefault();
    const ward = wards.data?.find((w) => String(w.id) === renameId) ?? wards.data?.[0];
    if (!ward) return;
    const name = newName.trim();
    if (name === '') {
      setRenamed({ ok: false, text: 'Not saved: name: enter the new name', field: 'name' });
      return;
    }
    renameWard.mutate(
      { wardId: ward.id, expectedVersion: ward.version, name },
      {
        onSuccess: () => {
          setRenamed({ ok: true, text: `Ward ${ward.name} renamed ${name}.` });
          setNewName('');
          refreshWards();
        },
        onError: (error) => setRenamed(failure(error)),
      },
    );
  }

  function submitDeactivate(event: FormEvent): void {
    event.preventDefault();
    const bed = activeBeds.find((b) => String(b.id) === bedId) ?? activeBeds[0];
    if (!bed) return;
    deactivateBed.mutate(
      { bedId: bed.id },
      {
        onSuccess: () => {
          setDeactivated({ ok: true, text: `Bed ${bed.label} of ${bed.ward} taken out of use.` });
          setBedId('');
          refreshWards();
        },
        onError: (error) => setDeactivated(failure(error)),
      },
    );
  }

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
        onError: (error) => setMessage(failure(error)),
      },
    );
  }

  return (
    <section aria-labelledby="wards-admin-heading">
      <h2 id="wards-admin-heading">Wards and beds</h2>
      {wards.isError && <p role="alert">{wards.error.message}</p>}
      {wards.data && (
        <ScrollRegion label="Wards (scrolls sideways)">
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
                        (b) =>
                          `${b.label}${b.active ? '' : ' (out of use)'}${b.occupied ? '*' : ''}`,
                      )
                      .join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
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
            <input
              id="bed-label"
              value={label}
              aria-describedby="add-bed-outcome"
              aria-invalid={(message?.ok === false && message.field === 'label') || undefined}
              onChange={(e) => setLabel(e.target.value)}
            />
          </div>
        </div>
        <button type="submit" className="primary" disabled={addBed.isPending}>
          Add bed
        </button>
        <OutcomeMessage id="add-bed-outcome" outcome={message} />
      </form>
      <form
        className="clinical-form"
        aria-labelledby="deactivate-bed-heading"
        onSubmit={submitDeactivate}
        noValidate
      >
        <h3 id="deactivate-bed-heading">Take a bed out of use</h3>
        <div className="form-row">
          <div className="field">
            <label htmlFor="deactivate-bed">Bed in use</label>
            <select
              id="deactivate-bed"
              value={bedId}
              aria-describedby="deactivate-bed-outcome"
              aria-invalid={
                (deactivated?.ok === false && deactivated.field === 'bedId') || undefined
              }
              onChange={(e) => setBedId(e.target.value)}
            >
              {activeBeds.map((bed) => (
                <option key={bed.id} value={bed.id}>
                  {bed.ward}, bed {bed.label}
                  {bed.occupied ? ' (occupied)' : ''}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit" disabled={deactivateBed.isPending || activeBeds.length === 0}>
          Take out of use
        </button>
        <OutcomeMessage id="deactivate-bed-outcome" outcome={deactivated} />
      </form>
      <form
        className="clinical-form"
        aria-labelledby="new-ward-heading"
        onSubmit={submitWard}
        noValidate
      >
        <h3 id="new-ward-heading">New ward</h3>
        <div className="form-row">
          <div className="field">
            <label htmlFor="new-ward-name">Ward name</label>
            <input
              id="new-ward-name"
              value={newWard.name}
              aria-describedby="new-ward-outcome"
              aria-invalid={(created?.ok === false && created.field === 'name') || undefined}
              onChange={(e) => setNewWard({ ...newWard, name: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="new-ward-zone">Time zone (IANA, e.g. Europe/London)</label>
            <input
              id="new-ward-zone"
              value={newWard.timeZone}
              aria-describedby="new-ward-outcome"
              aria-invalid={(created?.ok === false && created.field === 'timeZone') || undefined}
              onChange={(e) => setNewWard({ ...newWard, timeZone: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="new-ward-beds">Bed labels (comma-separated, optional)</label>
            <input
              id="new-ward-beds"
              value={newWard.beds}
              aria-describedby="new-ward-outcome"
              aria-invalid={
                (created?.ok === false && created.field?.startsWith('bedLabels')) || undefined
              }
              onChange={(e) => setNewWard({ ...newWard, beds: e.target.value })}
            />
          </div>
        </div>
        <button type="submit" className="primary" disabled={createWard.isPending}>
          Create ward
        </button>
        <OutcomeMessage id="new-ward-outcome" outcome={created} />
      </form>
      <form
        className="clinical-form"
        aria-labelledby="rename-ward-heading"
        onSubmit={submitRename}
        noValidate
      >
        <h3 id="rename-ward-heading">Rename a ward</h3>
        <div className="form-row">
          <div className="field">
            <label htmlFor="rename-ward">Ward to rename</label>
            <select id="rename-ward" value={renameId} onChange={(e) => setRenameId(e.target.value)}>
              {(wards.data ?? []).map((ward) => (
                <option key={ward.id} value={ward.id}>
                  {ward.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="rename-ward-name">New name</label>
            <input
              id="rename-ward-name"
              value={newName}
              aria-describedby="rename-ward-outcome"
              aria-invalid={(renamed?.ok === false && renamed.field === 'name') || undefined}
              onChange={(e) => setNewName(e.target.value)}
            />
          </div>
        </div>
        <button type="submit" disabled={renameWard.isPending}>
          Rename ward
        </button>
        <OutcomeMessage id="rename-ward-outcome" outcome={renamed} />
      </form>
    </section>
  );
}
