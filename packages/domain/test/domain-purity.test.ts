import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: repoRoot });

async function lintAsDomainSource(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, {
    filePath: `${repoRoot}packages/domain/src/joints.ts`,
  });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

// Type-aware linting starts a TypeScript program on first use: allow it time on a busy machine.
describe(
  'packages/domain stays pure (ARCHITECTURE.md: arrows point one way)',
  { timeout: 120_000 },
  () => {
    it.each([
      ["import { readFileSync } from 'node:fs';"],
      ["import fs from 'fs';"],
      ["import Database from 'better-sqlite3';"],
      ["import { sql } from 'drizzle-orm';"],
      ["import { useState } from 'react';"],
      ["import { initTRPC } from '@trpc/server';"],
      ["import type { AppRouter } from '@ossiwatch/server';"],
    ])('lint refuses %s', async (line) => {
      const rules = await lintAsDomainSource(`${line}\nexport const x = 1;\n`);
      expect(rules).toContain('no-restricted-imports');
    });

    it('lint refuses reading the environment', async () => {
      const rules = await lintAsDomainSource('export const mode = process.env.MODE;\n');
      expect(rules).toContain('no-restricted-globals');
    });
  },
);
