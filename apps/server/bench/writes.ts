/** The writes the benchmark sends: a therapist's session of ROM readings and a nurse's vital sign. */
import type { PacedRequest } from './paced.ts';
import { mutationBody } from './server.ts';

/** The 20 readings of a lower-limb session: both hips, knees and ankles, passive. */
const SESSION_MOVEMENTS = [
  ['hip', 'flexion', 110],
  ['hip', 'extension', 20],
  ['hip', 'abduction', 40],
  ['hip', 'adduction', 20],
  ['hip', 'internal_rotation', 35],
  ['hip', 'external_rotation', 50],
  ['knee', 'flexion', 130],
  ['knee', 'extension', -5],
  ['ankle', 'dorsiflexion', 15],
  ['ankle', 'plantarflexion', 40],
] as const;

function sessionReadings(count: number, jitter: number) {
  const readings = SESSION_MOVEMENTS.flatMap(([site, movement, degrees]) =>
    (['left', 'right'] as const).map((side) => ({
      site,
      side,
      movement,
      mode: 'passive' as const,
      degrees: degrees - (jitter % 7),
    })),
  );
  return readings.slice(0, count);
}

export interface WritePatient {
  readonly patientId: number;
  readonly admittedAt: string;
}

/**
 * A builder of writes for the current patients in turn (each timed now), for the warm-up, the paced
 * runs and autocannon alike. `onSent` learns which patient each request is for.
 */
export function writeBuilder(
  cookie: string,
  patients: readonly WritePatient[],
  write: (patientId: number, n: number) => { path: string; input: unknown },
): () => PacedRequest & { body: string; patientId: number } {
  const nowIso = new Date().toISOString();
  const admitted = patients.filter((p) => p.admittedAt < nowIso);
  if (admitted.length === 0) throw new Error('no current patients to write for');
  let next = 0;
  return () => {
    const patient = admitted[next % admitted.length];
    next += 1;
    const patientId = patient?.patientId ?? 0;
    const { path, input } = write(patientId, next);
    return {
      method: 'POST',
      path,
      headers: { cookie, 'content-type': 'application/json' },
      body: mutationBody(input),
      patientId,
    };
  };
}

/** `rom.recordSession` with `readings` readings for the patient, timed now. */
export function therapySave(readings: number) {
  return (patientId: number, n: number) => ({
    path: '/trpc/rom.recordSession',
    input: { patientId, takenAt: new Date().toISOString(), readings: sessionReadings(readings, n) },
  });
}

/** `nursing.recordVital`: a temperature, timed now. */
export function nurseVital() {
  return (patientId: number, n: number) => ({
    path: '/trpc/nursing.recordVital',
    input: {
      patientId,
      takenAt: new Date().toISOString(),
      kind: 'temperature',
      value: 36.5 + (n % 10) / 10,
    },
  });
}
