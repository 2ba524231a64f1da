/** The database schema, one file per part of the ward's record; drizzle-kit generates migrations from here. */
export * from './schema/wards.ts';
export * from './schema/users.ts';
export * from './schema/settings.ts';
export * from './schema/patients.ts';
export * from './schema/corrections.ts';
export * from './schema/observations.ts';
export * from './schema/care.ts';
export * from './schema/assessments.ts';
export * from './schema/audit.ts';
export * from './schema/emergency.ts';
export * from './schema/access-changes.ts';
export * from './schema/daily-tiers.ts';
export * from './schema/board.ts';
export * from './schema/integration.ts';
export * from './schema/live-events.ts';
export * from './schema/system-tokens.ts';
