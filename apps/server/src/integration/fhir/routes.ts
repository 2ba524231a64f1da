/**
 * FHIR R4 out, read-only, at `/fhir/R4` (PRODUCT §11). Who may call (a person's session or a system
 * token), which patients and whether with identities is auth.ts's; here: the request guard and
 * `no-store` (security/request-guard.ts treats `/fhir` as API), and an audit row for every read.
 *
 * An id the caller may not open and an id that does not exist answer alike (auth.ts notOpenable), as
 * /trpc answers both with one FORBIDDEN: the answer must not tell which ids exist (existence probing).
 */
import type {
  Bundle,
  BundleLink,
  CapabilityStatement,
  OperationOutcome,
  Resource,
} from '@medplum/fhirtypes';
import type { Assessment } from '@ossiwatch/domain';
import { and, asc, eq, inArray, ne, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { refreshStaleAssessments } from '../../assessments.ts';
import type { ServerConfig } from '../../config.ts';
import type { OssiwatchDb } from '../../db/client.ts';
import {
  beds,
  braden,
  catheterEpisodes,
  complications,
  hoDiagnoses,
  interventions,
  mobility,
  patientAssessments,
  patients,
  romReadings,
  spasticity,
  stays,
  vitalsLabs,
  wards,
} from '../../db/schema.ts';
import {
  auditFhirDenied,
  auditFhirRead,
  mayOpen,
  notOpenable,
  present,
  requireIdentities,
  resolveCaller,
  wardPatientIds,
  type FhirCaller,
} from './auth.ts';
import { FhirError, type IssueCode } from './errors.ts';
import {
  MRN_SYSTEM,
  toBradenObservation,
  toComplicationCondition,
  toDeviceUseStatement,
  toEncounter,
  toHoCondition,
  toLabObservation,
  toMobilityObservation,
  PROCEDURE_KINDS,
  toPatient,
  toProcedure,
  toRiskAssessment,
  toRomObservation,
  toSpasticityObservation,
} from './mapping.ts';
import { matchesSearch, pageOf, parseSearch, SearchError, type Search } from './search.ts';

export const FHIR_BASE = '/fhir/R4';
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export interface FhirOptions {
  readonly db: OssiwatchDb;
  readonly config: ServerConfig;
  readonly now: () => Date;
  readonly cookieName: string;
}

/** The resource types served, each with the search parameters it accepts (besides _count, _offset). */
export const SEARCH_PARAMS = {
  Patient: ['_id', 'identifier'],
  Encounter: ['patient'],
  Observation: ['patient', 'code', 'date', 'category'],
  Condition: ['patient', 'category'],
  DeviceUseStatement: ['patient'],
  RiskAssessment: ['patient'],
  Procedure: ['patient'],
} as const;
export type FhirType = keyof typeof SEARCH_PARAMS;
const isFhirType = (type: string): type is FhirType => Object.hasOwn(SEARCH_PARAMS, type);

// Errors ------------------------------------------------------------------------------------------

export function operationOutcome(code: IssueCode, diagnostics: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, diagnostics }],
  };
}

export function send(
  reply: FastifyReply,
  status: number,
  body: Resource,
  headers: Readonly<Record<string, string>> = {},
): FastifyReply {
  return reply
    .code(status)
    .headers(headers)
    .header('content-type', FHIR_JSON)
    .send(JSON.stringify(body));
}

// Loading one patient's resources ----------------------------------------------------------------

/** Rows replaced by an amendment are not served: the amendment is (mapping.ts observationStatus). */
const served = (table: { status: AnySQLiteColumn }) => ne(table.status, 'superseded');

function patientResource(db: OssiwatchDb, patientId: number): Resource[] {
  const row = db.select().from(patients).where(eq(patients.id, patientId)).get();
  return row ? [toPatient(row)] : [];
}

function encounters(db: OssiwatchDb, patientId: number): Resource[] {
  return db
    .select({
      id: stays.id,
      patientId: stays.patientId,
      wardName: wards.name,
      bed: beds.label,
      admittedAt: stays.admittedAt,
      dischargedAt: stays.dischargedAt,
    })
    .from(stays)
    .innerJoin(wards, eq(wards.id, stays.wardId))
    .leftJoin(beds, eq(beds.id, stays.bedId))
    .where(eq(stays.patientId, patientId))
    .orderBy(asc(stays.admittedAt), asc(stays.id))
    .all()
    .map(toEncounter);
}

