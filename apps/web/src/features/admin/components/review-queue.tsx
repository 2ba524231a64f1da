import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime } from '../../../lib/format.ts';
import { useTRPC } from '../../../trpc.ts';
import { failure, type Outcome } from './outcome.ts';

/**
 * What waits for a second administrator: grants of clinical access (a clinical role or a ward) asked
 * for by another administrator, to confirm or reject; and emergency accesses with their reasons, to
 * mark reviewed. The server refuses an administrator's own requests and grants; the screen says so
 * instead of offering the buttons.
 */
export function ReviewQueue({ onChanged }: { onChanged: () => void }): React.JSX.Element {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const changes = useQuery(trpc.admin.changes.list.queryOptions());
  const grants = useQuery(trpc.access.emergencyList.queryOptions({ unreviewed: true, limit: 200 }));
  const wards = useQuery(trpc.admin.wards.list.queryOptions());
  const me = useQuery(trpc.auth.me.queryOptions());
  const confirm = useMutation(trpc.admin.changes.confirm.mutationOptions());
  const reject = useMutation(trpc.admin.changes.reject.mutationOptions());
  const review = useMutation(trpc.access.emergencyReview.mutationOptions());
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const wardName = new Map((wards.data ?? []).map((w) => [w.id, w.name]));
  const wardList = (ids: readonly number[]): string =>
    ids.map((id) => wardName.get(id) ?? `ward ${id}`).join(', ') || 'none';

  const settle = (text: string) => ({
    onSuccess: () => {
      setOutcome({ ok: true, text });
      void queryClient.invalidateQueries({ queryKey: trpc.admin.changes.list.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.access.emergencyList.queryKey() });
      onChanged();
    },
    onError: (error: unknown) => setOutcome(failure(error)),
  });

  return (
    <section aria-labelledby="review-heading">
      <h3 id="review-heading">Waiting for a second administrator</h3>
      <div role="status">{outcome?.ok && <p className="success">{outcome.text}</p>}</div>
      {outcome && !outcome.ok && (
        <p role="alert" className="error">
          {outcome.text}
        </p>
      )}
      {changes.isError && <p role="alert">{changes.error.message}</p>}
      {changes.data && changes.data.length === 0 && <p>No access changes are waiting.</p>}
      {changes.data && changes.data.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption>Access changes to confirm</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Now</th>
                <th scope="col">Asked for</th>
                <th scope="col">Asked by</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {changes.data.map((change) => (
                <tr key={change.id}>
                  <th scope="row">{change.username}</th>
                  <td>
                    Roles: {change.current.roles.join(', ') || 'none'}; wards:{' '}
                    {wardList(change.current.wardIds)}
                  </td>
                  <td>
                    {change.requested.roles && (
                      <>Roles: {change.requested.roles.join(', ') || 'none'}. </>
                    )}
                    {change.requested.wardIds && <>Wards: {wardList(change.requested.wardIds)}.</>}
                  </td>
                  <td>
                    {change.requestedBy}, {formatDateTime(change.requestedAt)}
                  </td>
                  <td>
                    {change.requestedByYou ? (
                      <span className="muted">Asked by you: another administrator decides.</span>
                    ) : null}
                    {!change.requestedByYou && change.userId !== me.data?.id && (
                      <button
                        type="button"
                        className="primary"
                        aria-label={`Confirm the change for ${change.username}`}
                        disabled={confirm.isPending}
                        onClick={() =>
                          confirm.mutate(
                            { changeId: change.id },
                            settle(`Change for ${change.username} confirmed.`),
                          )
                        }
                      >
                        Confirm
                      </button>
                    )}{' '}
                    <button
                      type="button"
                      aria-label={`Reject the change for ${change.username}`}
                      disabled={reject.isPending}
                      onClick={() =>
                        reject.mutate(
                          { changeId: change.id },
                          settle(`Change for ${change.username} rejected.`),
                        )
                      }
                    >
                      Reject
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {grants.isError && <p role="alert">{grants.error.message}</p>}
      {grants.data && grants.data.grants.length === 0 && (
        <p>No emergency access is waiting for review.</p>
      )}
      {grants.data && grants.data.grants.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption>Emergency access to review</caption>
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">Patient</th>
                <th scope="col">Reason</th>
                <th scope="col">Granted</th>
                <th scope="col">Review</th>
              </tr>
            </thead>
            <tbody>
              {grants.data.grants.map((grant) => (
                <tr key={grant.id}>
                  <th scope="row">{grant.username}</th>
                  <td>{grant.patientId}</td>
                  <td>{grant.reason}</td>
                  <td>
                    {formatDateTime(grant.grantedAt)}
                    {grant.active ? ' (still open)' : ''}
                  </td>
                  <td>
                    {grant.userId === me.data?.id ? (
                      <span className="muted">Your own: another administrator reviews it.</span>
                    ) : (
                      <button
                        type="button"
                        aria-label={`Mark the emergency access of ${grant.username} reviewed`}
                        disabled={review.isPending}
                        onClick={() =>
                          review.mutate(
                            { grantId: grant.id },
                            settle(`Emergency access of ${grant.username} marked reviewed.`),
                          )
                        }
                      >
                        Mark reviewed
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
