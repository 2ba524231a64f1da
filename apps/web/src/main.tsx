import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { startFirstQueries } from './first-queries.ts';
import { TRPCProvider, makeQueryClient, makeTrpcClient } from './trpc.ts';
import './styles.css';

const queryClient = makeQueryClient();
const trpcClient = makeTrpcClient();
// Before the first render: the session and the board are asked for in parallel, not in turn.
startFirstQueries(queryClient, trpcClient, window.location.pathname);

function Root(): React.JSX.Element {
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <App />
      </TRPCProvider>
    </QueryClientProvider>
  );
}

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
