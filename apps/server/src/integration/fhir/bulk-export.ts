/**
 * FHIR Bulk Data Access export (HL7 Bulk Data IG 2.0, the async request pattern), behind the same
 * walls as the reads in routes.ts: the same caller (auth.ts resolveCaller), clinical roles only, the caller's own
 * wards.
 *
 * - `GET /fhir/R4/Group/{wardId}/$export` exports the patients of one ward (the Group is the ward);
 *   `GET /fhir/R4/$export` the patients of all the caller's wards. Both need `Prefer: respond-async`
 *   and answer 202 with `Content-Location` naming a status URL.
 * - The status URL answers 202 with `X-Progress` while the job runs, then 200 with the manifest; a
 *   DELETE cancels the job and deletes its files.
 * - The NDJSON files (one per resource type) are served only to the caller who started the job.
 *
 * Jobs run in this process, one resource type of one patient at a time, yielding the event loop
 * (setImmediate) every 15 ms, so requests keep being answered while an export runs. The files live in
 * `{database file}-fhir-export/`, readable by the server's user only, and are deleted when the job
 * expires (EXPORT_TTL_MS after it finished), is cancelled, or the server stops or restarts (jobs do not
 * survive a restart: the client starts again).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OperationOutcome } from '@medplum/fhirtypes';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  auditFhirDenied,
  auditFhirRead,
  coversWard,
  latestWard,
  patientsOnWards,
  present,
  resolveCaller,
  type FhirCaller,
} from './auth.ts';
import { FhirError } from './errors.ts';
import {
  FHIR_BASE,
  LOADERS,
  SEARCH_PARAMS,
  send,
  sendError,
  type FhirOptions,
  type FhirType,
} from './routes.ts';

/** A finished job's files are kept this long, then deleted (docs/fhir.md). */
export const EXPORT_TTL_MS = 60 * 60 * 1000;
/** A caller may hold this many jobs (running or finished, not yet expired or deleted) at once. */
export const MAX_JOBS_PER_CALLER = 3;
/** How long, and for how many patients, one slice of a running job holds the event loop. */
const SLICE_MS = 15;
const SLICE_PATIENTS = 20;
const SWEEP_INTERVAL_MS = 60 * 1000;

const STATUS_PATH = `${FHIR_BASE}/bulk-status`;
const FILES_PATH = `${FHIR_BASE}/bulk-files`;
const NDJSON = 'application/fhir+ndjson';
/** The output formats the IG names for NDJSON; anything else is refused. */
const OUTPUT_FORMATS = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'];
/** Kick-off parameters of the IG that OssiWatch does not support: refused by name, never ignored. */
const UNSUPPORTED = {
  _since:
    'OssiWatch keeps no last-changed time for each record, so it cannot tell what changed since then; export without _since',
  _typeFilter: 'not supported; use _type and filter the files',
  _elements: 'not supported; every resource is exported whole',
  patient: 'not supported; export the Group (ward) instead',
  includeAssociatedData: 'not supported',
  _outputFormat: '',
  _type: '',
} as const;

type JobState = 'running' | 'complete' | 'failed';

interface ExportJob {
  readonly id: string;
  /** Who may poll, download and delete: the caller who started it. */
  readonly owner: string;
  readonly caller: FhirCaller;
  readonly action: string;
  readonly request: string;
  readonly base: string;
  readonly transactionTime: string;
  readonly types: readonly FhirType[];
  /** The wards exported: one (a Group), the caller's, or all of them for a token of every ward. */
  readonly wardIds: readonly number[] | 'all';
  readonly patientIds: readonly number[];
  readonly dir: string;
  readonly counts: Map<FhirType, number>;
  /** Patients finished; within the next one, the index of the next type and what it had so far. */
  done: number;
  typeIndex: number;
  patientResources: number;
  state: JobState;
  cancelled: boolean;
  expiresAt?: Date;
}

/**
 * Which caller a job belongs to. A person is their user id (a new session of the same person may go
 * on polling); a system token is its own key.
 */
function ownerOf(caller: FhirCaller): string {
  return caller.kind === 'person' ? `user:${caller.ctx.user.id}` : `token:${caller.token.id}`;
}

