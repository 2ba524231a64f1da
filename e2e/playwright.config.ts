import { defineConfig, devices } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';

const port = Number(process.env.E2E_PORT ?? 3917);
// The HL7 v2 listener of the run's server (tests/hl7.spec.ts sends to it), beside the HTTP port.
export const mllpPort = port + 20000;
process.env.E2E_MLLP_PORT = String(mllpPort);
// A fresh database file per run: the suite starts from the demo hospital every time.
// Tests that use the command line against the run's server (tests/system-tokens.spec.ts) need its file:
// the workers load this config again and inherit the runner's environment, so the name is made once.
const databasePath =
  process.env.E2E_DATABASE_PATH ??
  path.join(os.tmpdir(), `ossiwatch-e2e-${process.pid}-${Date.now()}.db`);
process.env.E2E_DATABASE_PATH = databasePath;

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Generous: the suite shares two cores with builds and benchmarks; a slow step is not a failure.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          // Debian's chromium; Playwright never downloads a browser here.
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: 'pnpm --dir .. --silent serve',
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    // The server logs every request as JSON; the suite's own report is what matters here.
    stdout: 'ignore',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      OSSIWATCH_MODE: 'demo',
      OSSIWATCH_MLLP_PORT: String(mllpPort),
    },
  },
});
