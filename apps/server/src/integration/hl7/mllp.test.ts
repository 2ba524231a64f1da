import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import type { OssiwatchDb } from '../../db/client.ts';
import {
  auditLog,
  hl7Locations,
  hl7Messages,
  patients,
  stays,
  vitalsLabs,
} from '../../db/schema.ts';
import { eventBusFor, type WardEvent } from '../../events.ts';
import { callerAs, makeUser, makeWard, migratedMemoryDb } from '../../test-support.ts';
import { replayMessage } from './apply.ts';
import {
  MAX_FRAME_BYTES,
  parseAllowList,
  startMllpListener,
  type MllpListener,
} from './listener.ts';
import { ackFields, openMllp, type MllpSender } from './mllp-client.ts';

let db: OssiwatchDb;
let listener: MllpListener;
let client: MllpSender;
let west: { wardId: number; bedIds: number[] };
let east: { wardId: number; bedIds: number[] };

beforeEach(async () => {
  db = migratedMemoryDb();
  west = makeWard(db, 'West');
  east = makeWard(db, 'East');
  db.insert(hl7Locations).values({ code: '4WEST', wardId: west.wardId }).run();
  db.insert(hl7Locations).values({ code: '5EAST', wardId: east.wardId }).run();
  listener = await startMllpListener(db, {
    port: 0,
    host: '127.0.0.1',
    allow: parseAllowList(undefined),
  });
  client = await openMllp('127.0.0.1', listener.port);
});

afterEach(async () => {
  client.close();
  await listener.close();
  db.$client.close();
});

let counter = 0;
const NOW = new Date();
const hl7Time = (date: Date): string =>
  `${date.toISOString().replace(/[-:T]/g, '').slice(0, 12)}+0000`;
const hoursAgo = (hours: number): string => hl7Time(new Date(NOW.getTime() - hours * 3600_000));

function adt(
  event: string,
  mrn: string,
  options: {
    location?: string;
    bed?: string;
    at?: string;
    id?: string;
    pid?: string;
    extra?: string[];
    pv1Class?: string;
  } = {},
): string {
  const id = options.id ?? `MSG${++counter}`;
  const at = options.at ?? hoursAgo(10);
  const pv1 = [
    'PV1',
    '1',
    options.pv1Class ?? 'I',
    `${options.location ?? '4WEST'}^^${options.bed ?? '01'}`,
  ];
  while (pv1.length < 45) pv1.push('');
  if (event === 'A01' || event === 'A04') pv1[44] = at;
  if (event === 'A03') pv1[45] = at;
  return [
    `MSH|^~\\&|ADT|HOSP|OSSIWATCH|HOSP|${hoursAgo(0)}||ADT^${event}^ADT_A01|${id}|P|2.5.1`,
    `EVN|${event}|${at}||||${at}`,
    options.pid ?? `PID|1||${mrn}^^^HOSP^MR||Doe^Jane^Q||19800115|F`,
    pv1.join('|'),
    ...(options.extra ?? []),
  ].join('\r');
}

function oru(mrn: string, obx: string[], id = `ORU${++counter}`): string {
  return [
    `MSH|^~\\&|LAB|HOSP|OSSIWATCH|HOSP|${hoursAgo(0)}||ORU^R01|${id}|P|2.5.1`,
    `PID|1||${mrn}^^^HOSP^MR||Doe^Jane||19800115|F`,
    `OBR|1|||24326-1^Panel^LN|||${hoursAgo(2)}`,
    ...obx,
  ].join('\r');
}

async function send(message: string) {
  return ackFields(await client.send(message));
}

function currentStay(mrn: string) {
  return db
    .select({
      wardId: stays.wardId,
      bedId: stays.bedId,
      admittedAt: stays.admittedAt,
      patientId: stays.patientId,
    })
    .from(stays)
    .innerJoin(patients, eq(patients.id, stays.patientId))
    .where(and(eq(patients.mrn, mrn), isNull(stays.dischargedAt)))
    .get();
}

