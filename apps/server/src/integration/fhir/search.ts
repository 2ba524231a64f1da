/**
 * The FHIR search parameters OssiWatch understands, parsed strictly: an unknown parameter or a value
 * that does not parse answers 400 naming it, rather than being ignored (ignoring a filter would hand
 * back more patient data than was asked for).
 */
import type { BundleLink, Coding, Resource } from '@medplum/fhirtypes';

export class SearchError extends Error {}

export interface TokenParam {
  readonly system?: string;
  readonly value: string;
}

/** One `date` bound: the instant range the value names, and the comparison. */
export interface DateParam {
  readonly prefix: 'eq' | 'ge' | 'gt' | 'le' | 'lt';
  /** Inclusive start and exclusive end of what the value names (a UTC day, or one instant). */
  readonly start: string;
  readonly end: string;
}

export interface Search {
  readonly patient?: number;
  readonly id?: number;
  readonly identifier?: TokenParam;
  /** `code=a,b`: any of them (FHIR's OR); several `code` parameters: each must match (AND). */
  readonly codes: readonly (readonly TokenParam[])[];
  readonly categories: readonly (readonly TokenParam[])[];
  readonly dates: readonly DateParam[];
  readonly count: number;
  readonly offset: number;
  /** The query as given, less the paging parameters, to build paging links. */
  readonly rest: readonly [string, string][];
}

export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 1000;

const ID = /^[1-9][0-9]{0,15}$/;

