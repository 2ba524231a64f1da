/**
 * System tokens from the command line: `token:create` (prints the token once), `token:list`,
 * `token:revoke`. The actor in the audit trail is `cli:<os user>`.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { readConfig } from '../../config.ts';
import { applyMigrations, openDatabase, type OssiwatchDb } from '../../db/client.ts';
import { createToken, listTokens, revokeToken, TokenError, type TokenAdmin } from './tokens.ts';

interface Out {
  write(text: string): unknown;
}

function cliAdmin(): TokenAdmin {
  let who = 'unknown';
  try {
    who = userInfo().username;
  } catch {
    // No passwd entry (a container): the CLI is still named as the actor.
  }
  return { userId: null, username: `cli:${who}`, clientIp: null };
}

function withDb(databasePath: string, err: Out, run: (db: OssiwatchDb) => number): number {
  const db = openDatabase(databasePath);
  applyMigrations(db);
  try {
    return run(db);
  } catch (error) {
    if (error instanceof TokenError) {
      err.write(`${error.message}\n`);
      return error.code === 'BAD_REQUEST' ? 64 : 1;
    }
    throw error;
  } finally {
    db.$client.close();
  }
}

/** Runs node's option parser, turning its own errors (an unknown flag) into a message. */
function tryParse<T>(parse: () => T): T | string {
  try {
    return parse();
  } catch (error) {
    return (error as Error).message;
  }
}

export const tokenCommands = {
  'token:create': {
    summary:
      'token:create --name NAME --scope fhir:read|fhir:read:no-identities [--ward ID]...: a system token for the FHIR API, printed once (no --ward: every ward)',
    run: (
      args: readonly string[],
      databasePath = readConfig().databasePath,
      out: Out = process.stdout,
      err: Out = process.stderr,
      now: Date = new Date(),
    ): number => {
      const usage =
        'usage: token:create --name NAME --scope fhir:read|fhir:read:no-identities [--ward ID]...';
      const parsed = tryParse(() =>
        parseArgs({
          args: [...args],
          allowPositionals: true,
          options: {
            name: { type: 'string' },
            scope: { type: 'string', multiple: true },
            ward: { type: 'string', multiple: true },
          },
        }),
      );
      if (typeof parsed === 'string' || parsed.positionals.length > 0) {
        err.write(`${typeof parsed === 'string' ? `${parsed}\n` : ''}${usage}\n`);
        return 64;
      }
      const { name, scope = [], ward = [] } = parsed.values;
      if (name === undefined || scope.length === 0) {
        err.write(`${usage}\n`);
        return 64;
      }
      const wardIds = ward.map((text) => (/^[0-9]{1,15}$/.test(text) ? Number(text) : NaN));
      if (wardIds.some((id) => !Number.isSafeInteger(id) || id < 1)) {
        err.write(`ward: a ward id is a positive whole number\n${usage}\n`);
        return 64;
      }
      return withDb(databasePath, err, (db) => {
        const created = createToken(db, cliAdmin(), now, { name, scopes: scope, wardIds });
        out.write(`${created.token}\n`);
        err.write(
          `token ${created.id} "${created.name}" (${scope.join(' ')}; ${
            wardIds.length > 0 ? `wards ${wardIds.join(', ')}` : 'every ward'
          }). It is shown only now: OssiWatch keeps only its hash.\n` +
            `Use it as: Authorization: Bearer <token>\n`,
        );
        return 0;
      });
    },
  },
  'token:list': {
    summary:
      'the system tokens: id, name, scopes, wards, created, last used, revoked (never the token)',
    run: (
      _args: readonly string[],
      databasePath = readConfig().databasePath,
      out: Out = process.stdout,
      err: Out = process.stderr,
    ): number =>
      withDb(databasePath, err, (db) => {
        const tokens = listTokens(db);
        if (tokens.length === 0) out.write('no system tokens\n');
        for (const t of tokens) {
          out.write(
            [
              `#${t.id}`,
              t.name,
              t.scopes.join(' '),
              t.wardIds ? `wards ${t.wardIds.join(',')}` : 'every ward',
              `created ${t.createdAt} by ${t.createdBy}`,
              `last used ${t.lastUsedAt ?? 'never'}`,
              t.revokedAt ? `REVOKED ${t.revokedAt} by ${t.revokedBy ?? ''}` : 'active',
            ].join('\t') + '\n',
          );
        }
        return 0;
      }),
  },
  'token:revoke': {
    summary: 'token:revoke --id N | --name NAME: revoke a system token at once',
    run: (
      args: readonly string[],
      databasePath = readConfig().databasePath,
      out: Out = process.stdout,
      err: Out = process.stderr,
      now: Date = new Date(),
    ): number => {
      const usage = 'usage: token:revoke --id N | --name NAME';
      const parsed = tryParse(() =>
        parseArgs({
          args: [...args],
          allowPositionals: true,
          options: { id: { type: 'string' }, name: { type: 'string' } },
        }),
      );
      if (typeof parsed === 'string' || parsed.positionals.length > 0) {
        err.write(`${typeof parsed === 'string' ? `${parsed}\n` : ''}${usage}\n`);
        return 64;
      }
      const { id, name } = parsed.values;
      if ((id === undefined) === (name === undefined)) {
        err.write(`${usage}\n`);
        return 64;
      }
      if (id !== undefined && !/^[1-9][0-9]{0,14}$/.test(id)) {
        err.write(`id: a token id is a positive whole number\n${usage}\n`);
        return 64;
      }
      return withDb(databasePath, err, (db) => {
        const revoked = revokeToken(
          db,
          cliAdmin(),
          now,
          id !== undefined ? { id: Number(id) } : { name: name ?? '' },
        );
        out.write(`token ${revoked.id} "${revoked.name}" revoked at ${revoked.revokedAt ?? ''}\n`);
        return 0;
      });
    },
  },
} as const;
