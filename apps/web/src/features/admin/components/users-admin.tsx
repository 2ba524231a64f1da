import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ScrollRegion } from '../../../components/scroll-region.tsx';
import { useDeferredValue, useState, type FormEvent } from 'react';
import { useTRPC } from '../../../trpc.ts';
import { problemText } from '../../clinical/components/form-parts.tsx';
import { matchCountText, searchAccounts } from '../account-search.ts';
import { AccountEditor, ROLES, type Role } from './account-editor.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { ReviewQueue } from './review-queue.tsx';

/**
 * Accounts, their roles and wards: search them; create, disable (after a confirmation) and enable;
 * edit roles, wards and password.
 */
export function UsersAdmin(): React.JSX.Element {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.admin.users.list.queryOptions());
  const wards = useQuery(trpc.admin.wards.list.queryOptions());
  const disable = useMutation(trpc.admin.users.disable.mutationOptions());
  const enable = useMutation(trpc.admin.users.enable.mutationOptions());
  const create = useMutation(trpc.admin.users.create.mutationOptions());
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [draft, setDraft] = useState({ username: '', displayName: '', password: '' });
  const [roles, setRoles] = useState<Role[]>([]);
  const [wardIds, setWardIds] = useState<number[]>([]);
  const [editingId, setEditingId] = useState<number | null>(null);
  const [query, setQuery] = useState('');
  const [disabling, setDisabling] = useState<number | null>(null);
  // After a confirmed disable the row's button becomes Enable: focus goes there, not to the page top.
  const [focusEnable, setFocusEnable] = useState<number | null>(null);
  const editing = users.data?.find((user) => user.id === editingId);
  const toDisable = users.data?.find((user) => user.id === disabling);
  const wardName = new Map((wards.data ?? []).map((w) => [w.id, w.name]));
  const nameOfWard = (id: number): string => wardName.get(id) ?? `ward ${id}`;
  // Typing stays quick with hundreds of rows: the table follows a keystroke behind if it must.
  const searched = useDeferredValue(query);
  const shown = users.data ? searchAccounts(users.data, searched, nameOfWard) : [];

  const done = (text: string) => () => {
    setMessage({ ok: true, text });
    void queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
  };
  const failed = (error: unknown): void => setMessage({ ok: false, text: problemText(error) });
  const refreshUsers = (): void =>
    void queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });

  function submit(event: FormEvent): void {
    event.preventDefault();
    create.mutate(
      { ...draft, roles, wardIds },
      {
        onSuccess: (result) => {
          done(
            result.pendingChangeId === null
              ? `Account ${draft.username} created.`
              : `Account ${draft.username} created; its clinical roles and wards wait for a second administrator to confirm them.`,
          )();
          void queryClient.invalidateQueries({ queryKey: trpc.admin.changes.list.queryKey() });
          setDraft({ username: '', displayName: '', password: '' });
          setRoles([]);
          setWardIds([]);
        },
        onError: failed,
      },
    );
  }

  function confirmDisable(): void {
    if (!toDisable) return;
    disable.mutate(
      { userId: toDisable.id, expectedVersion: toDisable.version },
      {
        onSuccess: () => {
          setFocusEnable(toDisable.id);
          done(`${toDisable.username} disabled; their sessions ended.`)();
        },
        onError: failed,
        onSettled: () => setDisabling(null),
      },
    );
  }

  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">Users and roles</h2>
      <div role="status">{message?.ok && <p className="success">{message.text}</p>}</div>
      {message && !message.ok && (
        <p role="alert" className="error">
          {message.text}
        </p>
      )}
      <ReviewQueue onChanged={refreshUsers} />
      {users.isError && <p role="alert">{users.error.message}</p>}
      {users.data && (
        <div className="account-search" role="search" aria-label="Accounts">
          <div className="field">
            <label htmlFor="account-search">Find an account</label>
            <input
              id="account-search"
              type="search"
              autoComplete="off"
              aria-describedby="account-search-hint account-match-count"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape' && query !== '') {
                  e.preventDefault();
                  setQuery('');
                }
              }}
            />
            <span id="account-search-hint" className="muted">
              Part of a name, username, role or ward; every word must match. Escape clears.
            </span>
          </div>
        </div>
      )}
      {users.data && (
        <p id="account-match-count" className="match-count" role="status">
          {matchCountText(shown.length, users.data.length, searched)}
        </p>
      )}
      {users.data && shown.length > 0 && (
        <ScrollRegion label="Accounts (scrolls sideways)">
          <table>
            <caption>Accounts</caption>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Roles</th>
                <th scope="col">Wards</th>
                <th scope="col">State</th>
                <th scope="col">Open sessions</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((user) => (
                <tr key={user.id}>
                  <th scope="row">{user.username}</th>
                  <td>{user.displayName}</td>
                  <td>{user.roles.join(', ') || <span className="muted">none</span>}</td>
                  <td>
                    {user.wardIds.map(nameOfWard).join(', ') || <span className="muted">none</span>}
                  </td>
                  <td>{user.disabled ? 'disabled' : 'active'}</td>
                  <td>{user.openSessions}</td>
                  <td className="actions">
                    <button
                      type="button"
                      aria-expanded={editingId === user.id}
                      onClick={() => setEditingId(editingId === user.id ? null : user.id)}
                    >
                      Edit<span className="visually-hidden"> {user.username}</span>
                    </button>{' '}
                    {user.disabled ? (
                      <button
                        type="button"
                        ref={(button) => {
                          if (button && focusEnable === user.id) {
                            button.focus();
                            setFocusEnable(null);
                          }
                        }}
                        onClick={() =>
                          enable.mutate(
                            { userId: user.id, expectedVersion: user.version },
                            { onSuccess: done(`${user.username} enabled.`), onError: failed },
                          )
                        }
                      >
                        Enable<span className="visually-hidden"> {user.username}</span>
                      </button>
                    ) : (
                      <button
                        type="button"
                        aria-haspopup="dialog"
                        onClick={() => setDisabling(user.id)}
                      >
                        Disable<span className="visually-hidden"> {user.username}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {toDisable && (
        <ConfirmDialog
          title={`Disable ${toDisable.displayName} (${toDisable.username})?`}
          confirmLabel={`Disable ${toDisable.username}`}
          busy={disable.isPending}
          onConfirm={confirmDisable}
          onCancel={() => setDisabling(null)}
        >
          <p>
            {toDisable.displayName} will be signed out at once
            {toDisable.openSessions > 0
              ? ` (${toDisable.openSessions} open ${toDisable.openSessions === 1 ? 'session ends' : 'sessions end'})`
              : ''}{' '}
            and cannot sign in until an administrator enables the account again. Their records and
            the audit trail stay as they are.
          </p>
        </ConfirmDialog>
      )}
      {editing && (
        <AccountEditor
          key={editing.id}
          account={editing}
          wards={wards.data ?? []}
          onChanged={refreshUsers}
          onClose={() => setEditingId(null)}
        />
      )}
      <form
        className="clinical-form"
        aria-labelledby="new-user-heading"
        onSubmit={submit}
        noValidate
      >
        <h3 id="new-user-heading">New account</h3>
        <div className="form-row">
          <div className="field">
            <label htmlFor="new-username">New username</label>
            <input
              id="new-username"
              autoComplete="off"
              value={draft.username}
              onChange={(e) => setDraft({ ...draft, username: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="new-display-name">Full name</label>
            <input
              id="new-display-name"
              value={draft.displayName}
              onChange={(e) => setDraft({ ...draft, displayName: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="new-password">Initial password (12 characters or more)</label>
            <input
              id="new-password"
              type="password"
              autoComplete="new-password"
              value={draft.password}
              onChange={(e) => setDraft({ ...draft, password: e.target.value })}
            />
          </div>
        </div>
        <fieldset>
          <legend>Roles</legend>
          {ROLES.map((role) => (
            <label key={role} className="check">
              <input
                type="checkbox"
                checked={roles.includes(role)}
                onChange={(e) =>
                  setRoles(e.target.checked ? [...roles, role] : roles.filter((r) => r !== role))
                }
              />
              {role}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Wards</legend>
          {(wards.data ?? []).map((ward) => (
            <label key={ward.id} className="check">
              <input
                type="checkbox"
                checked={wardIds.includes(ward.id)}
                onChange={(e) =>
                  setWardIds(
                    e.target.checked ? [...wardIds, ward.id] : wardIds.filter((w) => w !== ward.id),
                  )
                }
              />
              {ward.name}
            </label>
          ))}
        </fieldset>
        <button
          type="submit"
          className="primary"
          disabled={create.isPending}
          style={{ marginTop: '0.5rem' }}
        >
          Create account
        </button>
      </form>
    </section>
  );
}
