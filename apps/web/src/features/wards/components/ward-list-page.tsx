import { useQuery } from '@tanstack/react-query';
import { Link } from '../../../lib/router.tsx';
import { useTRPC } from '../../../trpc.ts';

/** The wards this user may see: the start page of every clinician. */
export function WardListPage(): React.JSX.Element {
  const trpc = useTRPC();
  const wards = useQuery(trpc.ward.list.queryOptions());
  return (
    <main id="main">
      <h1>Wards</h1>
      {wards.isPending && <p role="status">Loading wards…</p>}
      {wards.isError && <p role="alert">The wards could not be loaded: {wards.error.message}</p>}
      {wards.data && wards.data.length === 0 && (
        <p>You are not assigned to any ward yet. Ask an administrator to add you to a ward.</p>
      )}
      {wards.data && wards.data.length > 0 && (
        <ul aria-label="Wards" className="ward-list">
          {wards.data.map((ward) => (
            <li key={ward.id}>
              <Link href={`/wards/${ward.id}`}>{ward.name}</Link>{' '}
              <span className="muted">({ward.beds} beds)</span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
