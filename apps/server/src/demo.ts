import { beds, wards } from './db/schema.ts';
import type { OssiwatchDb } from './db/client.ts';

/** The demo hospital's wards (demo mode only). */
const DEMO_WARDS = [
  { name: 'Neurorehabilitation A', beds: 24 },
  { name: 'Neurorehabilitation B', beds: 28 },
  { name: 'Spinal Injuries Unit', beds: 20 },
] as const;

/** Seeds an empty database with the demo hospital; does nothing when wards exist. */
export function seedDemoIfEmpty(db: OssiwatchDb): boolean {
  const existing = db.select({ id: wards.id }).from(wards).limit(1).all();
  if (existing.length > 0) return false;
  db.transaction((tx) => {
    for (const demoWard of DEMO_WARDS) {
      const ward = tx
        .insert(wards)
        .values({ name: demoWard.name })
        .returning({ id: wards.id })
        .get();
      tx.insert(beds)
        .values(
          Array.from({ length: demoWard.beds }, (_, i) => ({
            wardId: ward.id,
            label: String(i + 1).padStart(2, '0'),
          })),
        )
        .run();
    }
  });
  return true;
}
