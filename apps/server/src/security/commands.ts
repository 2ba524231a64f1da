/**
 * Command-line commands of the security part, in the shape `src/cli.ts` lists its commands, so the CLI
 * mounts them with one spread: `...securityCommands`.
 */
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
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
} as const;
