import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerConfig } from './config';

export type HttpLimits = ServerConfig['http'];

/** The response a connection is serving now (or served last); one property per socket. */
const CURRENT_RESPONSE = Symbol('gatehouse.currentResponse');
type ServingSocket = Socket & { [CURRENT_RESPONSE]?: ServerResponse };

/**
 * The listening server's limits against slow or greedy clients (RL-18) and the bookkeeping a
 * clean drain needs (RL-14). Applied by main.ts to the server Nest created, before it listens.
 */
export class HttpServerGuard {
  private readonly perAddress = new Map<string, number>();
  /**
   * Open connections, not open responses: a long-lived Set whose table lives in old space
   * allocates a new table there each time churn makes it grow or shrink. Added and removed per
   * request, that was a page fault per request and old-space garbage that brought mark-compacts,
   * each throwing away optimized code, under steady load. Per connection, keep-alive makes the
   * churn rare.
   */
  private readonly sockets = new Set<ServingSocket>();
  private draining = false;
  /** Connections refused because their address already had the maximum open. */
  refused = 0;

  constructor(
    private readonly server: Server,
    private readonly limits: HttpLimits,
  ) {
    // Explicit rather than Node's defaults: a client gets this long to send its headers, and its
    // whole request; an idle keep-alive connection is closed after keepAliveTimeout.
    server.headersTimeout = limits.headersTimeoutMs;
    server.requestTimeout = limits.requestTimeoutMs;
    server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    server.on('connection', (socket: Socket) => this.admit(socket));
    // First listener: marks the response before any handler can start writing it.
    server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => this.track(res));
  }

  /** From now on every response closes its connection, including those already in flight. */
  startDraining(): void {
    this.draining = true;
    // A finished response has sent its headers, so only those still in flight are changed.
    for (const socket of this.sockets) {
      const res = socket[CURRENT_RESPONSE];
      if (res) closeAfter(res);
    }
  }

  /**
   * Stops accepting connections and resolves once every connection has ended: idle ones are
   * closed now, busy ones after their response (which carries `Connection: close`).
   */
  close(): Promise<void> {
    this.startDraining();
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  /** One address may hold at most `maxConnectionsPerAddress` open connections; more are dropped at once. */
  private admit(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (this.perAddress.get(address) ?? 0) + 1;
    if (count > this.limits.maxConnectionsPerAddress) {
      this.refused += 1;
      socket.destroy();
      return;
    }
    this.perAddress.set(address, count);
    // Set before the first request, so every socket keeps one shape.
    (socket as ServingSocket)[CURRENT_RESPONSE] = undefined;
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    });
  }

  private track(res: ServerResponse): void {
    if (this.draining) closeAfter(res);
    const socket = res.socket as ServingSocket | null;
    if (socket) socket[CURRENT_RESPONSE] = res;
  }
}

/** Node then answers with `Connection: close` and ends the socket after this response. */
function closeAfter(res: ServerResponse): void {
  if (res.headersSent) return;
  res.shouldKeepAlive = false;
  res.setHeader('Connection', 'close');
}
