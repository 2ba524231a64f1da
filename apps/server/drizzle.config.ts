import { defineConfig } from 'drizzle-kit';

// Migrations are generated from src/db/schema.ts with `pnpm --filter @ossiwatch/server db:generate`,
// committed, and applied by the server at start-up (never `drizzle-kit push`).
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
