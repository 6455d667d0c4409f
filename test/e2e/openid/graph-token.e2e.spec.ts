import { bearer } from '../auth/auth-helpers';
import { browserLogin, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

// Entra shape with token reuse: GET /api/auth/graph-token exchanges the user's reused IdP access
// token on-behalf-of (the provider's jwt-bearer grant) for the requested scopes.
describe('GET /api/auth/graph-token (on-behalf-of against the real provider)', () => {
  let stack: OpenIdStack;
  beforeAll(async () => {
    stack = await startOpenIdStack({
      client: { grant_types: ['authorization_code', 'refresh_token', JWT_BEARER] },
      idp: { issueRefreshToken: 'always', scopes: ['https://graph.microsoft.com/.default', 'Sites.Read.All'] },
      env: { OPENID_REUSE_TOKENS: 'true' },
    });
  });
  afterAll(() => stack?.stop());

  const exchanges = async () => (await stack.op.stats())[`/token:${JWT_BEARER}`] ?? 0;

  it("answers LibreChat's shape; cached per user and scopes, one exchange for concurrent requests", async () => {
    const { http } = await browserLogin(stack);
    const { token } = (await http.post('/api/auth/refresh')).body;
    const before = await exchanges();
    const scope = 'https://graph.microsoft.com/.default';
    const path = `/api/auth/graph-token?scopes=${encodeURIComponent(scope)}`;
    const answers = await Promise.all([1, 2, 3].map(() => http.get(path, bearer(token))));
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number), scope });
      expect(res.body.access_token).toBe(answers[0].body.access_token);
      expect(res.body.expires_in).toBeGreaterThan(3000);
    }
    expect(await exchanges()).toBe(before + 1);
    // Cached until shortly before expiry: no new exchange; another scope is another exchange.
    expect((await http.get(path, bearer(token))).body.access_token).toBe(answers[0].body.access_token);
    expect(await exchanges()).toBe(before + 1);
    expect((await http.get('/api/auth/graph-token?scopes=Sites.Read.All', bearer(token))).status).toBe(200);
    expect(await exchanges()).toBe(before + 2);
  });

  it('refuses as LibreChat does: no scopes → 400, no bearer → 401', async () => {
    const { http } = await browserLogin(stack);
    const { token } = (await http.post('/api/auth/refresh')).body;
    const missing = await http.get('/api/auth/graph-token', bearer(token));
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ message: 'Graph API scopes are required as query parameter', code: 'GRAPH_SCOPES_REQUIRED' });
    expect((await http.get('/api/auth/graph-token?scopes=x')).status).toBe(401);
  });

  it('an exchange the provider refuses → 500 "Failed to obtain Microsoft Graph token", nothing cached', async () => {
    const { http } = await browserLogin(stack);
    const { token } = (await http.post('/api/auth/refresh')).body;
    await stack.op.setFaults({ token: 'invalid_grant' });
    try {
      const res = await http.get('/api/auth/graph-token?scopes=other.scope', bearer(token));
      expect(res.status).toBe(500);
      expect(res.body.message).toBe('Failed to obtain Microsoft Graph token');
    } finally {
      await stack.op.setFaults({});
    }
  });
});
