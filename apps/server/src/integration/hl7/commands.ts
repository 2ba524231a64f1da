/**
 * The HL7 interface from the command line: the location map, the interface queue, and `hl7:send`
 * to send a file of messages over MLLP and print each ACK (the demo, and a check of a site's feed).
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { readConfig } from '../../config.ts';
import { applyMigrations, openDatabase, type OssiwatchDb } from '../../db/client.ts';
import { Hl7QueueError, replayMessage } from './apply.ts';
import { ackFields, openMllp, splitMessages } from './mllp-client.ts';
import {
  dismissMessage,
  interfaceQueue,
  locationMap,
  mapLocation,
  unmapLocation,
  type Hl7Admin,
} from './queue.ts';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(line: string, code = 1): number {
  process.stderr.write(`${line}\n`);
  return code;
}

function cliAdmin(): Hl7Admin {
  let who = 'unknown';
  try {
    who = userInfo().username;
  } catch {
    // No passwd entry (a container): the CLI is still named as the actor.
  }
  return { userId: null, username: `cli:${who}`, clientIp: null };
}

async function withDb(run: (db: OssiwatchDb) => number | Promise<number>): Promise<number> {
  const db = openDatabase(readConfig().databasePath);
  applyMigrations(db);
  try {
    return await run(db);
  } catch (error) {
    if (error instanceof Hl7QueueError) return fail(error.message);
    throw error;
  } finally {
    db.$client.close();
  }
}

function idOption(text: string | undefined): number | undefined {
  const id = Number(text);
  return text !== undefined && Number.isInteger(id) && id > 0 ? id : undefined;
}

export const hl7Commands = {
  'location:map': {
    summary: 'location:map --code 4WEST --ward 2: HL7 point of care (PV1-3.1) to a ward',
    run: (args: readonly string[]) => {
      const { values } = parseArgs({
        args: [...args],
        options: { code: { type: 'string' }, ward: { type: 'string' } },
      });
      const wardId = idOption(values.ward);
      if (!values.code || wardId === undefined) {
        return fail('usage: location:map --code CODE --ward WARD_ID', 64);
      }
      const code = values.code;
      return withDb((db) => {
        mapLocation(db, cliAdmin(), new Date(), { code, wardId });
        say(`${code} -> ward ${wardId}`);
        return 0;
      });
    },
  },
  'location:unmap': {
    summary: 'location:unmap --code 4WEST: remove a mapping (its messages wait in the queue)',
    run: (args: readonly string[]) => {
      const { values } = parseArgs({ args: [...args], options: { code: { type: 'string' } } });
      const code = values.code;
      if (!code) return fail('usage: location:unmap --code CODE', 64);
      return withDb((db) => {
        unmapLocation(db, cliAdmin(), new Date(), code);
        say(`${code} unmapped`);
        return 0;
      });
    },
  },
  'location:list': {
    summary: 'the HL7 location map: point-of-care codes and their wards',
    run: () =>
      withDb((db) => {
        const rows = locationMap(db);
        if (rows.length === 0) say('no locations mapped');
        for (const row of rows) say(`${row.code}\tward ${row.wardId}\t${row.wardName}`);
        return 0;
      }),
  },
  'hl7:queue': {
    summary: 'HL7 messages waiting for an administrator (AE), and recent warnings',
    run: () =>
      withDb((db) => {
        const { waiting, warnings } = interfaceQueue(db, cliAdmin(), new Date());
        say(`${waiting.length} message(s) waiting`);
        for (const m of waiting) {
          say(
            `#${m.id}\t${m.receivedAt}\t${m.messageType}\t${m.controlId}\tMRN ${m.mrn}\t${m.note}`,
          );
        }
        if (warnings.length > 0) say(`\nrecent warnings and rejections:`);
        for (const m of warnings) {
          say(`#${m.id}\t${m.status}\t${m.messageType}\t${m.controlId ?? '-'}\t${m.note}`);
        }
        return 0;
      }),
  },
  'hl7:replay': {
    summary: 'hl7:replay --id N: apply a waiting message now (after mapping its location)',
    run: (args: readonly string[]) => {
      const { values } = parseArgs({ args: [...args], options: { id: { type: 'string' } } });
      const id = idOption(values.id);
      if (id === undefined) return fail('usage: hl7:replay --id MESSAGE_ID', 64);
      return withDb(async (db) => {
        const outcome = await replayMessage(db, id, cliAdmin());
        say(
          `#${id}: ${outcome.ackCode} ${outcome.status}${outcome.note ? ` (${outcome.note})` : ''}`,
        );
        return outcome.ackCode === 'AA' ? 0 : 1;
      });
    },
  },
  'hl7:dismiss': {
    summary: 'hl7:dismiss --id N: set a waiting message aside without applying it',
    run: (args: readonly string[]) => {
      const { values } = parseArgs({ args: [...args], options: { id: { type: 'string' } } });
      const id = idOption(values.id);
      if (id === undefined) return fail('usage: hl7:dismiss --id MESSAGE_ID', 64);
      return withDb((db) => {
        dismissMessage(db, cliAdmin(), new Date(), id);
        say(`#${id} dismissed`);
        return 0;
      });
    },
  },
  'hl7:send': {
    summary: 'hl7:send FILE [--host H] [--port P]: send HL7 messages over MLLP, print each ACK',
    run: async (args: readonly string[]) => {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: { host: { type: 'string' }, port: { type: 'string' } },
        allowPositionals: true,
      });
      const file = positionals[0];
      const port = Number(values.port ?? process.env.OSSIWATCH_MLLP_PORT ?? '');
      if (!file || !Number.isInteger(port) || port <= 0) {
        return fail(
          'usage: hl7:send FILE [--host HOST] [--port PORT] (or OSSIWATCH_MLLP_PORT)',
          64,
        );
      }
      const messages = splitMessages(readFileSync(file, 'utf8'));
      const client = await openMllp(values.host ?? process.env.HOST ?? '127.0.0.1', port);
      let failed = 0;
      try {
        for (const message of messages) {
          const controlId = message.split('\r')[0]?.split('|')[9] ?? '?';
          const ack = ackFields(await client.send(message));
          if (ack.code !== 'AA') failed += 1;
          say(`${controlId}: ${ack.code}${ack.error ? ` ${ack.error}` : ''}`);
        }
      } finally {
        client.close();
      }
      say(`${messages.length} message(s) sent, ${messages.length - failed} AA`);
      return failed === 0 ? 0 : 1;
    },
  },
} as const;
