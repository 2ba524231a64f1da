/**
 * The HL7 v2 feed's throughput (PRODUCT §11: at least 200 ADT messages a second applied durably):
 * several interface engines, each sending its patients' admission, update, transfer and discharge
 * over its own MLLP connection and waiting for each ACK before the next message, as MLLP requires.
 * An ACK AA is sent only once the message's commit is on the disk.
 */
import Database from 'better-sqlite3';
import { ackFields, openMllp } from '../src/integration/hl7/mllp-client.ts';
import { msSince, round, summarise, type LatencySummary } from './stats.ts';

export interface Hl7Result {
  readonly messages: number;
  readonly acked_aa: number;
  readonly not_aa: number;
  readonly connections: number;
  readonly duration_s: number;
  readonly messages_per_s: number;
  readonly ack: LatencySummary;
}

const hl7Time = (date: Date): string =>
  `${date.toISOString().replace(/[-:T]/g, '').slice(0, 12)}+0000`;

/** Maps two point-of-care codes to the first two wards (the administrator's table). */
export function mapBenchLocations(databaseFile: string): void {
  const sqlite = new Database(databaseFile);
  sqlite.pragma('busy_timeout = 5000');
  const wards = sqlite.prepare('SELECT id FROM wards ORDER BY id LIMIT 2').all() as {
    id: number;
  }[];
  const insert = sqlite.prepare(
    'INSERT OR REPLACE INTO hl7_locations (code, ward_id) VALUES (?, ?)',
  );
  insert.run('BENCH1', wards[0]?.id);
  insert.run('BENCH2', wards[1]?.id ?? wards[0]?.id);
  sqlite.close();
}

/** One patient's admission, update, transfer and discharge, as an interface engine sends them. */
export function patientMessages(engine: number, index: number, runId: string): string[] {
  const mrn = `B${runId}-${engine}-${index}`;
  const now = Date.now();
  const at = (minutesAgo: number): string => hl7Time(new Date(now - minutesAgo * 60_000));
  const pid = `PID|1||${mrn}^^^BENCH^MR||Bench^Patient${index}||19700101|F`;
  const msh = (event: string, n: number): string =>
    `MSH|^~\\&|BENCH${engine}|BENCH|OSSIWATCH|BENCH|${at(0)}||ADT^${event}|${mrn}-${n}|P|2.5.1`;
  const pv1 = (code: string, admitted: string, discharged = ''): string =>
    `PV1|1|I|${code}^^NOBED${'|'.repeat(41)}${admitted}|${discharged}`;
  return [
    [msh('A01', 1), `EVN|A01|${at(0)}`, pid, pv1('BENCH1', at(300))],
    [msh('A08', 2), `EVN|A08|${at(0)}`, pid.replace('Patient', 'Updated'), pv1('BENCH1', at(300))],
    [msh('A02', 3), `EVN|A02|${at(0)}|||bench|${at(200)}`, pid, pv1('BENCH2', at(300))],
    [msh('A03', 4), `EVN|A03|${at(0)}`, pid, pv1('BENCH2', at(300), at(100))],
  ].map((segments) => segments.join('\r'));
}

export async function measureHl7(
  port: number,
  options: { connections: number; patientsPerConnection: number },
): Promise<Hl7Result> {
  const runId = Date.now().toString(36);
  const latencies: number[] = [];
  let aa = 0;
  let other = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: options.connections }, async (_, engine) => {
      const client = await openMllp('127.0.0.1', port);
      try {
        for (let i = 0; i < options.patientsPerConnection; i++) {
          for (const message of patientMessages(engine, i, runId)) {
            const sent = process.hrtime.bigint();
            const ack = ackFields(await client.send(message));
            latencies.push(msSince(sent));
            if (ack.code === 'AA') aa += 1;
            else other += 1;
          }
        }
      } finally {
        client.close();
      }
    }),
  );
  const seconds = msSince(start) / 1000;
  return {
    messages: aa + other,
    acked_aa: aa,
    not_aa: other,
    connections: options.connections,
    duration_s: round(seconds),
    messages_per_s: round(aa / seconds, 1),
    ack: summarise(latencies),
  };
}
