import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Clock } from '../../../src/common/clock';
import { ALICE_ACCOUNT, browserLogin, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';
import { startEchoUpstream, type EchoUpstream } from '../../support/upstream/echo-upstream';
import { bearer, signUp } from '../auth/auth-helpers';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

function writeConfig(echo: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-graph-'));
  const file = path.join(dir, 'librechat.yaml');
  fs.writeFileSync(
    file,
    `endpoints:
  custom:
    - name: graph
      baseURL: ${echo}/v1
      headers:
        Authorization: "Bearer {{LIBRECHAT_GRAPH_ACCESS_TOKEN}}"
        X-OpenID: "{{LIBRECHAT_OPENID_ACCESS_TOKEN}}"
    - name: plain
      baseURL: ${echo}/plain
      headers:
        X-User-ID: "{{LIBRECHAT_USER_ID}}"
`,
  );
  return file;
}

// Entra shape with token reuse: {{LIBRECHAT_GRAPH_ACCESS_TOKEN}} is the reused access token
// exchanged on-behalf-of (the real provider's jwt-bearer grant) for GRAPH_API_SCOPES.
describe('{{LIBRECHAT_GRAPH_ACCESS_TOKEN}} (on-behalf-of against the real provider)', () => {
  let stack: OpenIdStack;
  let upstream: EchoUpstream;

  beforeAll(async () => {
    upstream = await startEchoUpstream();
    stack = await startOpenIdStack({
      client: { grant_types: ['authorization_code', 'refresh_token', JWT_BEARER] },
      idp: { issueRefreshToken: 'always', scopes: [GRAPH_SCOPE] },
      accounts: [
        ALICE_ACCOUNT,
        { accountId: 'bob', claims: { email: 'bob@example.test', email_verified: true, given_name: 'Bob', preferred_username: 'bob' } },
      ],
      env: {
        OPENID_REUSE_TOKENS: 'true',
        GRAPH_API_SCOPES: GRAPH_SCOPE,
        CONFIG_PATH: writeConfig(upstream.url),
        ALLOW_REGISTRATION: 'true',
        PASSWORD_HASH_COST: '4',
      },
    });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await stack?.stop();
    await upstream?.stop();
  });

  const exchanges = async () => (await stack.op.stats())[`/token:${JWT_BEARER}`] ?? 0;

  async function openIdClient(login = 'alice') {
    const { http } = await browserLogin(stack, { login });
    const { token } = (await http.post('/api/auth/refresh')).body;
    return { http, token: token as string };
  }

  it("TR-15 the placeholder is an on-behalf-of token for GRAPH_API_SCOPES, not the user's own token; cached and shared by concurrent requests", async () => {
    const { http, token } = await openIdClient();
    const before = await exchanges();
    const answers = await Promise.all([1, 2, 3].map(() => http.get('/api/endpoints/graph/me', bearer(token))));
    for (const res of answers) expect(res.status).toBe(201);
    const sent = upstream.received.slice(-3).map((r) => r.headers.authorization);
    const graphToken = sent[0]!.replace(/^Bearer /, '');
    expect(graphToken).not.toBe('');
    expect(sent).toEqual([sent[0], sent[0], sent[0]]);
    // Issued by the provider for the Graph scope, and not the reused access token itself.
    expect(graphToken).not.toBe(upstream.received.at(-1)!.headers['x-openid']);
    expect(await exchanges()).toBe(before + 1);
    // Cached: a later call costs no exchange.
    await http.get('/api/endpoints/graph/me', bearer(token));
    expect(upstream.received.at(-1)!.headers.authorization).toBe(`Bearer ${graphToken}`);
    expect(await exchanges()).toBe(before + 1);
    // A template without the placeholder never triggers an exchange.
    expect((await http.get('/api/endpoints/plain/x', bearer(token))).status).toBe(201);
    expect(await exchanges()).toBe(before + 1);
  });

  it('TR-15 refreshed before it expires: shortly before expiry (clock moved) a new exchange replaces it', async () => {
    const { http, token } = await openIdClient();
    await http.get('/api/endpoints/graph/me', bearer(token));
    const first = upstream.received.at(-1)!.headers.authorization;
    const before = await exchanges();
    const clock = stack.app.app.get(Clock);
    const real = clock.now.bind(clock);
    // The provider's tokens live an hour; 59 min 45 s later the cached one is inside the 30 s margin.
    const spy = jest.spyOn(clock, 'now').mockImplementation(() => new Date(real().getTime() + 3_585_000));
    try {
      await http.get('/api/endpoints/graph/me', bearer(token));
    } finally {
      spy.mockRestore();
    }
    expect(await exchanges()).toBe(before + 1);
    expect(upstream.received.at(-1)!.headers.authorization).not.toBe(first);
  });

  it('TR-15 a local user, or an exchange the provider refuses, gets an empty value and the request still goes out', async () => {
    const local = await signUp(stack.app, 'local-graph@example.test');
    expect((await local.http.get('/api/endpoints/graph/me', bearer(local.token))).status).toBe(201);
    expect(upstream.received.at(-1)!.headers.authorization).toBe('Bearer');
    // Bob has no cached Graph token, so his first request needs an exchange, which the provider refuses.
    const { http, token } = await openIdClient('bob');
    await stack.op.setFaults({ token: 'invalid_grant' });
    try {
      expect((await http.get('/api/endpoints/graph/me', bearer(token))).status).toBe(201);
    } finally {
      await stack.op.setFaults({});
    }
    expect(upstream.received.at(-1)!.headers.authorization).toBe('Bearer');
  });
});
