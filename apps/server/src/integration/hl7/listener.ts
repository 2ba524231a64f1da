/**
 * The MLLP listener (CR §8b framing): off unless OSSIWATCH_MLLP_PORT is set; bound to HOST; only
 * peers in OSSIWATCH_MLLP_ALLOW may connect. @medplum/hl7's Hl7Connection reads the frames and writes
 * the ACKs; this module guards the socket (frame size, framing) and hands each message to apply.ts.
 */
import { BlockList, isIP, Server, type Socket } from 'node:net';
import { Hl7Connection, type Hl7ErrorEvent, type Hl7MessageEvent } from '@medplum/hl7';
import { ConfigError } from '../../config.ts';
import type { OssiwatchDb } from '../../db/client.ts';
import { receiveMessage } from './apply.ts';
import { ackFor, rejectUnreadable } from './message.ts';

/**
 * The largest frame accepted. Real ADT and ORU messages are a few kilobytes; a larger frame is not
 * for this receiver, and buffering it would let any peer fill the server's memory.
 */
export const MAX_FRAME_BYTES = 256 * 1024;

/** An idle connection is closed after this long (interface engines reconnect on demand). */
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

const VT = 0x0b;
const FS = 0x1c;
const FRAME_END = Buffer.from([FS, 0x0d]);

/**
 * OSSIWATCH_MLLP_ALLOW: comma-separated addresses or CIDR ranges (IPv4 or IPv6) of the interface
 * engines that may connect. Default: loopback only.
 */
export function parseAllowList(text: string | undefined): BlockList {
  const list = new BlockList();
  const entries = (text ?? '127.0.0.1/8,::1')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = '', prefixText] = entry.split('/');
    const family = isIP(address);
    if (family === 0)
      throw new ConfigError(`OSSIWATCH_MLLP_ALLOW: "${entry}" is not an address or CIDR range`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefixText === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const prefix = Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
      throw new ConfigError(`OSSIWATCH_MLLP_ALLOW: "${entry}" has no valid prefix length`);
    }
    list.addSubnet(address, prefix, type);
  }
  return list;
}

function allowed(list: BlockList, socket: Socket): boolean {
  const address = socket.remoteAddress;
  if (!address) return false;
  // An IPv4 peer on a dual-stack socket arrives as ::ffff:a.b.c.d.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return list.check(mapped[1], 'ipv4') || list.check(address, 'ipv6');
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

export interface MllpOptions {
  readonly port: number;
  readonly host: string;
  readonly allow: BlockList;
  readonly onError?: (error: unknown) => void;
}

export interface MllpListener {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Guards a socket before Hl7Connection reads it: a frame must start with VT, no frame may grow past
 * MAX_FRAME_BYTES, and a sender must wait for each ACK before the next frame (MLLP, CR §8b): bytes
 * after a frame's end in the same read are a second frame sent unanswered, which Hl7Connection
 * would not answer when the first is unreadable. Otherwise the connection is closed (nothing of the
 * unfinished frame was applied).
 */
function guard(socket: Socket): void {
  let frameBytes = 0;
  socket.on('data', (data: Buffer) => {
    if (frameBytes === 0 && data[0] !== VT) {
      socket.destroy();
      return;
    }
    const end = data.indexOf(FRAME_END);
    if (end !== -1 && end + FRAME_END.length < data.length) {
      socket.destroy();
      return;
    }
    frameBytes += data.length;
    if (frameBytes > MAX_FRAME_BYTES) {
      socket.destroy();
      return;
    }
    if (end !== -1) frameBytes = 0;
  });
}

export function startMllpListener(db: OssiwatchDb, options: MllpOptions): Promise<MllpListener> {
  const sockets = new Set<Socket>();
  const server = new Server((socket) => {
    if (!allowed(options.allow, socket)) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
    guard(socket);
    const connection = new Hl7Connection(socket);
    const peer = socket.remoteAddress ?? null;
    connection.addEventListener('message', (event: Hl7MessageEvent) => {
      const message = event.message;
      const raw = message.toString();
      // Enqueued in arrival order; the group commit applies them in that order and the ACKs follow.
      receiveMessage(db, raw, message, { peer })
        .then((outcome) => {
          if (socket.destroyed) return;
          connection.send(ackFor(message, outcome.ackCode, outcome.refusal));
        })
        .catch((error: unknown) => {
          options.onError?.(error);
          if (socket.destroyed) return;
          // Not stored (the database refused the commit): AE, so the engine sends it again.
          connection.send(
            ackFor(message, 'AE', {
              errorCode: 207,
              location: 'MSH-10',
              message: 'The message could not be stored; nothing was applied. Send it again.',
            }),
          );
        });
    });
    connection.addEventListener('error', (event: Hl7ErrorEvent) => {
      // A frame whose text is no HL7 message: AR, then the connection closes, because
      // Hl7Connection keeps the unreadable frame in its buffer and would read every later frame
      // behind it as part of it. Socket errors close the socket by themselves.
      if (socket.destroyed) return;
      const reason = event.error instanceof Error ? event.error.message : '';
      if (/Invalid HL7 message/i.test(reason)) {
        connection.send(rejectUnreadable('The frame holds no HL7 message (no MSH segment)'));
      }
      socket.end();
    });
  });
  server.maxConnections = 64;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : options.port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
