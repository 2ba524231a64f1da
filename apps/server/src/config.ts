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
  const databasePath = env.DATABASE_PATH ?? './data/ossiwatch.db';
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databasePath: databasePath === ':memory:' ? databasePath : path.resolve(cwd, databasePath),
    mode: modeText,
    webDistDir: path.resolve(import.meta.dirname, '../../web/dist'),
  };
}
