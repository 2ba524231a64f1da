import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { formatDateTime } from '../../../lib/format.ts';
import { humanise } from '../../../lib/labels.ts';
import { useTRPC } from '../../../trpc.ts';
import { problemText } from '../../clinical/components/form-parts.tsx';

/** The HO watch thresholds: the numbers can be changed here (each change audited and versioned). */
export function SettingsAdmin(): React.JSX.Element {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.admin.settings.get.queryOptions());
  const update = useMutation(trpc.admin.settings.update.mutationOptions());
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  if (settings.isError) return <p role="alert">{settings.error.message}</p>;
  if (!settings.data) return <p role="status">Loading settings…</p>;
  const current = settings.data.settings as unknown as Record<string, unknown>;
  const defaults = settings.data.defaults as unknown as Record<string, unknown>;
  const numeric = Object.entries(current).filter(([, value]) => typeof value === 'number');

  function submit(event: FormEvent): void {
    event.preventDefault();
    const next: Record<string, unknown> = { ...current };
    for (const [key, text] of Object.entries(edits)) {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value)) {
        setMessage({ ok: false, text: `${humanise(key)}: enter a number` });
        return;
      }
      next[key] = value;
    }
    update.mutate(
      { expectedVersion: settings.data?.version ?? 0, settings: next },
      {
        onSuccess: () => {
          setEdits({});
          setMessage({ ok: true, text: 'Settings saved; every patient is reassessed under them.' });
          void queryClient.invalidateQueries({ queryKey: trpc.admin.settings.get.queryKey() });
        },
        onError: (error) => setMessage({ ok: false, text: problemText(error) }),
      },
    );
  }

  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">HO watch settings</h2>
      <p className="muted">
        Version {settings.data.version}
        {settings.data.updatedAt
          ? `, changed ${formatDateTime(settings.data.updatedAt)}`
          : ' (defaults)'}
        . Every threshold and its source is listed in docs/clinical-rules.md.
      </p>
      <form onSubmit={submit} aria-labelledby="settings-heading" noValidate>
        <table>
          <caption>Thresholds</caption>
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">Value</th>
              <th scope="col">Default</th>
            </tr>
          </thead>
          <tbody>
            {numeric.map(([key, value]) => (
              <tr key={key}>
                <th scope="row">
                  <label htmlFor={`setting-${key}`}>
                    {humanise(key.replace(/([A-Z])/g, '_$1').toLowerCase())}
                  </label>
                </th>
                <td>
                  <input
                    id={`setting-${key}`}
                    inputMode="decimal"
                    value={edits[key] ?? String(value)}
                    onChange={(e) => setEdits({ ...edits, [key]: e.target.value })}
                    style={{ width: '7rem' }}
                  />
                </td>
                <td>{typeof defaults[key] === 'number' ? defaults[key] : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button
          type="submit"
          className="primary"
          disabled={update.isPending || Object.keys(edits).length === 0}
        >
          Save settings
        </button>
        <div role="status">{message?.ok && <p className="success">{message.text}</p>}</div>
        {message && !message.ok && (
          <p role="alert" className="error">
            {message.text}
          </p>
        )}
      </form>
      <h3>History</h3>
      {settings.data.history.length === 0 ? (
        <p>No change yet: the defaults are in force.</p>
      ) : (
        <table>
          <caption>Earlier versions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Changed</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {settings.data.history.map((entry) => (
              <tr key={entry.version}>
                <th scope="row">{entry.version}</th>
                <td>{formatDateTime(entry.changedAt)}</td>
                <td>{entry.changedBy ?? 'unknown'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
