import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { startFirstQueries } from './first-queries.ts';
import { TRPCProvider, makeQueryClient, makeTrpcClient } from './trpc.ts';
import { applyStoredTheme } from './lib/theme.ts';
import './styles.css';

applyStoredTheme();

/**
 * How long the first render waits for the first answers. They are usually here already (boot.ts
 * asked while this script loaded); rendering with them draws the board at once instead of
 * "Checking your session…" first and the board a moment later. A slow server gets the
 * checking message after this wait.
 */
const FIRST_ANSWERS_WAIT_MS = 150;

const queryClient = makeQueryClient();
const trpcClient = makeTrpcClient();
// Before the first render: the session and the board are asked for in parallel, not in turn.
const firstAnswers = startFirstQueries(queryClient, trpcClient, window.location.pathname);

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
const root = createRoot(container);
void Promise.race([
  firstAnswers,
  new Promise((resolve) => setTimeout(resolve, FIRST_ANSWERS_WAIT_MS)),
]).then(() => {
  root.render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );
});
