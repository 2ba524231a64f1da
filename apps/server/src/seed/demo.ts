/**
 * Demo mode (PRODUCT §6, §10): the first start on an empty database fills it with the synthetic
 * hospital and the demo accounts; every later start finds it filled and starts at once.
 */
import type { OssiwatchDb } from '../db/client.ts';
import {
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  isEmptyDatabase,
  seedHospital,
  type SeedReport,
} from './hospital.ts';

/** The demo hospital: one seed, so every demo shows the same wards and patients (dated to today). */
export const DEMO_SEED = 20260301;

/**
 * Seeds the demo hospital (scale 1: three wards, 12 months of history) with the demo accounts when the
 * database is empty; returns the report, or undefined when there was something in it already.
 */
export async function seedDemoIfEmpty(db: OssiwatchDb, now: Date): Promise<SeedReport | undefined> {
  if (!isEmptyDatabase(db)) return undefined;
  return seedHospital(db, { seed: DEMO_SEED, scale: 1, now, withDemoAccounts: true });
}

/** The start-up banner's lines naming the demo accounts (demo mode only). */
export function demoAccountLines(): string[] {
  return [
    `demo accounts (password "${DEMO_PASSWORD}"):`,
    ...DEMO_ACCOUNTS.map(
      (account) =>
        `  ${account.username.padEnd(10)} ${account.roles.join(', ')}; ${account.wards === 'first' ? 'first ward only' : 'all wards'}`,
    ),
  ];
}
