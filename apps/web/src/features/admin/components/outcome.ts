/**
 * What an admin form says after a save: success, or the server's refusal in words an administrator can
 * act on, with the field it names (so the form can point at it).
 */
import { errorCode } from '../../../trpc.ts';
import { adminProblemText, problemField } from '../admin.utils.ts';

export interface Outcome {
  readonly ok: boolean;
  readonly text: string;
  readonly field?: string | undefined;
}

export function failure(error: unknown): Outcome {
  const message = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    text: adminProblemText(errorCode(error), message),
    field: problemField(message),
  };
}