/** The correctable record tables served as resources, each with its id prefix (`rom-12`). */
type RecordTable =
  | typeof romReadings
  | typeof vitalsLabs
  | typeof braden
  | typeof mobility
  | typeof spasticity
  | typeof hoDiagnoses
  | typeof complications
  | typeof catheterEpisodes
  | typeof interventions;

interface RecordSource {
  readonly type: FhirType;
  readonly prefix: string;
  readonly table: RecordTable;
  readonly time: AnySQLiteColumn;
  readonly map: (row: never) => Resource;
  /** Which of the table's rows are this type (interventions: only the procedures). */
  readonly only?: SQL;
}

/** Ties a table to its mapping, checked by the compiler, before the list erases the row types. */
function source<T extends RecordTable>(
  type: FhirType,
  prefix: string,
  table: T,
  time: AnySQLiteColumn,
  map: (row: T['$inferSelect']) => Resource,
  only?: SQL,
): RecordSource {
  return { type, prefix, table, time, map, ...(only ? { only } : {}) };
}

const RECORD_SOURCES: readonly RecordSource[] = [
  source('Observation', 'rom', romReadings, romReadings.takenAt, toRomObservation),
  source('Observation', 'lab', vitalsLabs, vitalsLabs.takenAt, toLabObservation),
  source('Observation', 'braden', braden, braden.takenAt, toBradenObservation),
  source('Observation', 'mobility', mobility, mobility.takenAt, toMobilityObservation),
  source('Observation', 'mas', spasticity, spasticity.takenAt, toSpasticityObservation),
  source('Condition', 'ho', hoDiagnoses, hoDiagnoses.diagnosedAt, toHoCondition),
  source(
    'Condition',
    'complication',
    complications,
    complications.onsetAt,
    toComplicationCondition,
  ),
  source(
    'DeviceUseStatement',
    'catheter',
    catheterEpisodes,
    catheterEpisodes.insertedAt,
    toDeviceUseStatement,
  ),
  source(
    'Procedure',
    'intervention',
    interventions,
    interventions.startedAt,
    toProcedure,
    inArray(interventions.kind, [...PROCEDURE_KINDS]),
  ),
];

/** The served rows of one source that meet `where`, in time order, as resources. */
function recordsOf(db: OssiwatchDb, from: RecordSource, where: SQL): Resource[] {
  // Every source table has the same id/patient/status columns; the row type is the source's own.
  const table = from.table as typeof romReadings;
  const rows = db
    .select()
    .from(table)
    .where(and(where, served(table), from.only))
    .orderBy(asc(from.time), asc(table.id))
    .all() as never[];
  return rows.map((row) => from.map(row));
}

function recordLoader(type: FhirType) {
  const sources = RECORD_SOURCES.filter((from) => from.type === type);
  return (db: OssiwatchDb, patientId: number): Resource[] =>
    sources.flatMap((from) =>
      recordsOf(db, from, eq((from.table as typeof romReadings).patientId, patientId)),
    );
}

function riskAssessments(db: OssiwatchDb, patientId: number, now: Date): Resource[] {
  // As patient.get: an assessment past its validity is recomputed before it is shown.
  refreshStaleAssessments(db, [patientId], now);
  const stored = db
    .select({ assessment: patientAssessments.assessment })
    .from(patientAssessments)
    .where(eq(patientAssessments.patientId, patientId))
    .get();
  return stored ? [toRiskAssessment(patientId, stored.assessment as Assessment)] : [];
}

export const LOADERS: Record<
  FhirType,
  (db: OssiwatchDb, patientId: number, now: Date) => Resource[]
> = {
  Patient: patientResource,
  Encounter: encounters,
  Observation: recordLoader('Observation'),
  Condition: recordLoader('Condition'),
  DeviceUseStatement: recordLoader('DeviceUseStatement'),
  RiskAssessment: riskAssessments,
  Procedure: recordLoader('Procedure'),
};

/**
 * Where a resource id points: its patient and how to load just that resource, or undefined when the id
 * is not one OssiWatch gives out. Ids carry the table where one type comes from several (`rom-12`).
 */
