import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

describe('readConfig', () => {
  it('uses the documented defaults', () => {
    const config = readConfig({}, '/srv/ossiwatch');
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databasePath).toBe(path.resolve('/srv/ossiwatch/data/ossiwatch.db'));
    expect(config.mode).toBe('production');
  });

  it('reads PORT, HOST, DATABASE_PATH and OSSIWATCH_MODE', () => {
    const config = readConfig(
      { PORT: '4321', HOST: '0.0.0.0', DATABASE_PATH: '/var/lib/ow.db', OSSIWATCH_MODE: 'demo' },
      '/tmp',
    );
    expect(config).toMatchObject({
      port: 4321,
      host: '0.0.0.0',
      databasePath: '/var/lib/ow.db',
      mode: 'demo',
    });
  });

  it('refuses a port or mode it cannot use, naming the variable', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => readConfig({ OSSIWATCH_MODE: 'test' })).toThrow(/OSSIWATCH_MODE/);
  });
});