/**
 * The files' directory: beside the database file, or a private temporary one for `:memory:`. Made on
 * the first export only, so a server (or a test) that never exports leaves nothing behind.
 */
function exportRoot(databasePath: string): { path: () => string; remove: () => void } {
  // Named after the database file: two servers on two databases in one directory keep apart.
  const beside = databasePath === ':memory:' ? undefined : `${databasePath}-fhir-export`;
  // Files of a previous run belong to jobs nobody can poll any more.
  if (beside) fs.rmSync(beside, { recursive: true, force: true });
  let made: string | undefined;
  return {
    path: () => {
      if (made) return made;
      if (beside) fs.mkdirSync(beside, { recursive: true, mode: 0o700 });
      made = beside ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-fhir-export-'));
      return made;
    },
    remove: () => {
      if (made) fs.rmSync(made, { recursive: true, force: true });
      made = undefined;
    },
  };
}

function information(diagnostics: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'information', code: 'informational', diagnostics }],
  };
}

const notFound = (): FhirError =>
  new FhirError(
    404,
    'not-found',
    'No such export job of yours: it may have expired, been deleted, or never existed',
  );

/** The kick-off's `_type` (in the order types are served), or every type. */
function typesOf(query: Record<string, string | string[] | undefined>): FhirType[] {
  const all = Object.keys(SEARCH_PARAMS) as FhirType[];
  for (const name of Object.keys(query)) {
    if (!Object.hasOwn(UNSUPPORTED, name)) {
      throw new FhirError(
        400,
        'not-supported',
        `${name.slice(0, 40)}: not a parameter of $export here (supported: _type, _outputFormat)`,
      );
    }
    const reason = UNSUPPORTED[name as keyof typeof UNSUPPORTED];
    if (reason !== '') throw new FhirError(400, 'not-supported', `${name}: ${reason}`);
  }
  const single = (name: string): string | undefined => {
    const value = query[name];
    if (Array.isArray(value)) throw new FhirError(400, 'invalid', `${name}: give it once`);
    return value;
  };
  const format = single('_outputFormat');
  if (format !== undefined && !OUTPUT_FORMATS.includes(format)) {
    throw new FhirError(
      400,
      'invalid',
      `_outputFormat: "${format.slice(0, 40)}" is not supported (only ${NDJSON})`,
    );
  }
  const typeText = single('_type');
  if (typeText === undefined) return all;
  const wanted = typeText.split(',').map((type) => type.trim());
  for (const type of wanted) {
    if (!(all as string[]).includes(type)) {
      throw new FhirError(
        400,
        'invalid',
        `_type: "${type.slice(0, 40)}" is not a resource type served here (${all.join(', ')})`,
      );
    }
  }
  return all.filter((type) => wanted.includes(type));
}

