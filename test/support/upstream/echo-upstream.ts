import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface EchoUpstream {
  url: string;
  received: ReceivedRequest[];
  stop(): Promise<void>;
}

/**
 * A loopback upstream that records what reaches it and answers with it as JSON. `/redirect`
 * answers 302 to `redirectTo`, for the "tokens never follow a redirect" case.
 */
export async function startEchoUpstream(options: { redirectTo?: string } = {}): Promise<EchoUpstream> {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(entry);
      if (req.url?.includes('/redirect') && options.redirectTo) {
        res.writeHead(302, { location: options.redirectTo });
        res.end();
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json', 'set-cookie': 'upstream=1; Path=/', 'x-upstream': 'echo' });
      res.end(JSON.stringify(entry));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
