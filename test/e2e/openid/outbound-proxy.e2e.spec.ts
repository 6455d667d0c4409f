import type { OpenIdConfig } from '../../../src/config';
import { bypassesProxy } from '../../../src/common/outbound-proxy';
import { OpenIdHttp } from '../../../src/openid/openid-http';
import type { RunningApp } from '../../support/app.harness';
import { fakeGitHub, providerEnv, socialLogin, startSocialApp, type FakeOAuthServer } from '../../support/social';
import { startForwardProxy, type ForwardProxy } from '../../support/proxy/forward-proxy';
import { browserLogin, CLIENT_ORIGIN, FAILURE_URL, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';

// PROXY (LibreChat's variable): every call the OpenID client makes — discovery, JWKS, token,
// UserInfo — goes through the forward proxy; a real proxy on loopback logs what it carried.
describe('outbound PROXY for the OpenID provider (real forward proxy)', () => {
  let proxy: ForwardProxy;
  let stack: OpenIdStack;
  beforeAll(async () => {
    proxy = await startForwardProxy();
    stack = await startOpenIdStack({ env: { PROXY: proxy.url } });
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy?.stop();
  });

  const idpHost = () => `127.0.0.1:${stack.op.port}`;

  it('PX-01 a sign-in reaches discovery, JWKS, token and UserInfo only through the proxy', async () => {
    const { callback } = await browserLogin(stack);
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    expect(proxy.log.tunnels[idpHost()]).toBeGreaterThanOrEqual(1);
    const seen = proxy.log.requests.filter((r) => r.target === idpHost()).map((r) => `${r.method} ${r.path}`);
    expect(seen).toEqual(expect.arrayContaining(['GET /.well-known/openid-configuration', 'GET /jwks', 'POST /token', 'GET /me']));
    // Everything the IdP answered for the app came through the proxy.
    const stats = await stack.op.stats();
    expect(seen.filter((r) => r === 'POST /token').length).toBe(stats['/token']);
  });

  it('PX-02 with the proxy gone the IdP is unreachable: the login fails as an outage, nothing goes around it', async () => {
    const tokenCalls = (await stack.op.stats())['/token'] ?? 0;
    const stopped = proxy;
    await stopped.stop();
    const { callback } = await browserLogin(stack);
    expect(callback.location).toBe(`${FAILURE_URL}&reason=provider_unavailable`);
    expect((await stack.op.stats())['/token'] ?? 0).toBe(tokenCalls);
  });
});

describe('NO_PROXY exceptions (OpenIdHttp against the real provider and a real proxy)', () => {
  let proxy: ForwardProxy;
  let stack: OpenIdStack;
  beforeAll(async () => {
    proxy = await startForwardProxy();
    stack = await startOpenIdStack();
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy?.stop();
  });

  const http = (noProxy: string[]) => new OpenIdHttp({ proxy: proxy.url, noProxy, debugRequests: false } as unknown as OpenIdConfig);

  it('PX-03 a host listed in NO_PROXY is reached directly; any other through the proxy', async () => {
    const url = `${stack.op.issuer}/.well-known/openid-configuration`;
    proxy.reset();
    expect((await http([`127.0.0.1:${stack.op.port}`]).request('discovery', url)).status).toBe(200);
    expect(proxy.log.requests).toEqual([]);
    expect((await http(['other.example']).request('discovery', url)).status).toBe(200);
    expect(proxy.log.requests).toEqual([{ target: `127.0.0.1:${stack.op.port}`, method: 'GET', path: '/.well-known/openid-configuration' }]);
  });
});

// The social strategies (passport-oauth2 on the `oauth` library's http.request) use the same
// rule through a node agent: token exchange and profile calls pass the proxy.
describe('outbound PROXY for a social provider (GitHub shape, real forward proxy)', () => {
  let proxy: ForwardProxy;
  let github: FakeOAuthServer;
  let app: RunningApp;
  const USERS = {
    octo: { login: 'octocat', id: 1, name: 'Octo', email: null, emails: [{ email: 'octo@example.test', primary: true, verified: true, visibility: null }] },
  };

  beforeAll(async () => {
    proxy = await startForwardProxy();
    github = await fakeGitHub(USERS);
    app = await startSocialApp({ ...providerEnv('GITHUB', github), PROXY: proxy.url });
  });
  afterAll(async () => {
    await app?.stop();
    await github?.stop();
    await proxy?.stop();
  });

  it('PX-04 the token exchange, /user and /user/emails go through the proxy', async () => {
    const { callback } = await socialLogin(app, github, 'github', { login: 'octo' });
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const host = new URL(github.url).host;
    const seen = proxy.log.requests.filter((r) => r.target === host).map((r) => `${r.method} ${r.path}`);
    expect(seen).toEqual(expect.arrayContaining(['POST /login/oauth/access_token', 'GET /user', 'GET /user/emails']));
  });

  it('PX-04 NO_PROXY rule is the same for node agents: a listed host bypasses the proxy', () => {
    const host = new URL(github.url).host;
    expect(bypassesProxy(`${github.url}/x`, [host])).toBe(true);
    expect(bypassesProxy(`${github.url}/x`, ['127.0.0.1:1'])).toBe(false);
    expect(bypassesProxy('https://login.corp.example/token', ['.corp.example'])).toBe(true);
    expect(bypassesProxy('https://corp.example.evil.test/token', ['corp.example'])).toBe(false);
    expect(bypassesProxy('https://anything.test/', ['*'])).toBe(true);
  });
});
