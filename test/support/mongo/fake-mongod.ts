import * as net from 'node:net';
import mongoose from 'mongoose';

const { BSON } = mongoose.mongo;
const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

/**
 * What the "server" does with data commands. `ok`: empty answers. `stall`: the connection stays
 * open and the command is never answered (a hung primary). `failover`: replica-set failover
 * replies (NotWritablePrimary). Handshakes and monitoring (`hello`, `ping`) are always answered.
 */
export type FakeMongodMode = 'ok' | 'stall' | 'failover';

export interface FakeMongod {
  uri: string;
  mode: FakeMongodMode;
  /** Data commands received, by name, in order. */
  readonly commands: string[];
  /** The same commands' documents (collection, indexes, filters, …). */
  readonly documents: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * A loopback TCP server speaking just enough of MongoDB's wire protocol (OP_QUERY and OP_MSG
 * handshakes, OP_MSG commands) for the real driver to connect to it, so the driver's own timeout
 * and error paths can be exercised without a MongoDB server on the machine.
 */
export async function startFakeMongod(): Promise<FakeMongod> {
  const sockets = new Set<net.Socket>();
  const state: State = { mode: 'ok', commands: [], documents: [] };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 4 && buffer.length >= buffer.readInt32LE(0)) {
        const length = buffer.readInt32LE(0);
        handle(socket, buffer.subarray(0, length), state);
        buffer = buffer.subarray(length);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    uri: `mongodb://127.0.0.1:${port}/LibreChat?directConnection=true`,
    get mode() {
      return state.mode;
    },
    set mode(mode: FakeMongodMode) {
      state.mode = mode;
    },
    commands: state.commands,
    documents: state.documents,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

interface State {
  mode: FakeMongodMode;
  commands: string[];
  documents: Record<string, unknown>[];
}

function handle(socket: net.Socket, message: Buffer, state: State): void {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_QUERY) {
    // flags(4), cstring collection name, skip(4), limit(4), query document
    const nameEnd = message.indexOf(0, 20);
    const query = BSON.deserialize(message.subarray(nameEnd + 9));
    return reply(socket, requestId, OP_REPLY, answer(Object.keys(query)[0], state));
  }
  if (opCode !== OP_MSG) return;
  // flagBits(4), then a kind-0 section: the command document.
  if (message[20] !== 0) return;
  const command = BSON.deserialize(message.subarray(21, 21 + message.readInt32LE(21)));
  const name = Object.keys(command)[0];
  const response = answer(name, state);
  if (state.commands.length > state.documents.length) state.documents.push(command);
  if (response) reply(socket, requestId, OP_MSG, response);
}

function answer(name: string, state: State): Record<string, unknown> | null {
  const lower = name.toLowerCase();
  if (lower === 'hello' || lower === 'ismaster') {
    return {
      helloOk: true,
      ismaster: true,
      isWritablePrimary: true,
      maxWireVersion: 21,
      minWireVersion: 0,
      maxBsonObjectSize: 16777216,
      maxMessageSizeBytes: 48000000,
      maxWriteBatchSize: 100000,
      localTime: new Date(),
      logicalSessionTimeoutMinutes: 30,
      connectionId: 1,
      ok: 1,
    };
  }
  if (['ping', 'endsessions', 'buildinfo', 'getparameter'].includes(lower)) return { ok: 1 };
  state.commands.push(name);
  if (state.mode === 'stall') return null;
  if (state.mode === 'failover') return { ok: 0, code: 10107, codeName: 'NotWritablePrimary', errmsg: 'not primary' };
  if (lower === 'find' || lower === 'aggregate') return { cursor: { id: BSON.Long.fromNumber(0), ns: 'LibreChat.x', firstBatch: [] }, ok: 1 };
  if (lower === 'findandmodify') return { value: null, lastErrorObject: { n: 0 }, ok: 1 };
  return { n: 0, ok: 1 };
}

function reply(socket: net.Socket, responseTo: number, opCode: number, doc: Record<string, unknown> | null): void {
  if (!doc) return;
  const body = Buffer.from(BSON.serialize(doc));
  const prefix =
    opCode === OP_REPLY
      ? (() => {
          const b = Buffer.alloc(20); // responseFlags, cursorID(8), startingFrom, numberReturned
          b.writeInt32LE(1, 16);
          return b;
        })()
      : Buffer.from([0, 0, 0, 0, 0]); // flagBits, section kind 0
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + prefix.length + body.length, 0);
  header.writeInt32LE(Math.floor(Math.random() * 1e9), 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(opCode, 12);
  socket.write(Buffer.concat([header, prefix, body]));
}
