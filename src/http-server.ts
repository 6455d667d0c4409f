import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerConfig } from './config';

export type HttpLimits = ServerConfig['http'];

/**
 * The listening server's limits against slow or greedy clients (RL-18) and the bookkeeping a
 * clean drain needs (RL-14). Applied by main.ts to the server Nest created, before it listens.
 */
export class HttpServerGuard {
  private readonly perAddress = new Map<string, number>();
  private readonly open = new Set<ServerResponse>();
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
    for (const res of this.open) closeAfter(res);
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
    socket.once('close', () => {
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    });
  }

  private track(res: ServerResponse): void {
    if (this.draining) closeAfter(res);
    this.open.add(res);
    res.once('close', () => this.open.delete(res));
  }
}

/** Node then answers with `Connection: close` and ends the socket after this response. */
function closeAfter(res: ServerResponse): void {
  if (res.headersSent) return;
  res.shouldKeepAlive = false;
  res.setHeader('Connection', 'close');
}
