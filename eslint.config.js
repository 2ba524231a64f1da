// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * packages/domain is the clinical model: pure functions only. These imports would give it I/O,
 * a framework or a dependency on our own apps, so the linter refuses them (ARCHITECTURE.md).
 */
export const domainForbiddenImports = {
  paths: [
    ...[
      'fs',
      'path',
      'os',
      'http',
      'https',
      'net',
      'child_process',
      'crypto',
      'worker_threads',
    ].map((name) => ({ name, message: 'packages/domain is pure: no I/O.' })),
  ],
  patterns: [
    { group: ['node:*'], message: 'packages/domain is pure: no Node built-ins.' },
    { group: ['fs/*', 'path/*'], message: 'packages/domain is pure: no I/O.' },
    {
      group: ['drizzle-orm', 'drizzle-orm/*', 'better-sqlite3'],
      message: 'packages/domain has no database.',
    },
    {
      group: ['react', 'react/*', 'react-dom', 'react-dom/*'],
      message: 'packages/domain has no UI.',
    },
    { group: ['@trpc/*', 'fastify', '@fastify/*'], message: 'packages/domain has no transport.' },
    { group: ['@ossiwatch/*'], message: 'packages/domain imports nothing of ours.' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/drizzle/**',
      'e2e/test-results/**',
      'e2e/playwright-report/**',
      '**/*.config.js',
      '**/*.config.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['packages/domain/src/**/*.ts'],
    ignores: ['packages/domain/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', domainForbiddenImports],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'packages/domain is pure: read nothing from the environment.' },
        { name: 'fetch', message: 'packages/domain is pure: no network.' },
      ],
    },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['e2e/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/**', '@ossiwatch/*'],
              message: 'e2e drives the product from outside.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