/** Registers the kick-off, status, file and delete routes of the bulk export. */
export function registerBulkExport(app: FastifyInstance, options: FhirOptions): void {
  const { db, now } = options;
  const root = exportRoot(options.config.databasePath);
  const jobs = new Map<string, ExportJob>();

  const remove = (job: ExportJob): void => {
    job.cancelled = true;
    jobs.delete(job.id);
    fs.rmSync(job.dir, { recursive: true, force: true });
  };
  const sweep = (): void => {
    const at = now().getTime();
    for (const job of jobs.values()) {
      if (job.expiresAt && job.expiresAt.getTime() <= at) remove(job);
    }
  };
  const sweeper = setInterval(sweep, SWEEP_INTERVAL_MS);
  sweeper.unref();
  app.addHook('onClose', (_instance, done) => {
    clearInterval(sweeper);
    for (const job of jobs.values()) remove(job);
    root.remove();
    done();
  });

  /** The caller's own unexpired job, or a 404 that does not say whether it is someone else's. */
  const ownJob = (
    request: FastifyRequest,
    action: string,
  ): { job: ExportJob; caller: FhirCaller } => {
    const caller = resolveCaller(request, options, action);
    sweep();
    const { jobId } = request.params as { jobId: string };
    const job = jobs.get(jobId);
    if (!job || job.owner !== ownerOf(caller)) throw notFound();
    // Taken off the ward since the kick-off: the export is no longer theirs to read.
    const lost =
      job.wardIds === 'all'
        ? caller.wardIds === 'all'
          ? undefined
          : 'all'
        : job.wardIds.find((wardId) => !coversWard(caller, wardId));
    if (lost !== undefined) {
      throw new FhirError(403, 'forbidden', `You are no longer assigned to ward ${lost}`);
    }
    return { job, caller };
  };

  const finish = (job: ExportJob, state: JobState): void => {
    job.state = state;
    job.expiresAt = new Date(now().getTime() + EXPORT_TTL_MS);
  };

  /** One slice: patients until SLICE_MS has passed, their resources appended to the type's file. */
  const runSlice = (job: ExportJob): void => {
    if (job.cancelled) return;
    try {
      const started = performance.now();
      const lines = new Map<FhirType, string[]>();
      // A patient moved to another ward since the kick-off is no longer the caller's to export
      // (asked per patient as the slice reaches them: one indexed read, not the whole hospital's stays).
      const stillOnWards = (patientId: number): boolean => {
        const wardId = latestWard(db, patientId);
        return wardId !== undefined && (job.wardIds === 'all' || job.wardIds.includes(wardId));
      };
      const stop = Math.min(job.patientIds.length, job.done + SLICE_PATIENTS);
      // The unit of work is one type of one patient: a patient with years of readings would hold
      // the loop too long in one piece.
      while (job.done < stop && performance.now() - started < SLICE_MS) {
        const patientId = job.patientIds[job.done] as number;
        const type = job.types[job.typeIndex] as FhirType;
        if (job.typeIndex === 0 && !stillOnWards(patientId)) {
          job.done += 1;
          continue;
        }
        const found = LOADERS[type](db, patientId, now());
        if (found.length > 0) {
          const list = lines.get(type) ?? [];
          // Without identities (a token's scope), each resource as `present` gives it to that caller.
          for (const resource of found) list.push(JSON.stringify(present(job.caller, resource)));
          lines.set(type, list);
          job.counts.set(type, (job.counts.get(type) ?? 0) + found.length);
          job.patientResources += found.length;
        }
        job.typeIndex += 1;
        if (job.typeIndex === job.types.length) {
          auditFhirRead(job.caller, job.action, patientId, {
            job: job.id,
            resources: job.patientResources,
          });
          job.done += 1;
          job.typeIndex = 0;
          job.patientResources = 0;
        }
      }
      for (const [type, list] of lines) {
        fs.appendFileSync(path.join(job.dir, `${type}.ndjson`), `${list.join('\n')}\n`, {
          mode: 0o600,
        });
      }
      if (job.done < job.patientIds.length) {
        setImmediate(() => runSlice(job));
      } else {
        finish(job, 'complete');
      }
    } catch (error) {
      app.log.error({ err: error, job: job.id }, 'FHIR bulk export failed');
      finish(job, 'failed');
    }
  };

  const kickOff =
    (group: boolean) =>
    async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const action = group ? 'fhir.Group.$export' : 'fhir.$export';
      try {
        // Role and ward checks before the parameters are looked at (PRODUCT §6).
        const caller = resolveCaller(request, options, action);
        let wardIds: readonly number[] | 'all' = caller.wardIds;
        if (group) {
          const { id } = request.params as { id: string };
          const wardId = /^[1-9][0-9]{0,15}$/.test(id) ? Number(id) : undefined;
          if (wardId === undefined || !coversWard(caller, wardId)) {
            auditFhirDenied(caller, action, { reason: 'ward', group: id.slice(0, 40) });
            throw new FhirError(
              403,
              'forbidden',
              `Group/${id.slice(0, 40)}: you may export only the wards you are assigned to`,
            );
          }
          wardIds = [wardId];
        }
        const prefer = String(request.headers.prefer ?? '');
        if (!/(^|[,;\s])respond-async($|[,;\s])/.test(prefer)) {
          throw new FhirError(
            400,
            'invalid',
            'Prefer: respond-async is required (the export runs asynchronously)',
          );
        }
        const types = typesOf(request.query as Record<string, string | string[] | undefined>);
        sweep();
        const owner = ownerOf(caller);
        const held = [...jobs.values()].filter((job) => job.owner === owner).length;
        if (held >= MAX_JOBS_PER_CALLER) {
          throw new FhirError(
            429,
            'throttled',
            `You hold ${held} export jobs; delete one (DELETE its status URL) or wait until it expires`,
          );
        }
        const patientIds = patientsOnWards(db, wardIds);
        const id = randomUUID();
        const dir = path.join(root.path(), id);
        fs.mkdirSync(dir, { mode: 0o700 });
        const origin = `${request.protocol}://${request.headers.host ?? 'localhost'}`;
        const job: ExportJob = {
          id,
          owner,
          caller,
          action,
          request: `${origin}${request.url}`,
          base: `${origin}${FHIR_BASE}`,
          transactionTime: now().toISOString(),
          types,
          wardIds,
          patientIds,
          dir,
          counts: new Map(),
          done: 0,
          typeIndex: 0,
          patientResources: 0,
          state: 'running',
          cancelled: false,
        };
        jobs.set(id, job);
        // Who exported which ward(s), how many patients; each patient's read follows as it is exported.
        auditFhirRead(caller, action, null, {
          job: id,
          wardIds,
          patients: patientIds.length,
          types,
        });
        setImmediate(() => runSlice(job));
        return await send(
          reply.header('content-location', `${job.base}/bulk-status/${id}`),
          202,
          information(`Export of ${patientIds.length} patients started`),
        );
      } catch (error) {
        if (error instanceof FhirError && error.status === 429) reply.header('retry-after', '60');
        return sendError(request, reply, error);
      }
    };

  app.get(`${FHIR_BASE}/$export`, kickOff(false));
  app.get(`${FHIR_BASE}/Group/:id/$export`, kickOff(true));

  app.get(`${STATUS_PATH}/:jobId`, async (request, reply) => {
    try {
      const { job } = ownJob(request, 'fhir.$export.status');
      if (job.state === 'running') {
        return await reply
          .code(202)
          .header('x-progress', `${job.done} of ${job.patientIds.length} patients`)
          .header('retry-after', '1')
          .send();
      }
      if (job.state === 'failed') {
        throw new FhirError(500, 'exception', 'The export failed; start it again');
      }
      const manifest = {
        transactionTime: job.transactionTime,
        request: job.request,
        requiresAccessToken: true,
        output: job.types
          .filter((type) => (job.counts.get(type) ?? 0) > 0)
          .map((type) => ({
            type,
            url: `${job.base}/bulk-files/${job.id}/${type}.ndjson`,
            count: job.counts.get(type) ?? 0,
          })),
        error: [],
      };
      return await reply
        .code(200)
        .header('content-type', 'application/json; charset=utf-8')
        .header('expires', (job.expiresAt ?? now()).toUTCString())
        .send(JSON.stringify(manifest));
    } catch (error) {
      return sendError(request, reply, error);
    }
  });

  app.delete(`${STATUS_PATH}/:jobId`, async (request, reply) => {
    try {
      const { job } = ownJob(request, 'fhir.$export.delete');
      remove(job);
      return await send(reply, 202, information('The export job and its files are deleted'));
    } catch (error) {
      return sendError(request, reply, error);
    }
  });

  app.get(`${FILES_PATH}/:jobId/:file`, async (request, reply) => {
    try {
      const action = 'fhir.$export.file';
      const { job, caller } = ownJob(request, action);
      const { file } = request.params as { file: string };
      const type = job.types.find((candidate) => file === `${candidate}.ndjson`);
      if (job.state !== 'complete' || !type || (job.counts.get(type) ?? 0) === 0) {
        throw notFound();
      }
      auditFhirRead(caller, action, null, {
        job: job.id,
        type,
        resources: job.counts.get(type),
      });
      return await reply
        .code(200)
        .header('content-type', NDJSON)
        .send(fs.createReadStream(path.join(job.dir, file)));
    } catch (error) {
      return sendError(request, reply, error);
    }
  });
}
