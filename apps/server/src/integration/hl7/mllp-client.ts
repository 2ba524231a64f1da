/**
 * A plain MLLP sender over TCP (CR §8b framing), for `pnpm ossiwatch hl7:send` and the tests: it
 * frames each message itself and reads the ACK bytes back, independent of the listener's library.
 */
import { connect, type Socket } from 'node:net';

const START = '\x0b';
const END = '\x1c\r';

export interface MllpSender {
  /** Sends one message (segments separated by \r) and resolves with the ACK text. */
  send(message: string, timeoutMs?: number): Promise<string>;
  /** Writes raw bytes (for tests of malformed input) and resolves with what comes back, if anything. */
  sendRaw(bytes: Buffer | string, timeoutMs?: number): Promise<string | null>;
  close(): void;
  readonly socket: Socket;
}

export function openMllp(host: string, port: number): Promise<MllpSender> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buffer = '';
    let waiter: ((frame: string | null) => void) | undefined;
    const frames: string[] = [];
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        const start = buffer.indexOf(START);
        const end = buffer.indexOf(END, start + 1);
        if (start === -1 || end === -1) break;
        frames.push(buffer.slice(start + 1, end));
        buffer = buffer.slice(end + END.length);
      }
      if (waiter && frames.length > 0) {
        const next = waiter;
        waiter = undefined;
        next(frames.shift() ?? null);
      }
    });
    socket.on('close', () => {
      const next = waiter;
      waiter = undefined;
      next?.(null);
    });
    const nextFrame = (timeoutMs: number): Promise<string | null> =>
      new Promise((done) => {
        const ready = frames.shift();
        if (ready !== undefined) {
          done(ready);
          return;
        }
        if (socket.destroyed) {
          done(null);
          return;
        }
        const timer = setTimeout(() => {
          waiter = undefined;
          done(null);
        }, timeoutMs);
        waiter = (frame) => {
          clearTimeout(timer);
          done(frame);
        };
      });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve({
        socket,
        async send(message, timeoutMs = 10_000) {
          socket.write(`${START}${message.replace(/\r?\n/g, '\r')}${END}`);
          const ack = await nextFrame(timeoutMs);
          if (ack === null) throw new Error('no ACK: the connection closed or timed out');
          return ack;
        },
        async sendRaw(bytes, timeoutMs = 2_000) {
          socket.write(bytes);
          return nextFrame(timeoutMs);
        },
        close() {
          socket.end();
          socket.destroy();
        },
      });
    });
  });
}

/** MSA-1, MSA-2 and ERR-8 of an ACK. */
export function ackFields(ack: string): { code: string; controlId: string; error: string | null } {
  const segments = ack.split('\r');
  const msa = segments.find((s) => s.startsWith('MSA|'))?.split('|') ?? [];
  const err = segments.find((s) => s.startsWith('ERR|'))?.split('|');
  return { code: msa[1] ?? '', controlId: msa[2] ?? '', error: err?.[8] ?? null };
}

/** Messages of a file: separated by blank lines or by a line starting with MSH. */
export function splitMessages(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const messages: string[][] = [];
  for (const line of lines) {
    if (line.trim() === '') {
      if (messages.at(-1)?.length) messages.push([]);
      continue;
    }
    if (line.startsWith('MSH') || messages.length === 0) messages.push([]);
    messages.at(-1)?.push(line);
  }
  return messages.filter((m) => m.length > 0).map((m) => m.join('\r'));
}
