import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** What passed through the proxy. */
export interface ProxyLog {
  /** CONNECT tunnels opened, per `host:port`. */
  tunnels: Record<string, number>;
  /** Request lines seen inside plain-HTTP tunnels and absolute-URI requests: `GET /jwks`, per `host:port`. */
  requests: Array<{ target: string; method: string; path: string }>;
}

export interface ForwardProxy {
  url: string;
  log: ProxyLog;
  reset(): void;
  stop(): Promise<void>;
}

const REQUEST_LINE = /^(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH) (\S+) HTTP\/1\.[01]\r\n/;

/**
 * A tiny forward proxy on loopback for tests: CONNECT tunnels (what undici's ProxyAgent and
 * https-proxy-agent use) and absolute-URI HTTP requests. The targets in tests speak plain HTTP,
 * so request lines inside a tunnel are readable and logged: a test can tell which IdP endpoints
 * were reached through the proxy.
 */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const log: ProxyLog = { tunnels: {}, requests: [] };
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    // Absolute-URI form: GET http://host:port/path HTTP/1.1
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    log.requests.push({ target: target.host, method: req.method ?? 'GET', path: target.pathname });
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: target.pathname + target.search, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    log.tunnels[target] = (log.tunnels[target] ?? 0) + 1;
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      client.on('data', (chunk: Buffer) => {
        const line = REQUEST_LINE.exec(chunk.toString('latin1'));
        if (line) log.requests.push({ target, method: line[1], path: line[2].split('?')[0] });
      });
      client.pipe(upstream);
      upstream.pipe(client);
    });
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', drop);
    client.on('error', drop);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    reset() {
      log.tunnels = {};
      log.requests = [];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
