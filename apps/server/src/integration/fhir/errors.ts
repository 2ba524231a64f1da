/** A FHIR answer other than 200: routes.ts sends it as an OperationOutcome with its headers. */
export type IssueCode =
  'login' | 'forbidden' | 'not-found' | 'invalid' | 'not-supported' | 'throttled' | 'exception';

export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly code: IssueCode,
    message: string,
    /** E.g. `WWW-Authenticate` on a 401 (RFC 7235 §3.1, RFC 6750 §3). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
