import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunningApp } from '../../support/app.harness';
import { startEchoUpstream, type EchoUpstream } from '../../support/upstream/echo-upstream';
import { bearer, signUp, startAuthApp, type SignedInClient } from '../auth/auth-helpers';

function writeConfig(echo: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-forward-headers-'));
  const file = path.join(dir, 'librechat.yaml');
  fs.writeFileSync(
    file,
    `endpoints:
  custom:
    - name: identity
      baseURL: ${echo}/v1
      headers:
        X-User-ID: "{{LIBRECHAT_USER_ID}}"
        X-User-Email: "{{LIBRECHAT_USER_EMAIL}}"
        X-User-Role: "{{LIBRECHAT_USER_ROLE}}"
        X-Region: "\${UPSTREAM_REGION}"
    - name: tenant
      baseURL: ${echo}/tenant
      forwardHeaders: [X-Tenant, traceparent]
mcpServers:
  tools:
    type: streamable-http
    url: ${echo}/mcp
    headers:
      x-user-id: "{{LIBRECHAT_USER_ID}}"
`,
  );
  return file;
}

describe('headers forwarded to upstreams (TR-11)', () => {
  let app: RunningApp;
  let upstream: EchoUpstream;
  let alice: SignedInClient;

  beforeAll(async () => {
    upstream = await startEchoUpstream();
    app = await startAuthApp({ CONFIG_PATH: writeConfig(upstream.url), UPSTREAM_REGION: 'eu-west-1' });
    await signUp(app, 'first-admin@example.com');
    alice = await signUp(app, 'alice@example.com');
  });
  afterAll(async () => {
    await app?.stop();
    await upstream?.stop();
  });

  async function forward(pathName: string, headers: Record<string, string>) {
    const res = await alice.http.get(pathName, { headers: { ...headers, ...bearer(alice.token).headers } });
    expect(res.status).toBe(201);
    return res.body.headers as Record<string, string | undefined>;
  }

  it.each(['X-User-ID', 'x-user-id', 'X-USER-ID', 'x-User-Id'])('TR-11 a caller header %s cannot spoof the configured identity headers', async (spelling) => {
    const received = await forward('/api/endpoints/identity/chat', {
      [spelling]: 'victim-id',
      [spelling.replace(/id$/i, (m) => (m === 'ID' ? 'EMAIL' : 'email'))]: 'victim@example.com',
      'X-User-Role': 'ADMIN',
      'x-region': 'attacker-region',
    });
    expect(received['x-user-id']).toBe(alice.user.id);
    expect(received['x-user-email']).toBe('alice@example.com');
    expect(received['x-user-role']).toBe('USER');
    expect(received['x-region']).toBe('eu-west-1');
  });

  it('TR-11 only allow-listed caller headers reach the upstream by default', async () => {
    const received = await forward('/api/endpoints/identity/chat', {
      accept: 'application/json',
      'accept-language': 'de',
      'user-agent': 'librechat-test',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      'x-request-id': 'req-1',
      'x-tenant': 'other-tenant',
      'x-admin': 'true',
      'x-real-ip': '203.0.113.1',
      'x-forwarded-for': '203.0.113.1',
    });
    expect(received).toMatchObject({
      accept: 'application/json',
      'accept-language': 'de',
      'user-agent': 'librechat-test',
      traceparent: expect.stringMatching(/^00-/),
      'x-request-id': 'req-1',
    });
    for (const dropped of ['x-tenant', 'x-admin', 'x-real-ip', 'x-forwarded-for', 'authorization', 'cookie']) expect(received[dropped]).toBeUndefined();

    // MCP servers also get their transport's session headers; a header configured in lower case
    // still replaces the caller's.
    const mcp = await forward('/api/mcp/tools', {
      'X-USER-ID': 'victim-id',
      'mcp-session-id': 'session-1',
      'mcp-protocol-version': '2025-06-18',
      'x-tenant': 'other-tenant',
    });
    expect(mcp).toMatchObject({ 'x-user-id': alice.user.id, 'mcp-session-id': 'session-1', 'mcp-protocol-version': '2025-06-18' });
    expect(mcp['x-tenant']).toBeUndefined();
  });

  it('TR-11 forwardHeaders in the upstreams file sets the allow-list of one upstream', async () => {
    const received = await forward('/api/endpoints/tenant/x', {
      'x-tenant': 'acme',
      traceparent: '00-abc-def-01',
      'accept-language': 'de',
      'x-user-id': 'victim-id',
    });
    expect(received['x-tenant']).toBe('acme');
    expect(received.traceparent).toBe('00-abc-def-01');
    expect(received['accept-language']).not.toBe('de');
    expect(received['x-user-id']).toBeUndefined();
    // The body's own Content-Type goes with it even where the list does not name it.
    const posted = await alice.http.post('/api/endpoints/tenant/x', { json: { a: 1 }, headers: bearer(alice.token).headers });
    expect(posted.body.headers['content-type']).toMatch(/^application\/json/);
    expect(posted.body.body).toBe('{"a":1}');
  });

  it('TR-11 a JSON body arrives re-serialised with its content type', async () => {
    const res = await alice.http.post('/api/endpoints/identity/chat', {
      json: { conversationId: 'c1' },
      headers: { ...bearer(alice.token).headers, 'x-user-id': 'victim-id' },
    });
    expect(res.status).toBe(201);
    expect(res.body.body).toBe('{"conversationId":"c1"}');
    expect(res.body.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.headers['x-user-id']).toBe(alice.user.id);
  });
});