function locate(
  db: OssiwatchDb,
  type: FhirType,
  id: string,
  now: Date,
): { patientId: number | undefined; load: () => Resource | undefined } | undefined {
  const match = /^(?:([a-z]+)-)?([1-9][0-9]{0,15})$/.exec(id);
  if (!match) return undefined;
  const prefix = match[1];
  const n = Number(match[2]);
  if (prefix === undefined) {
    if (type === 'Patient' || type === 'RiskAssessment') {
      return { patientId: n, load: () => LOADERS[type](db, n, now)[0] };
    }
    if (type !== 'Encounter') return undefined;
    const patientId = db
      .select({ patientId: stays.patientId })
      .from(stays)
      .where(eq(stays.id, n))
      .get()?.patientId;
    return {
      patientId,
      load: () =>
        patientId === undefined
          ? undefined
          : encounters(db, patientId).find((encounter) => encounter.id === id),
    };
  }
  const from = RECORD_SOURCES.find(
    (candidate) => candidate.type === type && candidate.prefix === prefix,
  );
  if (!from) return undefined;
  const table = from.table as typeof romReadings;
  const patientId = db
    .select({ patientId: table.patientId })
    .from(table)
    .where(eq(table.id, n))
    .get()?.patientId;
  return { patientId, load: () => recordsOf(db, from, eq(table.id, n))[0] };
}

// Answers -----------------------------------------------------------------------------------------

function selfUrl(request: FastifyRequest): string {
  const host = request.headers.host ?? 'localhost';
  return `${request.protocol}://${host}${request.url}`;
}

function searchset(
  request: FastifyRequest,
  type: string,
  search: Search,
  matches: readonly Resource[],
): Bundle {
  const base = `${request.protocol}://${request.headers.host ?? 'localhost'}${FHIR_BASE}`;
  const { page, links } = pageOf(matches, search, `${base}/${type}`);
  const link: BundleLink[] = [{ relation: 'self', url: selfUrl(request) }, ...links];
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: matches.length,
    link,
    entry: page.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id ?? ''}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

/** The patients a search covers: the one named (if the caller may open them) or, for Patient, the ward's. */
function searchedPatients(caller: FhirCaller, type: FhirType, search: Search, action: string) {
  if (type === 'Patient') {
    const byMrn = search.identifier;
    const byId = search.id;
    if (byMrn === undefined && byId === undefined) return wardPatientIds(caller);
    let id = byId;
    if (byMrn !== undefined) {
      requireIdentities(caller, 'identifier');
      if (byMrn.system !== undefined && byMrn.system !== MRN_SYSTEM) return [];
      const row = caller.db
        .select({ id: patients.id })
        .from(patients)
        .where(eq(patients.mrn, byMrn.value))
        .get();
      if (!row || (id !== undefined && id !== row.id)) return [];
      id = row.id;
    }
    return id !== undefined && mayOpen(caller, id, action) ? [id] : [];
  }
  if (search.patient === undefined) {
    throw new SearchError(`patient: required for ${type} searches (one patient at a time)`);
  }
  return mayOpen(caller, search.patient, action) ? [search.patient] : [];
}

const BULK_EXPORT_DEFINITION = 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export';

export const CAPABILITY_PATH = `${FHIR_BASE}/metadata`;

export function capabilityStatement(now: Date): CapabilityStatement {
  const tokenParam = (name: string, documentation: string) => ({
    name,
    type: 'token' as const,
    documentation,
  });
  const paramsOf = (type: FhirType) =>
    SEARCH_PARAMS[type].map((name) => {
      switch (name) {
        case 'patient':
          return {
            name,
            type: 'reference' as const,
            documentation: 'Required: Patient/{id} or {id}',
          };
        case 'date':
          return {
            name,
            type: 'date' as const,
            documentation: 'eq, ge, gt, le, lt; a date without a time is the UTC day',
          };
        case '_id':
          return tokenParam(name, 'The patient id');
        case 'identifier':
          return tokenParam(name, `The MRN, as value or ${MRN_SYSTEM}|value`);
        case 'code':
          return tokenParam(name, 'system|code or code; comma-separated codes match any');
        default:
          return tokenParam(name, 'system|code or code');
      }
    });
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: now.toISOString(),
    kind: 'instance',
    software: { name: 'OssiWatch' },
    implementation: { description: 'OssiWatch FHIR R4, read-only (docs/fhir.md)', url: FHIR_BASE },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          description:
            "The OssiWatch session cookie of a nurse, therapist or physician, or a system token as `Authorization: Bearer` (docs/fhir.md); only patients on their wards, or the token's.",
        },
        resource: (Object.keys(SEARCH_PARAMS) as FhirType[]).map((type) => ({
          type,
          interaction: [{ code: 'read' as const }, { code: 'search-type' as const }],
          searchParam: [
            ...paramsOf(type),
            { name: '_count', type: 'number' as const, documentation: 'Page size, at most 1000' },
          ],
          ...(type === 'Patient'
            ? {
                operation: [
                  {
                    name: 'everything',
                    definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
                  },
                ],
              }
            : {}),
        })),
        // Bulk Data Access IG: system-level and Group (= ward) export, async (bulk-export.ts).
        operation: [{ name: 'export', definition: BULK_EXPORT_DEFINITION }],
      },
    ],
  };
}

