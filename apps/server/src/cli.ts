/**
 * `pnpm ossiwatch <command>`: operations from the command line. Reads the same environment as the
 * server (DATABASE_PATH, OSSIWATCH_MODE).
 */
import { backupCommand, restoreCommand } from './backup.ts';
import { ConfigError, readConfig } from './config.ts';
import { applyMigrations, openDatabase } from './db/client.ts';
import { hl7Commands } from './integration/hl7/commands.ts';
import { EvaluateUsageError, evaluateCommand } from './features/evaluation/command.ts';
import { tokenCommands } from './features/tokens/commands.ts';
import { securityCommands } from './security/commands.ts';
import { dataCommands } from './seed/commands.ts';

interface Command {
  readonly summary: string;
  readonly run: (args: readonly string[]) => number | Promise<number>;
}

const commands: Record<string, Command> = {
  ...dataCommands,
  ...securityCommands,
  ...hl7Commands,
  ...tokenCommands,
  migrate: {
    summary: 'apply the committed database migrations that have not run yet',
    run: () => {
      const config = readConfig();
      const db = openDatabase(config.databasePath);
      const applied = applyMigrations(db);
      db.$client.close();
      process.stdout.write(`${config.databasePath}: ${applied} migration(s) applied\n`);
      return 0;
    },
  },
  backup: {
    summary: 'backup <file>: online backup of the database (the server may keep running), checked',
    run: (args) => backupCommand(args, readConfig().databasePath),
  },
  evaluate: {
    summary:
      'evaluate [--seed N…] [--patients N] [--json file]: replay labelled synthetic cohorts through the HO watch and score the alarm burden (PRODUCT §3)',
    run: (args) => {
      try {
        return evaluateCommand(args);
      } catch (error) {
        if (
          error instanceof EvaluateUsageError ||
          (error instanceof TypeError && 'code' in error)
        ) {
          process.stderr.write(`ossiwatch: ${error.message}\n`);
          return 64;
        }
        throw error;
      }
    },
  },
  restore: {
    summary: 'restore <file>: replace the database with a checked backup (stop the server first)',
    run: (args) => restoreCommand(args, readConfig().databasePath),
  },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return [
    'usage: pnpm ossiwatch <command> [options]',
    '',
    'commands:',
    ...Object.entries(commands).map(
      ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
    ),
    '',
    'environment: DATABASE_PATH (default ./data/ossiwatch.db), OSSIWATCH_MODE (demo | production)',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name === undefined ? 64 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`unknown command "${name}"\n\n${help()}\n`);
    return 64;
  }
  return command.run(args);
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    const message =
      error instanceof ConfigError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`ossiwatch: ${message}\n`);
    process.exit(1);
  });
