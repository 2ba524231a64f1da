import { useQuery } from '@tanstack/react-query';
import { useTRPC } from './trpc.ts';

export function App(): React.JSX.Element {
  const trpc = useTRPC();
  const wards = useQuery(trpc.ward.list.queryOptions());
  return (
    <main>
      <h1>OssiWatch</h1>
      <section aria-labelledby="wards-heading">
        <h2 id="wards-heading">Wards</h2>
        {wards.isPending && <p role="status">Loading wards…</p>}
        {wards.isError && <p role="alert">The wards could not be loaded: {wards.error.message}</p>}
        {wards.data && (
          <ul aria-label="Wards">
            {wards.data.map((ward) => (
              <li key={ward.id}>
                {ward.name} <span>({ward.beds} beds)</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
