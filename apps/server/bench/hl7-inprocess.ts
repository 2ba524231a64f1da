/**
 * The HL7 v2 feed without the network: the same messages as `--only hl7`, handed to the receiver
 * (parse, apply, store, audit, reassess, group commit with fsync) by four concurrent senders that
 * each wait for their answer, as MLLP senders do. Prints messages a second, the CPU the process
 * spent per message (steadier than wall time on a busy machine), and the same run with the commit
 * not waiting for the disk (synchronous=OFF) to show what the fsync costs.
 *
 * `pnpm --filter @ossiwatch/server exec tsx bench/hl7-inprocess.ts [patientsPerSender]`
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Hl7Message } from '@medplum/core';
import { applyMigrations, openDatabase } from '../src/db/client.ts';
import { beds, hl7Locations, wards } from '../src/db/schema.ts';
import { receiveMessage } from '../src/integration/hl7/apply.ts';
import { patientMessages } from './hl7.ts';
import { round } from './stats.ts';

const SENDERS = 4;
const patientsPerSender = Number(process.argv[2] ?? 200);

async function run(synchronous: 'FULL' | 'OFF'): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-hl7-bench-'));
  const db = openDatabase(path.join(dir, 'bench.db'));
  applyMigrations(db);
  db.$client.pragma(`synchronous = ${synchronous}`);
  for (const code of ['BENCH1', 'BENCH2']) {
    const ward = db.insert(wards).values({ name: code }).returning({ id: wards.id }).get();
    db.insert(beds).values({ wardId: ward.id, label: '01' }).run();
    db.insert(hl7Locations).values({ code, wardId: ward.id }).run();
  }
  const runId = `${synchronous}${Date.now().toString(36)}`;
  const streams = Array.from({ length: SENDERS }, (_, sender) =>
    Array.from({ length: patientsPerSender }, (_, i) => patientMessages(sender, i, runId)).flat(),
  );
  let parseNs = 0n;
  let notAa = 0;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(
    streams.map(async (messages) => {
      for (const raw of messages) {
        const parsedAt = process.hrtime.bigint();
        const hl7 = Hl7Message.parse(raw);
        parseNs += process.hrtime.bigint() - parsedAt;
        const outcome = await receiveMessage(db, raw, hl7, { peer: 'bench' });
        if (outcome.ackCode !== 'AA') notAa += 1;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  const messages = streams.reduce((sum, stream) => sum + stream.length, 0);
  const cpuMs = (used.user + used.system) / 1000;
  console.log(
    `synchronous=${synchronous}: ${messages} messages (${notAa} not AA) in ${round(seconds)} s: ` +
      `${round(messages / seconds, 1)} messages/s; CPU ${round(cpuMs / messages, 3)} ms/message ` +
      `(parse ${round(Number(parseNs) / 1e6 / messages, 3)} ms) → ${round(messages / (cpuMs / 1000), 0)} messages per CPU-second`,
  );
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(
  `load average ${os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')} on ${os.cpus().length} CPUs`,
);
await run('FULL');
await run('OFF');
console.log(
  `load average ${os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`,
);
