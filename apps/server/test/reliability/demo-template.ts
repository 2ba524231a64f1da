/**
 * Seeds the demo hospital once, by starting the real server in demo mode on an empty file and stopping
 * it with SIGTERM; every drill starts from a copy of that file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startServer } from './support.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    demoTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-demo-template-'));
  const file = path.join(dir, 'demo.db');
  const server = await startServer(
    { OSSIWATCH_MODE: 'demo', DATABASE_PATH: file },
    { timeoutMs: 300_000 },
  );
  server.child.kill('SIGTERM');
  const exit = await server.exited;
  if (exit.code !== 0) throw new Error(`the demo server did not stop cleanly:\n${server.output()}`);
  project.provide('demoTemplate', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
