import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IdpTokenVault } from '../../../src/storage';
import { freePort } from '../../support/free-port';
import { HttpClient } from '../../support/http';
import { decodeJwt } from '../../support/oidc';
import { ALICE_ACCOUNT, auth0Shape, browserLogin, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';
import { startEchoUpstream, type EchoUpstream } from '../../support/upstream/echo-upstream';
import { bearer, signUp } from '../auth/auth-helpers';

const API = 'https://api.gatehouse.test';

function writeConfig(echo: string, downPort: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-upstreams-'));
  const file = path.join(dir, 'librechat.yaml');
  fs.writeFileSync(
    file,
    `endpoints:
  custom:
    - name: echo
      baseURL: ${echo}/v1
      headers:
        Authorization: "Bearer {{LIBRECHAT_OPENID_ACCESS_TOKEN}}"
        X-User-Email: "{{LIBRECHAT_USER_EMAIL}}"
        X-User-ID: "{{LIBRECHAT_USER_ID}}"
        X-OpenID-Sub: "{{LIBRECHAT_OPENID_USER_ID}}"
        X-Conversation: "{{LIBRECHAT_BODY_CONVERSATIONID}}"
        X-Region: "\${UPSTREAM_REGION}"
    - name: down
      baseURL: http://127.0.0.1:${downPort}
mcpServers:
  tools:
    type: streamable-http
    url: ${echo}/mcp
    headers:
      X-User-ID: "{{LIBRECHAT_USER_ID}}"
`,
  );
  return file;
}

describe('identity-aware forwarding with template variables (docs/templates.md)', () => {
  let stack: OpenIdStack;
  let upstream: EchoUpstream;
  let elsewhere: EchoUpstream;

  beforeAll(async () => {
    elsewhere = await startEchoUpstream();
    upstream = await startEchoUpstream({ redirectTo: `${elsewhere.url}/steal` });
    const shape = auth0Shape(API);
    stack = await startOpenIdStack({
      ...shape,
      accounts: [ALICE_ACCOUNT],
      env: {
        ...shape.env,
        ALLOW_REGISTRATION: 'true',
        PASSWORD_HASH_COST: '4',
        CONFIG_PATH: writeConfig(upstream.url, await freePort()),
        UPSTREAM_REGION: 'eu-west-1',
        UPSTREAM_TIMEOUT: '2000',
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await upstream?.stop();
    await elsewhere?.stop();
  });

  async function openIdClient() {
    const { http } = await browserLogin(stack);
    const refreshed = await http.post('/api/auth/refresh');
    expect(refreshed.status).toBe(200);
    return { http, token: refreshed.body.token as string, user: refreshed.body.user };
  }

  async function storedTokens(http: HttpClient) {
    const { id, sid } = decodeJwt(http.jar.get('openid_user_id')!).payload as { id: string; sid: string };
    return { id, sid, tokens: await stack.app.app.get(IdpTokenVault).load(id, `openid:${sid}`) };
  }

  it("an OpenID user's call reaches the upstream with the IdP access token and user headers; the caller's own credentials do not", async () => {
    const { http, token, user } = await openIdClient();
    const res = await http.post('/api/endpoints/echo/chat/completions?stream=false', { json: { conversationId: 'conv-7', model: 'x' }, ...bearer(token) });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-upstream')).toBe('echo');
    expect(res.setCookies.find((c) => c.name === 'upstream')).toBeUndefined();
    const seen = upstream.received.at(-1)!;
    const { tokens } = await storedTokens(http);
    expect(seen.path).toBe('/v1/chat/completions?stream=false');
    expect(seen.headers.authorization).toBe(`Bearer ${tokens!.accessToken}`);
    expect(seen.headers.authorization).not.toContain(token);
    expect(seen.headers['x-user-email']).toBe('alice@example.test');
    expect(seen.headers['x-user-id']).toBe(user.id);
    expect(seen.headers['x-openid-sub']).toBe('alice');
    expect(seen.headers['x-conversation']).toBe('conv-7');
    expect(seen.headers['x-region']).toBe('eu-west-1');
    expect(seen.headers.cookie).toBeUndefined();
    expect(JSON.parse(seen.body)).toEqual({ conversationId: 'conv-7', model: 'x' });
  });

  it('TR-10: an access token about to expire is refreshed at the IdP before it is sent', async () => {
    const { http, token } = await openIdClient();
    const { id, sid, tokens } = await storedTokens(http);
    const before = tokens!.accessToken;
    await stack.app.app.get(IdpTokenVault).save(id, `openid:${sid}`, { ...tokens!, expiresAt: new Date(Date.now() + 5_000) }, new Date());
    const res = await http.get('/api/endpoints/echo/models', bearer(token));
    expect(res.status).toBe(201);
    const sent = upstream.received.at(-1)!.headers.authorization;
    const after = (await storedTokens(http)).tokens!.accessToken;
    expect(after).not.toBe(before);
    expect(sent).toBe(`Bearer ${after}`);
    // The rotated refresh token followed into the browser's cookie: the session goes on.
    expect((await http.post('/api/auth/refresh')).status).toBe(200);
  });

  it('a local user gets empty OpenID values and their own user values', async () => {
    const local = await signUp(stack.app, 'local-forward@example.com');
    const res = await local.http.get('/api/endpoints/echo/models', bearer(local.token));
    expect(res.status).toBe(201);
    const seen = upstream.received.at(-1)!.headers;
    expect(seen.authorization).toMatch(/^Bearer\s*$/);
    expect(seen['x-openid-sub']).toBe('');
    expect(seen['x-user-email']).toBe('local-forward@example.com');
    expect(seen['x-conversation']).toBe('');
  });

  it('TR-09: an upstream redirect to another host is handed back, never followed with the token', async () => {
    const { http, token } = await openIdClient();
    const res = await http.get('/api/endpoints/echo/redirect', { ...bearer(token), followRedirects: 0 });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${elsewhere.url}/steal`);
    expect(elsewhere.received).toHaveLength(0);
  });

  it('TR-09: a sub-path cannot leave the configured base URL', async () => {
    const local = await signUp(stack.app, 'path-escape@example.com');
    const before = upstream.received.length;
    for (const evil of ['/api/endpoints/echo/%2e%2e/%2e%2e/admin', '/api/endpoints/echo/%252e%252e/x']) {
      const res = await local.http.get(evil, bearer(local.token));
      // Refused (400), normalised away by the URL parser before it is routed (404), or kept under /v1/.
      expect([201, 400, 404]).toContain(res.status);
    }
    expect(upstream.received.slice(before).every((r) => r.path.startsWith('/v1/'))).toBe(true);
  });

  it('MCP servers are forwarded the same way; unknown names are 404; no bearer is 401', async () => {
    const local = await signUp(stack.app, 'mcp-user@example.com');
    const res = await local.http.post('/api/mcp/tools', { json: { jsonrpc: '2.0', id: 1, method: 'tools/list' }, ...bearer(local.token) });
    expect(res.status).toBe(201);
    expect(upstream.received.at(-1)!.path).toBe('/mcp');
    expect(upstream.received.at(-1)!.headers['x-user-id']).toBe(local.user.id);
    expect((await local.http.get('/api/endpoints/nope/x', bearer(local.token))).body.code).toBe('UPSTREAM_NOT_FOUND');
    expect((await new HttpClient(stack.app.url).get('/api/endpoints/echo/models')).status).toBe(401);
  });

  it('an unreachable upstream is a quick 502 with a stable code', async () => {
    const local = await signUp(stack.app, 'down-user@example.com');
    const started = Date.now();
    const res = await local.http.get('/api/endpoints/down/models', bearer(local.token));
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
