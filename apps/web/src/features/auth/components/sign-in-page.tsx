import { useMutation, useQueryClient } from '@tanstack/react-query';
import { markSignedIn } from '../../wards/landing.ts';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { errorCode, useTRPC } from '../../../trpc.ts';
import { focusUsernameOnArrival } from '../focus.utils.ts';
import { SESSION_END_MESSAGES, type SessionEndReason } from '../session-events.ts';

function loginFailure(error: unknown, fallback: string): string {
  switch (errorCode(error)) {
    case 'UNAUTHORIZED':
      return 'The username or password is not right. Check both and try again.';
    case 'TOO_MANY_REQUESTS':
      return 'Too many attempts to sign in. Wait a few minutes before trying again.';
    case 'FORBIDDEN':
      return 'This account may not sign in. Ask an administrator.';
    default:
      return `Signing in failed: ${fallback}`;
  }
}

export function SignInPage({ reason }: { reason: SessionEndReason | null }): React.JSX.Element {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation(trpc.auth.login.mutationOptions());
  const errorId = useId();
  const noticeId = useId();
  const usernameField = useRef<HTMLInputElement>(null);
  const showNotice = reason !== null && !login.isError;

  useEffect(() => {
    if (focusUsernameOnArrival(reason)) usernameField.current?.focus();
  }, [reason]);

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    login.mutate(
      { username: username.trim(), password },
      {
        onSuccess: () => {
          markSignedIn();
          setPassword('');
          void queryClient.resetQueries();
        },
      },
    );
  }

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to OssiWatch</h1>
      {/* The page and its status message arrive together, and a live region that appears with its
          text already in it is not reliably spoken; the message also describes the Username field,
          which takes focus, so it is read out as the user lands there. */}
      {showNotice && (
        <p id={noticeId} role="status" className="notice">
          {SESSION_END_MESSAGES[reason]}
        </p>
      )}
      <form onSubmit={submit} aria-describedby={login.isError ? errorId : undefined} noValidate>
        <div className="field">
          <label htmlFor="username">Username</label>
          <input
            ref={usernameField}
            id="username"
            name="username"
            aria-describedby={showNotice ? noticeId : undefined}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        {login.isError && (
          <p id={errorId} role="alert" className="error">
            {loginFailure(login.error, login.error.message)}
          </p>
        )}
        <button type="submit" className="primary" disabled={login.isPending}>
          Sign in
        </button>
      </form>
    </main>
  );
}
