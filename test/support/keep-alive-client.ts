import * as http from 'node:http';

export interface KeepAliveAnswer {
  status: number;
  connection: string | undefined;
  /** Whether the request went out on a socket that had served an earlier request. */
  reused: boolean;
}

/**
 * A client on one persistent connection at a time (node:http Agent, keepAlive, one socket), as a
 * reverse proxy or a browser holds them. Errors keep their code (ECONNRESET, ECONNREFUSED, ...).
 */
export class KeepAliveClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    private readonly base: string,
    private readonly localAddress?: string,
  ) {}

  request(method: string, path: string, body?: unknown): Promise<KeepAliveAnswer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${this.base}${path}`,
        {
          method,
          agent: this.agent,
          localAddress: this.localAddress,
          headers: payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {},
        },
        (res) => {
          res.resume();
          res.once('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, reused: req.reusedSocket }));
          res.once('error', reject);
        },
      );
      req.once('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
