import { DiscoveryService } from '../../../src/openid/discovery.service';
import { startApp, type RunningApp } from '../../support/app.harness';
import { freePort } from '../../support/free-port';
import { HttpClient } from '../../support/http';
import { startOidcProvider, type OidcClientConfig, type OidcProviderHandle } from '../../support/oidc';
import { ALICE_ACCOUNT, browserLogin, CLIENT_ORIGIN, FAILURE_URL } from '../../support/oidc/openid-stack';

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('RL-05 IdP down at boot', () => {
  let app: RunningApp;
  let op: OidcProviderHandle | undefined;
  let client: OidcClientConfig;
  let idpPort: number;

  beforeAll(async () => {
    idpPort = await freePort();
    const appPort = await freePort();
    const appUrl = `http://127.0.0.1:${appPort}`;
    client = {
      client_id: 'gatehouse',
      client_secret: 'gatehouse-secret',
      redirect_uris: [`${appUrl}/oauth/openid/callback`],
      token_endpoint_auth_method: 'client_secret_basic',
    };
    app = await startApp({
      ALLOW_SOCIAL_LOGIN: 'true',
      ALLOW_SOCIAL_REGISTRATION: 'true',
      OPENID_CLIENT_ID: client.client_id,
      OPENID_CLIENT_SECRET: client.client_secret!,
      OPENID_ISSUER: `http://127.0.0.1:${idpPort}`,
      DOMAIN_SERVER: appUrl,
      DOMAIN_CLIENT: CLIENT_ORIGIN,
      PORT: String(appPort),
    });
  });
  afterAll(async () => {
    await app?.stop();
    await op?.stop();
  });

  it('the service starts and serves; /oauth/openid answers a "provider unavailable" redirect', async () => {
    const http = new HttpClient(app.url);
    expect((await http.get('/api/config')).body.openidLoginEnabled).toBe(true);
    const res = await http.get('/oauth/openid');
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${FAILURE_URL}&reason=provider_unavailable`);
    expect((await http.get('/oauth/openid/callback?state=x&code=y')).location).toBe(FAILURE_URL);
  });

  it('discovery is retried in the background; once the IdP is up, login works', async () => {
    op = await startOidcProvider({ port: idpPort, clients: [client], accounts: [ALICE_ACCOUNT] });
    const discovery = app.app.get(DiscoveryService);
    // No request is made meanwhile: only the background retry can discover the provider.
    expect(await until(() => discovery.known() !== null, 20_000)).toBe(true);
    const login = await browserLogin({ op, app, client, stop: async () => undefined });
    expect(login.callback.location).toBe(`${CLIENT_ORIGIN}/`);
  });
});
