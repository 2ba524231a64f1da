import path from 'node:path';

export type OssiwatchMode = 'demo' | 'production';

/** Server settings, read once from the environment (PRODUCT.md §6 "Running it"). */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly databasePath: string;
  readonly mode: OssiwatchMode;
  /** Where the built web app lives; served at `/` when present. */
  readonly webDistDir: string;
  /**
   * The HL7 v2 listener (PRODUCT §11): OSSIWATCH_MLLP_PORT turns it on; OSSIWATCH_MLLP_ALLOW lists
   * the peers (addresses or CIDR ranges) that may connect, loopback when unset.
   */
  readonly mllp?: { readonly port: number; readonly allow: string | undefined };
}

export class ConfigError extends Error {}

/** Reads PORT, HOST, DATABASE_PATH and OSSIWATCH_MODE; refuses a value it cannot use, by name. */
export function readConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): ServerConfig {
  const portText = env.PORT ?? '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, not "${portText}"`);
  }
  const modeText = env.OSSIWATCH_MODE ?? 'production';
  if (modeText !== 'demo' && modeText !== 'production') {
    throw new ConfigError(`OSSIWATCH_MODE must be "demo" or "production", not "${modeText}"`);
  }
  const mllpText = env.OSSIWATCH_MLLP_PORT;
  let mllp: ServerConfig['mllp'];
  if (mllpText !== undefined && mllpText !== '') {
    const mllpPort = Number(mllpText);
    if (!Number.isInteger(mllpPort) || mllpPort < 0 || mllpPort > 65535) {
      throw new ConfigError(
        `OSSIWATCH_MLLP_PORT must be a whole number from 0 to 65535, not "${mllpText}"`,
      );
    }
    mllp = { port: mllpPort, allow: env.OSSIWATCH_MLLP_ALLOW };
  }
  const databasePath = env.DATABASE_PATH ?? './data/ossiwatch.db';
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databasePath: databasePath === ':memory:' ? databasePath : path.resolve(cwd, databasePath),
    mode: modeText,
    webDistDir: path.resolve(import.meta.dirname, '../../web/dist'),
    ...(mllp ? { mllp } : {}),
  };
}
