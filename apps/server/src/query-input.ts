/**
 * The `json` of a GET's `?input=`, when the query is exactly one `input` holding superjson's
 * `{"json": …}` envelope of at most `maxLength` characters; undefined for anything else. The paths
 * served beside tRPC's own handler (the board's fast path, the live streams) accept only this exact
 * shape and otherwise hand the request to tRPC, whose answers (and errors) then apply.
 */
export function superjsonQueryInput(query: unknown, maxLength: number): unknown {
  if (typeof query !== 'object' || query === null) return undefined;
  const keys = Object.keys(query);
  if (keys.length !== 1 || keys[0] !== 'input') return undefined;
  const text = (query as { input?: unknown }).input;
  if (typeof text !== 'string' || text.length > maxLength) return undefined;
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof envelope !== 'object' || envelope === null) return undefined;
  const envelopeKeys = Object.keys(envelope);
  if (envelopeKeys.length !== 1 || envelopeKeys[0] !== 'json') return undefined;
  return (envelope as { json: unknown }).json;
}
