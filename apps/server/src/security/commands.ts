/**
 * Command-line commands of the security part, in the shape `src/cli.ts` lists its commands, so the CLI
 * mounts them with one spread: `...securityCommands`.
 */
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { flushAudit } from '../audit.ts';
import { exportAudit, parseAuditExportArgs } from './audit-export.ts';
import { runAuditVerify } from './audit-verify.ts';

export const securityCommands = {
  'audit:verify': {
    summary: 'check the audit log hash chain; exit 0 when intact, 1 naming the first broken row',
    run: (
      _args: readonly string[],
      databasePath = readConfig().databasePath,
      out: { write(text: string): unknown } = process.stdout,
    ): number => {
      const db = openDatabase(databasePath);
      try {
        return runAuditVerify(db, out);
      } finally {
        db.$client.close();
      }
    },
  },
  'audit:export': {
    summary:
      'audit:export --by <name> --reason <why> [--patient <id>] [--from] [--to]: the audit rows with their values, as JSON lines (itself audited)',
    run: (
      args: readonly string[],
      databasePath = readConfig().databasePath,
      out: { write(text: string): unknown } = process.stdout,
      err: { write(text: string): unknown } = process.stderr,
      now: Date = new Date(),
    ): number => {
      const options = parseAuditExportArgs(args);
      if (typeof options === 'string') {
        err.write(`${options}\n`);
        return 64;
      }
      const db = openDatabase(databasePath);
      try {
        flushAudit(db);
        const count = exportAudit(db, options, now, out);
        err.write(
          `audit:export: ${count} row(s) exported for ${options.by}; the export is audited\n`,
        );
        return 0;
      } finally {
        db.$client.close();
      }
    },
  },
} as const;
