import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime } from '../../../lib/format.ts';
import { useTRPC } from '../../../trpc.ts';
import { failure, type Outcome } from './outcome.ts';
import { OutcomeMessage } from './wards-admin.tsx';

const SCOPE_TEXT: Record<string, string> = {
  'fhir:read': 'FHIR read, with identities',
  'fhir:read:no-identities': 'FHIR read, no identities',
};

/**
 * System tokens (PRODUCT §11): which other systems may read the FHIR API, on which wards, when each
 * last called; revoking one takes effect on its next call. Tokens are issued on the server's command
 * line only (features/tokens/router.ts says why), so the screen says how.
 */
export function SystemTokensAdmin(): React.JSX.Element {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.tokens.list.queryOptions());
  const wards = useQuery(trpc.admin.wards.list.queryOptions());
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions());
  const [confirming, setConfirming] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const wardNames = (ids: readonly number[] | null): string =>
    ids === null
      ? 'Every ward'
      : ids
          .map((id) => wards.data?.find((ward) => ward.id === id)?.name ?? `ward ${id}`)
          .join(', ');

  function onRevoke(tokenId: number, name: string): void {
    revoke.mutate(
      { tokenId },
      {
        onSuccess: () => {
          setOutcome({ ok: true, text: `Token "${name}" revoked: its next call is refused.` });
          setConfirming(null);
          void queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
        },
        onError: (error) => setOutcome(failure(error)),
      },
    );
  }

  return (
    <section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">System tokens</h2>
      <p>
        Other systems read the FHIR API (<code>/fhir/R4</code>) with a token. Issue one on the
        server, where it is printed once:{' '}
        <code>pnpm ossiwatch token:create --name NAME --scope fhir:read [--ward ID]…</code> (
        <code>--scope fhir:read:no-identities</code> for a system that needs no names, MRNs or birth
        dates; no <code>--ward</code>: every ward).
      </p>
      {tokens.isError && <p role="alert">{tokens.error.message}</p>}
      {tokens.data && (
        <table>
          <caption>System tokens ({tokens.data.length})</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scope</th>
              <th scope="col">Wards</th>
              <th scope="col">Issued</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.length === 0 && (
              <tr>
                <td colSpan={6}>No tokens issued: only people with a session can call.</td>
              </tr>
            )}
            {tokens.data.map((token) => (
              <tr key={token.id}>
                <th scope="row">
                  {token.name} <span className="muted">#{token.id}</span>
                </th>
                <td>{token.scopes.map((scope) => SCOPE_TEXT[scope] ?? scope).join('; ')}</td>
                <td>{wardNames(token.wardIds)}</td>
                <td>
                  {formatDateTime(token.createdAt)} by {token.createdBy}
                </td>
                <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'Never'}</td>
                <td>
                  {token.revokedAt ? (
                    `Revoked ${formatDateTime(token.revokedAt)} by ${token.revokedBy ?? ''}`
                  ) : confirming === token.id ? (
                    <>
                      <button
                        type="button"
                        // The Revoke button it replaces is gone: keep the keyboard here.
                        ref={(button) => button?.focus()}
                        onClick={() => onRevoke(token.id, token.name)}
                        disabled={revoke.isPending}
                      >
                        Revoke {token.name} now
                      </button>{' '}
                      <button type="button" onClick={() => setConfirming(null)}>
                        Keep it
                      </button>
                    </>
                  ) : (
                    <>
                      Active{' '}
                      <button
                        type="button"
                        onClick={() => setConfirming(token.id)}
                        aria-label={`Revoke token ${token.name}`}
                      >
                        Revoke
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <OutcomeMessage id="tokens-outcome" outcome={outcome} />
    </section>
  );
}
