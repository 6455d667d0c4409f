import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../support/free-port';
import { startOidcProvider, type OidcProviderHandle } from '../../support/oidc';
import { ALICE_ACCOUNT, browserLogin, CLIENT_ORIGIN } from '../../support/oidc/openid-stack';
import type { RunningApp } from '../../support/app.harness';

const root = path.resolve(__dirname, '../../..');
const SECRET = 'debug-log-client-secret-value';

// The real process (dist/main.js), so its log stream can be read as an operator would.
describe('DEBUG_OPENID_REQUESTS', () => {
  let op: OidcProviderHandle;
  let child: ChildProcess;
  let output = '';
  let appUrl: string;

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/ensure-build.js'], { cwd: root, stdio: 'inherit' });
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    op = await startOidcProvider({
      clients: [
        { client_id: 'gatehouse', client_secret: SECRET, redirect_uris: [`${appUrl}/oauth/openid/callback`], token_endpoint_auth_method: 'client_secret_post' },
      ],
      accounts: [ALICE_ACCOUNT],
    });
    child = spawn(process.execPath, ['dist/main.js'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        ENV_FILE: 'none',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-debuglog-')),
        LOG_LEVEL: 'info',
        ALLOW_SOCIAL_LOGIN: 'true',
        ALLOW_SOCIAL_REGISTRATION: 'true',
        OPENID_CLIENT_ID: 'gatehouse',
        OPENID_CLIENT_SECRET: SECRET,
        OPENID_ISSUER: op.issuer,
        DOMAIN_SERVER: appUrl,
        DOMAIN_CLIENT: CLIENT_ORIGIN,
        DEBUG_OPENID_REQUESTS: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        if ((await fetch(`${appUrl}/health`)).status === 200) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`app did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await op?.stop();
  });

  it('logs every IdP request and response with codes, secrets and tokens masked', async () => {
    const login = await browserLogin({
      op,
      app: { url: appUrl } as RunningApp,
      client: { client_id: 'gatehouse', redirect_uris: [] },
      stop: async () => undefined,
    });
    expect(login.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    await new Promise((r) => setTimeout(r, 300));
    const lines = output.split('\n').filter((l) => l.includes('"context":"OpenIdHttp"'));
    const purposes = new Set(lines.map((l) => /"purpose":"([^"]+)"/.exec(l)?.[1]));
    expect([...purposes]).toEqual(expect.arrayContaining(['discovery', 'token', 'jwks', 'userinfo']));
    const tokenRequest = lines.find((l) => l.includes('"purpose":"token"') && l.includes('IdP request'))!;
    expect(tokenRequest).toMatch(/"code":"\*\*\*\(\d+\)"/);
    expect(tokenRequest).toMatch(/"grant_type":"authorization_code"/);
    expect(output).not.toContain(SECRET);
    expect(output).not.toContain(login.redirectBack.searchParams.get('code')!);
    // No JWT (ID token, JWT access token) appears anywhere in the log.
    expect(output).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./);
  });
});