/** Any error of a FHIR request as its OperationOutcome (a 500 says nothing of the cause). */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
): FastifyReply {
  if (error instanceof FhirError) {
    return send(reply, error.status, operationOutcome(error.code, error.message), error.headers);
  }
  if (error instanceof SearchError) {
    return send(reply, 400, operationOutcome('invalid', error.message));
  }
  request.log.error({ err: error }, 'FHIR request failed');
  return send(
    reply,
    500,
    operationOutcome('exception', 'The server could not complete this request.'),
  );
}

/** Registers the FHIR routes; every answer is FHIR JSON, every error an OperationOutcome. */
export function registerFhir(app: FastifyInstance, options: FhirOptions): void {
  const { db, now } = options;

  const handle =
    (work: (request: FastifyRequest) => Resource) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await send(reply, 200, work(request));
      } catch (error) {
        return sendError(request, reply, error);
      }
    };

  app.get(
    CAPABILITY_PATH,
    handle(() => capabilityStatement(now())),
  );

  app.get(
    `${FHIR_BASE}/Patient/:id/$everything`,
    handle((request) => {
      const action = 'fhir.Patient.$everything';
      const caller = resolveCaller(request, options, action);
      const { id } = request.params as { id: string };
      const patientId = locate(db, 'Patient', id, now())?.patientId;
      if (patientId === undefined || !mayOpen(caller, patientId, action)) {
        throw notOpenable(caller, `Patient/${id}`);
      }
      // Only _count and _offset: the whole record, paged.
      const search = parseSearch(
        '$everything',
        request.query as Record<string, string | string[]>,
        [],
      );
      const at = now();
      const everything = (Object.keys(LOADERS) as FhirType[]).flatMap((type) =>
        LOADERS[type](db, patientId, at),
      );
      auditFhirRead(caller, action, patientId, { resources: everything.length });
      return present(caller, searchset(request, `Patient/${id}/$everything`, search, everything));
    }),
  );

  app.get(
    `${FHIR_BASE}/:type`,
    handle((request) => {
      const { type } = request.params as { type: string };
      if (!isFhirType(type)) {
        throw new FhirError(404, 'not-supported', `${type}: not a resource type served here`);
      }
      const action = `fhir.${type}.search`;
      // Role and ward checks before the parameters are looked at (PRODUCT §6).
      const caller = resolveCaller(request, options, action);
      const search = parseSearch(
        type,
        request.query as Record<string, string | string[]>,
        SEARCH_PARAMS[type],
      );
      const at = now();
      const matches: Resource[] = [];
      for (const patientId of searchedPatients(caller, type, search, action)) {
        const found = LOADERS[type](db, patientId, at).filter((resource) =>
          matchesSearch(resource, search),
        );
        auditFhirRead(caller, action, patientId, { resources: found.length });
        matches.push(...found);
      }
      return present(caller, searchset(request, type, search, matches));
    }),
  );

  app.get(
    `${FHIR_BASE}/:type/:id`,
    handle((request) => {
      const { type, id } = request.params as { type: string; id: string };
      if (!isFhirType(type)) {
        throw new FhirError(404, 'not-supported', `${type}: not a resource type served here`);
      }
      const action = `fhir.${type}.read`;
      const caller = resolveCaller(request, options, action);
      const target = locate(db, type, id, now());
      const patientId = target?.patientId;
      if (patientId === undefined) {
        auditFhirDenied(caller, action, {
          reason: 'unknown id',
          id: `${type}/${id}`.slice(0, 100),
        });
        throw notOpenable(caller, `${type}/${id}`);
      }
      if (!mayOpen(caller, patientId, action)) throw notOpenable(caller, `${type}/${id}`);
      const resource = target?.load();
      // A superseded row (served through its amendment) or a patient without an assessment.
      if (!resource) throw notOpenable(caller, `${type}/${id}`);
      auditFhirRead(caller, action, patientId, { id: `${type}/${id}` });
      return present(caller, resource);
    }),
  );

  // Anything else under the base (other interactions, deeper paths): FHIR's 404, not the web app.
  const unsupported = handle((request) => {
    throw new FhirError(
      request.method === 'GET' ? 404 : 405,
      'not-supported',
      `${request.method} ${request.url.split('?', 1)[0] ?? ''}: not supported (read-only FHIR R4)`,
    );
  });
  app.all(FHIR_BASE, unsupported);
  app.all(`${FHIR_BASE}/*`, unsupported);
}
