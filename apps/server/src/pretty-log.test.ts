import { describe, expect, it } from 'vitest';
import { prettyLogLine } from './pretty-log.ts';

describe('prettyLogLine', () => {
  it('turns a pino JSON line into one line of words with a UTC clock', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 11, 6, 12, 4, 31),
      msg: 'the checkpoint thread stopped',
      err: { message: 'disk full' },
      reqId: 'req-1',
    });
    expect(prettyLogLine(line)).toBe(
      '12:04:31 UTC WARN the checkpoint thread stopped (disk full)\n',
    );
  });
  it('passes through a line that is not JSON', () => {
    expect(prettyLogLine('plain text')).toBe('plain text\n');
  });
});