function positiveId(name: string, value: string): number {
  const stripped = name === 'patient' ? value.replace(/^Patient\//, '') : value;
  if (!ID.test(stripped)) {
    throw new SearchError(
      `${name}: "${value.slice(0, 40)}" is not a ${name === 'patient' ? 'Patient/{id} reference' : 'patient id'}`,
    );
  }
  return Number(stripped);
}

function token(value: string): TokenParam {
  const bar = value.indexOf('|');
  if (bar < 0) return { value };
  const system = value.slice(0, bar);
  return system === '' ? { value: value.slice(bar + 1) } : { system, value: value.slice(bar + 1) };
}

function tokens(name: string, value: string): TokenParam[] {
  const list = value.split(',').map(token);
  if (list.some((item) => item.value === '')) throw new SearchError(`${name}: a code is empty`);
  return list;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function date(value: string): DateParam {
  const match = /^(eq|ge|gt|le|lt)?(.*)$/.exec(value);
  const prefix = (match?.[1] ?? 'eq') as DateParam['prefix'];
  const text = match?.[2] ?? '';
  const problem = `date: "${value.slice(0, 40)}" is not [eq|ge|gt|le|lt]YYYY-MM-DD or a date-time with a zone`;
  if (DATE_ONLY.test(text)) {
    const start = new Date(`${text}T00:00:00.000Z`);
    if (!Number.isFinite(start.getTime())) throw new SearchError(problem);
    const end = new Date(start.getTime() + 86_400_000);
    return { prefix, start: start.toISOString(), end: end.toISOString() };
  }
  if (DATE_TIME.test(text)) {
    const at = new Date(text);
    if (!Number.isFinite(at.getTime())) throw new SearchError(problem);
    return { prefix, start: at.toISOString(), end: new Date(at.getTime() + 1).toISOString() };
  }
  throw new SearchError(problem);
}

function count(name: string, value: string, max: number): number {
  if (!/^\d{1,7}$/.test(value) || Number(value) > max) {
    throw new SearchError(
      `${name}: "${value.slice(0, 40)}" is not a whole number from 0 to ${max}`,
    );
  }
  return Number(value);
}

/** Parses a query; `allowed` are the type's parameters besides `_count` and `_offset`. */
export function parseSearch(
  type: string,
  query: Record<string, string | string[] | undefined>,
  allowed: readonly string[],
): Search {
  let patient: number | undefined;
  let id: number | undefined;
  let identifier: TokenParam | undefined;
  const codes: TokenParam[][] = [];
  const categories: TokenParam[][] = [];
  const dates: DateParam[] = [];
  let pageSize = DEFAULT_COUNT;
  let offset = 0;
  const rest: [string, string][] = [];
  for (const [name, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    const values = Array.isArray(raw) ? raw : [raw];
    if (name !== '_count' && name !== '_offset') {
      if (!allowed.includes(name)) {
        throw new SearchError(
          `${name.slice(0, 40)}: not a search parameter of ${type} here (supported: ${[...allowed, '_count'].join(', ')})`,
        );
      }
      for (const value of values) rest.push([name, value]);
    }
    const single = (): string => {
      if (values.length !== 1) throw new SearchError(`${name}: give it once`);
      return values[0] ?? '';
    };
    switch (name) {
      case '_count':
        pageSize = count(name, single(), MAX_COUNT);
        break;
      case '_offset':
        offset = count(name, single(), Number.MAX_SAFE_INTEGER);
        break;
      case 'patient':
        patient = positiveId(name, single());
        break;
      case '_id':
        id = positiveId(name, single());
        break;
      case 'identifier': {
        const value = token(single());
        if (value.value === '') throw new SearchError('identifier: the MRN is empty');
        identifier = value;
        break;
      }
      case 'code':
        for (const value of values) codes.push(tokens(name, value));
        break;
      case 'category':
        for (const value of values) categories.push(tokens(name, value));
        break;
      case 'date':
        for (const value of values) dates.push(date(value));
        break;
    }
  }
  return {
    ...(patient !== undefined ? { patient } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(identifier !== undefined ? { identifier } : {}),
    codes,
    categories,
    dates,
    count: pageSize,
    offset,
    rest,
  };
}

function codingsMatch(codings: readonly Coding[], wanted: readonly TokenParam[]): boolean {
  return wanted.some((want) =>
    codings.some(
      (coding) =>
        coding.code === want.value && (want.system === undefined || coding.system === want.system),
    ),
  );
}

type Searchable = Resource & {
  code?: { coding?: Coding[] };
  category?: { coding?: Coding[] }[];
  effectiveDateTime?: string;
};

function dateMatches(at: string | undefined, bound: DateParam): boolean {
  if (at === undefined) return false;
  const instant = new Date(at).toISOString();
  switch (bound.prefix) {
    case 'eq':
      return instant >= bound.start && instant < bound.end;
    case 'ge':
      return instant >= bound.start;
    case 'gt':
      return instant >= bound.end;
    case 'le':
      return instant < bound.end;
    case 'lt':
      return instant < bound.start;
  }
}

/** True when the resource meets every code, category and date condition of the search. */
export function matchesSearch(resource: Resource, search: Search): boolean {
  const item = resource as Searchable;
  const codings = item.code?.coding ?? [];
  const categoryCodings = (item.category ?? []).flatMap((concept) => concept.coding ?? []);
  return (
    search.codes.every((wanted) => codingsMatch(codings, wanted)) &&
    search.categories.every((wanted) => codingsMatch(categoryCodings, wanted)) &&
    search.dates.every((bound) => dateMatches(item.effectiveDateTime, bound))
  );
}

/** One page of the matches and the next / previous links (offset paging). */
export function pageOf<T>(
  matches: readonly T[],
  search: Search,
  base: string,
): { page: T[]; links: BundleLink[] } {
  const page = matches.slice(search.offset, search.offset + search.count);
  const url = (offset: number): string => {
    const params = new URLSearchParams(search.rest);
    params.set('_count', String(search.count));
    params.set('_offset', String(offset));
    return `${base}?${params.toString()}`;
  };
  const links: BundleLink[] = [];
  if (search.count > 0 && search.offset + search.count < matches.length) {
    links.push({ relation: 'next', url: url(search.offset + search.count) });
  }
  if (search.offset > 0) {
    links.push({ relation: 'previous', url: url(Math.max(0, search.offset - search.count)) });
  }
  return { page, links };
}