describe('HL7 v2 over MLLP', () => {
  it('admits an A01 for a new MRN onto the mapped ward board, live, and acknowledges AA with MSA-2 = MSH-10', async () => {
    const nurse = await makeUser(db, ['nurse'], [west.wardId]);
    const events: WardEvent[] = [];
    eventBusFor(db).subscribe((event) => events.push(event));
    const ack = await send(adt('A01', 'H100', { id: 'CTRL-1', bed: '02' }));
    expect(ack).toEqual({ code: 'AA', controlId: 'CTRL-1', error: null });
    const stay = currentStay('H100');
    expect(stay).toMatchObject({ wardId: west.wardId, bedId: west.bedIds[1] });
    expect(events).toContainEqual(
      expect.objectContaining({ wardId: west.wardId, patientId: stay?.patientId, kind: 'stay' }),
    );
    const board = await callerAs(db, nurse).ward.board({ wardId: west.wardId });
    const row = board.patients.find((p) => p.patientId === stay?.patientId);
    expect(row).toMatchObject({
      name: 'Jane Q Doe',
      bed: '02',
      injuryType: null,
      assessedAt: null,
    });
    // Stored raw with its outcome and what it touched; audited with the feed as actor.
    const stored = db.select().from(hl7Messages).where(eq(hl7Messages.controlId, 'CTRL-1')).get();
    expect(stored).toMatchObject({
      status: 'applied',
      ackCode: 'AA',
      sender: 'ADT^HOSP',
      mrn: 'H100',
    });
    expect(stored?.raw).toContain('PID|1||H100');
    expect(stored?.touched).toMatchObject({
      patients: [stay?.patientId],
      stays: [expect.any(Number)],
    });
    const audit = db.select().from(auditLog).where(eq(auditLog.action, 'hl7.ADT^A01')).all();
    expect(audit).toEqual([
      expect.objectContaining({
        username: 'hl7:ADT^HOSP',
        patientId: stay?.patientId,
        outcome: 'success',
        clientIp: '127.0.0.1',
      }),
    ]);
  });

  it('moves with A02, discharges with A03, and undoes with A13, A12 and A11', async () => {
    expect((await send(adt('A01', 'H200', { at: hoursAgo(30) }))).code).toBe('AA');
    expect(
      (await send(adt('A02', 'H200', { location: '5EAST', bed: '03', at: hoursAgo(20) }))).code,
    ).toBe('AA');
    expect(currentStay('H200')).toMatchObject({ wardId: east.wardId, bedId: east.bedIds[2] });
    const all = db.select().from(stays).all();
    expect(all).toHaveLength(2);
    // One instant: the first stay ends where the second begins.
    expect(all[0]?.dischargedAt).toBe(all[1]?.admittedAt);

    expect(
      (await send(adt('A03', 'H200', { location: '5EAST', bed: '03', at: hoursAgo(5) }))).code,
    ).toBe('AA');
    expect(currentStay('H200')).toBeUndefined();
    expect((await send(adt('A13', 'H200', { location: '5EAST', bed: '03' }))).code).toBe('AA');
    expect(currentStay('H200')).toMatchObject({ wardId: east.wardId });
    expect((await send(adt('A12', 'H200', { location: '4WEST', bed: '01' }))).code).toBe('AA');
    expect(currentStay('H200')).toMatchObject({ wardId: west.wardId, bedId: west.bedIds[0] });
    expect((await send(adt('A11', 'H200'))).code).toBe('AA');
    expect(currentStay('H200')).toBeUndefined();
    expect(db.select().from(stays).all()).toHaveLength(0);
  });

  it('acknowledges a resent message again without applying it twice', async () => {
    const message = adt('A01', 'H300', { id: 'SAME-1' });
    expect(await send(message)).toMatchObject({ code: 'AA', controlId: 'SAME-1' });
    expect(await send(message)).toMatchObject({ code: 'AA', controlId: 'SAME-1' });
    expect(db.select().from(stays).all()).toHaveLength(1);
    expect(db.select().from(hl7Messages).all()).toHaveLength(1);
    const lab = oru('H300', [`OBX|1|NM|6768-6^ALP^LN||140|U/L|||||F|||${hoursAgo(1)}`], 'LAB-SAME');
    await send(lab);
    await send(lab);
    expect(db.select().from(vitalsLabs).all()).toHaveLength(1);
  });

  it('queues an unmapped location with AE; after mapping and replay the patient is admitted', async () => {
    const ack = await send(adt('A01', 'H400', { location: '9NORTH', id: 'Q-1' }));
    expect(ack.code).toBe('AE');
    expect(ack.controlId).toBe('Q-1');
    expect(ack.error).toContain('9NORTH');
    expect(currentStay('H400')).toBeUndefined();
    // The patient's next message waits behind it, in arrival order.
    const later = await send(
      adt('A08', 'H400', { pid: 'PID|1||H400^^^HOSP^MR||Roe^Ann||19700101|F' }),
    );
    expect(later.code).toBe('AE');
    expect(later.error).toContain('Waits behind');
    const queued = db.select().from(hl7Messages).where(eq(hl7Messages.status, 'queued')).all();
    expect(queued.map((m) => m.controlId)).toEqual(['Q-1', expect.any(String)]);

    const admin = await makeUser(db, ['admin'], []);
    const actor = { userId: admin.id, username: admin.username, clientIp: '127.0.0.1' };
    await expect(replayMessage(db, queued[1]?.id ?? 0, actor)).rejects.toThrow(
      /Replay message #\d+ first/,
    );
    expect((await replayMessage(db, queued[0]?.id ?? 0, actor)).ackCode).toBe('AE');
    db.insert(hl7Locations).values({ code: '9NORTH', wardId: east.wardId }).run();
    expect(await replayMessage(db, queued[0]?.id ?? 0, actor)).toMatchObject({
      ackCode: 'AA',
      status: 'replayed',
    });
    expect(currentStay('H400')).toMatchObject({ wardId: east.wardId });
    expect(await replayMessage(db, queued[1]?.id ?? 0, actor)).toMatchObject({ ackCode: 'AA' });
    expect(db.select().from(patients).where(eq(patients.mrn, 'H400')).get()?.name).toBe('Ann Roe');
    // The resent original is now acknowledged AA, and still applied once.
    expect((await send(adt('A01', 'H400', { location: '9NORTH', id: 'Q-1' }))).code).toBe('AA');
    expect(db.select().from(stays).all()).toHaveLength(1);
  });

  it('answers AE for a discharge of an unknown patient and for an overlapping admission', async () => {
    const unknown = await send(adt('A03', 'NOBODY'));
    expect(unknown.code).toBe('AE');
    expect(unknown.error).toContain('NOBODY');
    await send(adt('A01', 'H500'));
    const again = await send(adt('A01', 'H500'));
    expect(again.code).toBe('AE');
    expect(again.error).toContain('already admitted');
  });

  it('keeps CRP, ALP and CK by LOINC with their units; a corrected result replaces, X is ignored', async () => {
    const nurse = await makeUser(db, ['nurse'], [west.wardId]);
    await send(adt('A01', 'H600', { at: hoursAgo(30) }));
    const taken = hoursAgo(3);
    const ack = await send(
      oru('H600', [
        `OBX|1|NM|6768-6^Alkaline phosphatase^LN||182|U/L|40-130|H|||F|||${taken}`,
        `OBX|2|NM|1988-5^CRP^LN||12.5|mg/L|||||F|||${taken}`,
        `OBX|3|NM|2157-6^CK^LN||||||||X|||${taken}`,
        `OBX|4|NM|2951-2^Sodium^LN||140|mmol/L|||||F|||${taken}`,
      ]),
    );
    expect(ack.code).toBe('AA');
    const patientId = currentStay('H600')?.patientId ?? 0;
    const timeline = await callerAs(db, nurse).patient.timeline({ patientId });
    expect(timeline.vitals.map((v) => [v.kind, v.value, v.unit])).toEqual([
      ['alp', 182, 'U/L'],
      ['crp', 12.5, 'mg/L'],
    ]);
    expect(
      (await send(oru('H600', [`OBX|1|NM|6768-6^ALP^LN||168|U/L|||||C|||${taken}`]))).code,
    ).toBe('AA');
    const alp = db.select().from(vitalsLabs).where(eq(vitalsLabs.kind, 'alp')).all();
    expect(alp.map((v) => v.value)).toEqual([168]);
    const wrongUnit = await send(
      oru('H600', [`OBX|1|NM|1988-5^CRP^LN||1.2|mg/dL|||||F|||${taken}`]),
    );
    expect(wrongUnit.code).toBe('AR');
    expect(wrongUnit.error).toContain('mg/dL');
  });

  it('merges with A40: the old MRN’s record moves to the surviving one', async () => {
    await send(adt('A01', 'OLD1'));
    await send(oru('OLD1', [`OBX|1|NM|6768-6^ALP^LN||90|U/L|||||F|||${hoursAgo(1)}`]));
    const ack = await send(adt('A40', 'NEW1', { extra: ['MRG|OLD1^^^HOSP^MR'] }));
    expect(ack.code).toBe('AA');
    expect(db.select().from(patients).where(eq(patients.mrn, 'OLD1')).get()).toBeUndefined();
    const survivor = db.select().from(patients).where(eq(patients.mrn, 'NEW1')).get();
    expect(currentStay('NEW1')).toMatchObject({ patientId: survivor?.id });
    expect(db.select().from(vitalsLabs).all()).toEqual([
      expect.objectContaining({ patientId: survivor?.id }),
    ]);
  });

  it('answers AR for a malformed message and changes nothing; oversized or unframed input closes the connection', async () => {
    const noId = await send('MSH|^~\\&|ADT|HOSP|||20260101||ADT^A01|\rPID|1||X1');
    expect(noId.code).toBe('AR');
    expect((await send('this is not HL7')).code).toBe('AR');
    // After a frame that is no HL7 at all the listener closes the connection; the engine reconnects.
    await new Promise((resolve) => client.socket.once('close', resolve));
    client = await openMllp('127.0.0.1', listener.port);
    expect(await send(adt('A01', 'H700').replace('ADT^A01^ADT_A01', 'ADT^Z99'))).toMatchObject({
      code: 'AR',
    });
    expect((await send(adt('A01', 'H701', { at: '2026-01-01' }))).code).toBe('AR');
    // Latin-1 bytes sent as if UTF-8, and a character set OssiWatch does not read: refused, not guessed.
    const latin1 = adt('A01', 'H702', { pid: 'PID|1||H702^^^HOSP^MR||Müller^Jörg||19700101|M' });
    const answer = await client.sendRaw(Buffer.from(`\x0b${latin1}\x1c\r`, 'latin1'));
    const refused = ackFields(answer ?? '');
    expect(refused.code).toBe('AR');
    expect(refused.error).toContain('UTF-8');
    const declared = adt('A01', 'H703').replace('|P|2.5.1', '|P|2.5.1||||||8859/15');
    expect((await send(declared)).code).toBe('AR');
    expect(db.select().from(stays).all()).toHaveLength(0);
    expect(db.select().from(patients).all()).toHaveLength(0);

    const big = Buffer.alloc(MAX_FRAME_BYTES + 10, 'A');
    big[0] = 0x0b;
    expect(await client.sendRaw(big)).toBeNull();
    expect(client.socket.destroyed || client.socket.readableEnded).toBe(true);
    const unframed = await openMllp('127.0.0.1', listener.port);
    expect(await unframed.sendRaw('MSH|^~\\&|no start block\r')).toBeNull();
    unframed.close();
    expect(db.select().from(patients).all()).toHaveLength(0);
  });

  it('refuses peers outside OSSIWATCH_MLLP_ALLOW', async () => {
    const closed = await startMllpListener(db, {
      port: 0,
      host: '127.0.0.1',
      allow: parseAllowList('10.0.0.0/8'),
    });
    const outsider = await openMllp('127.0.0.1', closed.port);
    expect(await outsider.sendRaw(`\x0b${adt('A01', 'H800')}\x1c\r`)).toBeNull();
    outsider.close();
    await closed.close();
    expect(db.select().from(patients).all()).toHaveLength(0);
    expect(() => parseAllowList('not-an-address')).toThrow(/OSSIWATCH_MLLP_ALLOW/);
  });
});

describe('the listener setting', () => {
  it('is off unless OSSIWATCH_MLLP_PORT is set, and refuses a port it cannot use by name', async () => {
    const { readConfig } = await import('../../config.ts');
    expect(readConfig({}).mllp).toBeUndefined();
    expect(
      readConfig({ OSSIWATCH_MLLP_PORT: '2575', OSSIWATCH_MLLP_ALLOW: '10.1.0.0/16' }).mllp,
    ).toEqual({
      port: 2575,
      allow: '10.1.0.0/16',
    });
    expect(() => readConfig({ OSSIWATCH_MLLP_PORT: 'abc' })).toThrow(/OSSIWATCH_MLLP_PORT/);
    const list = parseAllowList('10.1.0.0/16, 192.168.1.5, fd00::/8');
    expect(list.check('10.1.200.3', 'ipv4')).toBe(true);
    expect(list.check('10.2.0.1', 'ipv4')).toBe(false);
    expect(list.check('192.168.1.5', 'ipv4')).toBe(true);
    expect(list.check('fd00::1', 'ipv6')).toBe(true);
    expect(() => parseAllowList('10.0.0.0/40')).toThrow(/prefix/);
  });
});
