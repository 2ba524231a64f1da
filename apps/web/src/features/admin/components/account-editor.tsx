import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTRPC } from '../../../trpc.ts';
import { accountChanges } from '../admin.utils.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { failure, type Outcome } from './outcome.ts';

export const ROLES = ['nurse', 'therapist', 'physician', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface EditedAccount {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly openSessions: number;
  readonly version: number;
  readonly roles: readonly Role[];
  readonly wardIds: readonly number[];
}

/** One account's roles and wards, and a new password for it; each change checks the version seen. */
export function AccountEditor({
  account,
  wards,
  onChanged,
  onClose,
}: {
  readonly account: EditedAccount;
  readonly wards: readonly { readonly id: number; readonly name: string }[];
  readonly onChanged: () => void;
  readonly onClose: () => void;
}): React.JSX.Element {
  const trpc = useTRPC();
  const setRoles = useMutation(trpc.admin.users.setRoles.mutationOptions());
  const setWards = useMutation(trpc.admin.users.setWards.mutationOptions());
  const resetPassword = useMutation(trpc.admin.users.resetPassword.mutationOptions());
  // The version this editor last saw: each save returns the next one, so two saves in a row agree.
  const [version, setVersion] = useState(account.version);
  const [saved, setSaved] = useState({ roles: account.roles, wardIds: account.wardIds });
  const [roles, setRoleDraft] = useState<Role[]>([...account.roles]);
  const [wardIds, setWardDraft] = useState<number[]>([...account.wardIds]);
  const [password, setPassword] = useState('');
  const [access, setAccess] = useState<Outcome | null>(null);
  const [reset, setReset] = useState<Outcome | null>(null);
  const [confirmingReset, setConfirmingReset] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const id = `account-${account.id}`;

  useEffect(() => {
    heading.current?.focus();
  }, [account.id]);

  async function saveAccess(event: FormEvent): Promise<void> {
    event.preventDefault();
    const rolesChanged = accountChanges(saved.roles, roles);
    const wardsChanged = accountChanges(saved.wardIds, wardIds);
    if (!rolesChanged && !wardsChanged) {
      setAccess({ ok: true, text: 'Nothing changed.' });
      return;
    }
    let current = version;
    let pending = false;
    try {
      if (rolesChanged) {
        const result = await setRoles.mutateAsync({
          userId: account.id,
          expectedVersion: current,
          roles,
        });
        current = result.version;
        setVersion(current);
        if (result.pendingChangeId === null) setSaved((s) => ({ ...s, roles }));
        else pending = true;
      }
      if (wardsChanged) {
        const result = await setWards.mutateAsync({
          userId: account.id,
          expectedVersion: current,
          wardIds,
        });
        current = result.version;
        setVersion(current);
        if (result.pendingChangeId === null) setSaved((s) => ({ ...s, wardIds }));
        else pending = true;
      }
      setAccess({
        ok: true,
        text: pending
          ? `Roles and wards of ${account.username} saved; the new clinical access waits for a second administrator to confirm it.`
          : `Roles and wards of ${account.username} saved${rolesChanged ? '; their sessions ended' : ''}.`,
      });
    } catch (error) {
      setAccess(failure(error));
    } finally {
      onChanged();
    }
  }

  function savePassword(event: FormEvent): void {
    event.preventDefault();
    if (password === '') {
      setReset({
        ok: false,
        text: 'Not saved: password: enter the new password',
        field: 'password',
      });
      return;
    }
    // The server checks the rest (common passwords, the username); the length is told before the
    // confirmation, so nobody is asked to confirm a reset that cannot succeed.
    if ([...password].length < 12) {
      setReset({
        ok: false,
        text: 'Not saved: password: must be at least 12 characters',
        field: 'password',
      });
      return;
    }
    setReset(null);
    setConfirmingReset(true);
  }

  function confirmReset(): void {
    resetPassword.mutate(
      { userId: account.id, expectedVersion: version, password },
      {
        onSuccess: (result) => {
          setVersion(result.version);
          setPassword('');
          setReset({
            ok: true,
            text: `Password of ${account.username} reset; their sessions ended.`,
          });
          onChanged();
        },
        onError: (error) => setReset(failure(error)),
        onSettled: () => setConfirmingReset(false),
      },
    );
  }

  const passwordInvalid = reset?.ok === false && reset.field === 'password';

  return (
    <section aria-labelledby={`${id}-heading`} className="clinical-form">
      <h3 id={`${id}-heading`} ref={heading} tabIndex={-1}>
        Edit account {account.username}
      </h3>
      <form
        aria-label={`Roles and wards of ${account.username}`}
        onSubmit={(event) => void saveAccess(event)}
        noValidate
      >
        <fieldset aria-describedby={`${id}-access`}>
          <legend>Roles</legend>
          {ROLES.map((role) => (
            <label key={role} className="check">
              <input
                type="checkbox"
                checked={roles.includes(role)}
                onChange={(e) =>
                  setRoleDraft(
                    e.target.checked ? [...roles, role] : roles.filter((r) => r !== role),
                  )
                }
              />
              {role}
            </label>
          ))}
        </fieldset>
        <fieldset aria-describedby={`${id}-access`}>
          <legend>Wards</legend>
          {wards.map((ward) => (
            <label key={ward.id} className="check">
              <input
                type="checkbox"
                checked={wardIds.includes(ward.id)}
                onChange={(e) =>
                  setWardDraft(
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
          disabled={setRoles.isPending || setWards.isPending}
        >
          Save roles and wards
        </button>
        <div id={`${id}-access`}>
          <div role="status">{access?.ok && <p className="success">{access.text}</p>}</div>
          {access && !access.ok && (
            <p role="alert" className="error">
              {access.text}
            </p>
          )}
        </div>
      </form>
      <form aria-label={`New password for ${account.username}`} onSubmit={savePassword} noValidate>
        <div className="form-row">
          <div className="field">
            <label htmlFor={`${id}-password`}>New password (12 characters or more)</label>
            <input
              id={`${id}-password`}
              type="password"
              autoComplete="new-password"
              value={password}
              aria-invalid={passwordInvalid || undefined}
              aria-describedby={`${id}-reset`}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
        </div>
        <button type="submit" disabled={resetPassword.isPending}>
          Reset password
        </button>
        <div id={`${id}-reset`}>
          <div role="status">{reset?.ok && <p className="success">{reset.text}</p>}</div>
          {reset && !reset.ok && (
            <p role="alert" className="error">
              {reset.text}
            </p>
          )}
        </div>
      </form>
      {confirmingReset && (
        <ConfirmDialog
          title={`Reset the password of ${account.displayName} (${account.username})?`}
          confirmLabel={`Reset the password of ${account.username}`}
          busy={resetPassword.isPending}
          onConfirm={confirmReset}
          onCancel={() => setConfirmingReset(false)}
        >
          <p>
            Their current password stops working at once and they are signed out
            {account.openSessions > 0
              ? ` (${account.openSessions} open ${account.openSessions === 1 ? 'session ends' : 'sessions end'})`
              : ''}
            . Give them the new password in person or by a channel your hospital trusts.
          </p>
        </ConfirmDialog>
      )}
      <button type="button" onClick={onClose} style={{ marginTop: '0.5rem' }}>
        Close editor
      </button>
    </section>
  );
}
