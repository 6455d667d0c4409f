import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGraph {
  url: string;
  /** Bearer tokens of the getMemberObjects calls received, in order. */
  calls: string[];
  /** Group object ids the next calls answer with; a number answers that HTTP status instead. */
  answer: string[] | number;
  stop(): Promise<void>;
}

/**
 * Microsoft Graph is SaaS, so this is a fake in its documented shape
 * (`POST /v1.0/me/getMemberObjects` with `{ securityEnabledOnly }` → `{ value: [ids] }`) on loopback.
 */
export async function startFakeGraph(): Promise<FakeGraph> {
  const state: FakeGraph = { url: '', calls: [], answer: [], stop: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const auth = req.headers.authorization ?? '';
      if (req.method !== 'POST' || req.url !== '/v1.0/me/getMemberObjects') return send(404, { error: { code: 'Request_ResourceNotFound' } });
      if (!/^Bearer \S+$/.test(auth)) return send(401, { error: { code: 'InvalidAuthenticationToken' } });
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(400, { error: { code: 'BadRequest' } });
      }
      if (!body || typeof (body as { securityEnabledOnly?: unknown }).securityEnabledOnly !== 'boolean') return send(400, { error: { code: 'BadRequest' } });
      state.calls.push(auth.slice('Bearer '.length));
      if (typeof state.answer === 'number') return send(state.answer, { error: { code: 'serviceNotAvailable' } });
      send(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)', value: state.answer });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
