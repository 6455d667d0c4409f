import * as net from 'node:net';
import Redis, { ReplyError } from 'ioredis';
import { StoreUnavailableError, isStoreUnavailable, unavailableStore } from './store-errors';

/** The error a real ioredis call rejects with. */
async function rejectionOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('the call was expected to fail');
    },
    (error: unknown) => error,
  );
}

/** A TCP server that accepts connections and never answers (a hung Redis). */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function unusedPort(): Promise<number> {
  const server = await silentServer();
  await server.close();
  return server.port;
}

describe('isStoreUnavailable', () => {
  it('RL-21 treats replica-set failover and shutdown replies, pool waits and operation timeouts as unavailable', () => {
    const serverError = (code: number, codeName: string) => Object.assign(new Error(codeName), { name: 'MongoServerError', code, codeName });
    for (const [code, codeName] of [
      [10107, 'NotWritablePrimary'],
      [13435, 'NotPrimaryNoSecondaryOk'],
      [189, 'PrimarySteppedDown'],
      [91, 'ShutdownInProgress'],
      [11600, 'InterruptedAtShutdown'],
      [11602, 'InterruptedDueToReplStateChange'],
    ] as const) {
      expect(isStoreUnavailable(serverError(code, codeName))).toBe(true);
    }
    expect(isStoreUnavailable(Object.assign(new Error('x'), { name: 'MongoWriteConcernError', codeName: 'PrimarySteppedDown' }))).toBe(true);
    expect(isStoreUnavailable(Object.assign(new Error('x'), { name: 'MongoWaitQueueTimeoutError' }))).toBe(true);
    expect(isStoreUnavailable(Object.assign(new Error('x'), { name: 'MongoOperationTimeoutError' }))).toBe(true);
    // Bad input stays a bad input: duplicate keys, validation, and the same codes from non-Mongo errors.
    expect(isStoreUnavailable(serverError(11000, 'DuplicateKey'))).toBe(false);
    expect(isStoreUnavailable(serverError(2, 'BadValue'))).toBe(false);
    expect(isStoreUnavailable(Object.assign(new Error('x'), { code: 91 }))).toBe(false);
  });

  it('recognises the wrapper, MongoDB and SQLite failures', () => {
    expect(isStoreUnavailable(new StoreUnavailableError())).toBe(true);
    expect(isStoreUnavailable(Object.assign(new Error('x'), { name: 'MongoNetworkError' }))).toBe(true);
    expect(isStoreUnavailable(Object.assign(new Error('x'), { code: 'SQLITE_BUSY' }))).toBe(true);
  });

  describe('RL-01 ioredis failures (real client errors, no server needed)', () => {
    it('a command while disconnected with the offline queue off', async () => {
      const client = new Redis({ port: await unusedPort(), lazyConnect: true, enableOfflineQueue: false });
      try {
        expect(isStoreUnavailable(await rejectionOf(client.get('k')))).toBe(true);
      } finally {
        client.disconnect();
      }
    });

    it('a queued command flushed when the connection attempt fails (MaxRetriesPerRequestError)', async () => {
      const client = new Redis({ port: await unusedPort(), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 60_000 });
      client.on('error', () => undefined);
      try {
        const error = await rejectionOf(client.get('k'));
        expect((error as Error).name).toBe('MaxRetriesPerRequestError');
        expect(isStoreUnavailable(error)).toBe(true);
      } finally {
        client.disconnect();
      }
    });

    it('a command on a closed client', async () => {
      const client = new Redis({ port: await unusedPort(), lazyConnect: true });
      client.disconnect();
      const error = await rejectionOf(client.get('k'));
      expect((error as Error).message).toMatch(/Connection is closed/);
      expect(isStoreUnavailable(error)).toBe(true);
    });

    it('a command the server never answers (commandTimeout)', async () => {
      const server = await silentServer();
      const client = new Redis({ port: server.port, lazyConnect: true, enableReadyCheck: false, commandTimeout: 100, maxRetriesPerRequest: 0 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const error = await rejectionOf(client.get('k'));
        expect((error as Error).message).toBe('Command timed out');
        expect(isStoreUnavailable(error)).toBe(true);
      } finally {
        client.disconnect();
        await server.close();
      }
    });

    it('replies of a server that is up but cannot serve, and not other replies', () => {
      expect(isStoreUnavailable(new ReplyError('LOADING Redis is loading the dataset in memory'))).toBe(true);
      expect(isStoreUnavailable(new ReplyError("READONLY You can't write against a read only replica."))).toBe(true);
      expect(isStoreUnavailable(new ReplyError("OOM command not allowed when used memory > 'maxmemory'."))).toBe(true);
      // Errors in the request itself are bugs, not outages: they must stay 500s.
      expect(isStoreUnavailable(new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
      expect(isStoreUnavailable(new ReplyError('ERR Error running script'))).toBe(false);
      expect(isStoreUnavailable(new Error('LOADING is only special in a Redis reply'))).toBe(false);
    });
  });

  it('ignores ordinary errors and non-errors', () => {
    expect(isStoreUnavailable(new Error('boom'))).toBe(false);
    expect(isStoreUnavailable(new TypeError('kv key k does not hold a counter'))).toBe(false);
    expect(isStoreUnavailable('Connection is closed.')).toBe(false);
    expect(isStoreUnavailable(null)).toBe(false);
  });
});

describe('unavailableStore', () => {
  it('names the backend of a recognised outage, as a bounded label', () => {
    expect(unavailableStore(new StoreUnavailableError('Redis unavailable: x', { store: 'redis' }))).toBe('redis');
    expect(unavailableStore(Object.assign(new Error('x'), { name: 'MongoServerSelectionError' }))).toBe('mongo');
    expect(unavailableStore(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBe('sqlite');
    expect(unavailableStore(new TypeError('The database connection is not open'))).toBe('sqlite');
    expect(unavailableStore(new Error('Connection is closed.'))).toBe('redis');
    expect(unavailableStore(new StoreUnavailableError())).toBe('unknown');
  });
});
