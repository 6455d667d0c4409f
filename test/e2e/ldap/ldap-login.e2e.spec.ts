import * as net from 'node:net';
import { BansService } from '../../../src/moderation';
import { TwoFactorRepository, UserRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { slapdAvailable, startSlapd, type SlapdHandle } from '../../support/ldap';
import { login } from '../auth/auth-helpers';
import { libreChatBackupCodes, libreChatEncryptV3, libreChatSecret, totpAt } from '../two-factor/two-factor-helpers';
import { operationShape, PEOPLE_SEED, startLdapApp } from './ldap-helpers';

const describeSlapd = slapdAvailable() ? describe : describe.skip;
if (!slapdAvailable()) console.warn('skipped: slapd/openssl not installed (scripts/install-test-deps.sh installs them)');

describeSlapd('LDAP sign-in against a real slapd (issue 20)', () => {
  let slapd: SlapdHandle;
  let app: RunningApp;
  const http = () => new HttpClient(app.url);

  beforeAll(async () => {
    slapd = await startSlapd(PEOPLE_SEED);
    app = await startLdapApp(slapd);
  });
  afterAll(async () => {
    await app?.stop();
    await slapd?.destroy();
  });

  it('LD-01 a directory password signs in, creates the account (first one ADMIN) and opens a normal session', async () => {
    const client = http();
    const res = await login(client, 'ada@example.org', 'ada-directory-pw');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({
      email: 'ada@example.org',
      provider: 'ldap',
      name: 'Ada Lovelace',
      username: 'ada',
      emailVerified: true,
      role: 'ADMIN',
    });
    expect(typeof res.body.token).toBe('string');
    expect(client.jar.get('refreshToken')).toBeTruthy();
    const stored = await app.app.get(UserRepository).findByEmail('ada@example.org');
    expect(stored?.ldapId).toBe('ada');
    expect(stored?.password).toBeNull();
    const refresh = await client.post('/api/auth/refresh');
    expect(refresh.status).toBe(200);
    expect(refresh.body.user.email).toBe('ada@example.org');
    // The second sign-in finds the same account by ldapId; a later account is a USER.
    expect((await login(http(), 'ada@example.org', 'ada-directory-pw')).body.user.id).toBe(res.body.user.id);
    expect((await login(http(), 'grace@example.org', 'grace-directory-pw')).body.user.role).toBe('USER');
  });

  it('MF-20 a directory sign-in of an account with two-factor on asks for the second step, as a password sign-in does', async () => {
    const first = await login(http(), 'grace@example.org', 'grace-directory-pw');
    expect(first.status).toBe(200);
    const store = app.app.get(TwoFactorRepository);
    const secret = libreChatSecret();
    await store.savePending(first.body.user.id, libreChatEncryptV3(secret, app.config.secrets.credsKey), libreChatBackupCodes().stored);
    await store.activatePending(first.body.user.id, (await store.find(first.body.user.id))?.pendingTotpSecret ?? '', 0);
    const client = http();
    const step = await login(client, 'grace@example.org', 'grace-directory-pw');
    expect(step.status).toBe(200);
    expect(step.body).toMatchObject({ twoFAPending: true });
    expect(step.body.token).toBeUndefined();
    expect(client.jar.get('refreshToken')).toBeFalsy();
    const done = await client.post('/api/auth/2fa/verify-temp', { json: { tempToken: step.body.tempToken, token: totpAt(secret, new Date()) } });
    expect(done.status).toBe(200);
    expect(done.body.user.email).toBe('grace@example.org');
    await store.clear(first.body.user.id);
  });

  it('LD-02 a wrong password and an unknown login get the same 401 INVALID_CREDENTIALS', async () => {
    const wrong = await login(http(), 'ada@example.org', 'not-the-password');
    const unknown = await login(http(), 'nobody@example.org', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('LD-03 filter injection does not widen the search: *)(uid=* and * match nobody', async () => {
    for (const attempt of ['*)(uid=*', '*', 'ada@example.org)(|(mail=*', '*)(|(objectClass=*']) {
      const res = await login(http(), attempt, 'ada-directory-pw');
      expect({ attempt, status: res.status, code: res.body.code }).toEqual({ attempt, status: 401, code: 'INVALID_CREDENTIALS' });
    }
  });

  it('LD-04 an empty or missing password is refused before any bind (no anonymous "unauthenticated bind")', async () => {
    slapd.clearLog();
    const empty = await http().post('/api/auth/login', { json: { email: 'ada@example.org', password: '' } });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
    const missing = await http().post('/api/auth/login', { json: { email: 'ada@example.org' } });
    expect(missing.status).toBe(400);
    expect(operationShape(slapd.log())).toEqual([]);
  });

  it('LD-12 a banned account gets 403 BANNED after a correct directory password, and no session', async () => {
    expect((await login(http(), 'grace@example.org', 'grace-directory-pw')).status).toBe(200);
    const user = await app.app.get(UserRepository).findByEmail('grace@example.org');
    await app.app.get(BansService).ban({ userId: user!.id }, { type: 'manual', reason: 'test', violationCount: 0, durationMs: 60_000 });
    const client = http();
    const res = await login(client, 'grace@example.org', 'grace-directory-pw');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('BANNED');
    expect(client.jar.get('refreshToken')).toBeFalsy();
    // A wrong password still says only "invalid credentials": the ban is not revealed to strangers.
    expect((await login(http(), 'grace@example.org', 'nope')).status).toBe(401);
  });

  it('LD-08 a local account with the same verified email is linked; an unverified one loses its password first (SO-05)', async () => {
    const users = app.app.get(UserRepository);
    const local = await users.create({ email: 'linked@example.org', emailVerified: true, password: 'hash' });
    const linked = await login(http(), 'linked@example.org', 'linked-directory-pw');
    expect(linked.status).toBe(200);
    expect(linked.body.user.id).toBe(local.id);
    expect((await users.findById(local.id))?.ldapId).toBe('linked');
    const squatted = await users.create({ email: 'shared@example.org', emailVerified: false, password: 'attacker-chosen-hash' });
    const claimed = await login(http(), 'shared@example.org', 'linus-directory-pw');
    expect(claimed.status).toBe(200);
    expect(claimed.body.user.id).toBe(squatted.id);
    expect(await users.findById(squatted.id)).toMatchObject({ ldapId: 'linus', password: null, emailVerified: true });
  });

  it('LD-13 sign-ins reuse pooled directory connections, each starting again as the search account', async () => {
    await login(http(), 'ada@example.org', 'ada-directory-pw');
    slapd.clearLog();
    for (let i = 0; i < 4; i += 1) expect((await login(http(), 'ada@example.org', 'ada-directory-pw')).status).toBe(200);
    const log = slapd.log();
    // No new connection for sequential sign-ins: the one kept from the first is used again.
    expect(log.filter((line) => / ACCEPT from /.test(line))).toHaveLength(0);
    // Each sign-in: search-account bind, search, user bind (never a search as the previous user).
    expect(operationShape(log).filter((op) => op === 'BIND' || op === 'SRCH')).toEqual(Array.from({ length: 4 }, () => ['BIND', 'SRCH', 'BIND']).flat());
  });

  it('LD-06 unknown login and wrong password make the same requests at the directory', async () => {
    const shapeOf = async (email: string) => {
      slapd.clearLog();
      expect((await login(http(), email, 'not-the-password')).status).toBe(401);
      // slapd may write the last RESULT line just after the app's answer.
      for (let i = 0; i < 50 && operationShape(slapd.log()).length < 6; i++) await new Promise((r) => setTimeout(r, 10));
      return operationShape(slapd.log());
    };
    const wrong = await shapeOf('ada@example.org');
    // The connection stays open for the next sign-in (LD-13), so no UNBIND follows.
    expect(wrong).toEqual(['BIND', 'RESULT err=0', 'SRCH', 'SEARCH RESULT err=0', 'BIND', 'RESULT err=49']);
    expect(await shapeOf('nobody@example.org')).toEqual(wrong);

    // Same requests in the same order is the proof; wall-clock ratios are left to benchmarks,
    // since a loaded CI machine moves them more than the difference they would look for.
  });

  it('LD-09 /api/config reports ldap and hides registration; POST /api/auth/register is refused', async () => {
    const config = await http().get('/api/config');
    expect(config.body.ldap).toEqual({ enabled: true });
    expect(config.body.registrationEnabled).toBe(false);
    const reg = await http().post('/api/auth/register', {
      json: { name: 'X', email: 'x@example.org', password: 'long enough pw', confirm_password: 'long enough pw' },
    });
    expect(reg.status).toBe(403);
    expect(reg.body.code).toBe('REGISTRATION_DISABLED');
  });

  it('LD-05 directory down → 503 SERVICE_UNAVAILABLE, never "wrong password"; back up → sign-in works', async () => {
    await slapd.stop();
    try {
      const res = await login(http(), 'ada@example.org', 'ada-directory-pw');
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await slapd.restart();
    }
    expect((await login(http(), 'ada@example.org', 'ada-directory-pw')).status).toBe(200);
  });

  it('LD-05 a hung directory (accepts, never answers) → 503 within the LDAP_TIMEOUT', async () => {
    slapd.freeze();
    try {
      const started = Date.now();
      const res = await login(http(), 'ada@example.org', 'ada-directory-pw');
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      slapd.thaw();
    }
  });
});

describeSlapd('LDAP transport and configuration (issue 20)', () => {
  let slapd: SlapdHandle;
  const apps: RunningApp[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await startLdapApp(slapd, env);
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    slapd = await startSlapd(PEOPLE_SEED);
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await slapd?.destroy();
  });

  it('LD-10 STARTTLS with the test CA signs in; without the CA the certificate is refused (503)', async () => {
    const trusted = await start({ LDAP_STARTTLS: 'true', LDAP_CA_CERT_PATH: slapd.caPath });
    expect((await login(new HttpClient(trusted.url), 'grace@example.org', 'grace-directory-pw')).status).toBe(200);
    const untrusted = await start({ LDAP_STARTTLS: 'true' });
    const res = await login(new HttpClient(untrusted.url), 'grace@example.org', 'grace-directory-pw');
    expect(res.status).toBe(503);
  });

  it('LD-10 ldaps:// with the test CA signs in', async () => {
    const app = await start({ LDAP_URL: slapd.ldapsUrl, LDAP_CA_CERT_PATH: slapd.caPath });
    expect((await login(new HttpClient(app.url), 'grace@example.org', 'grace-directory-pw')).status).toBe(200);
  });

  it('LD-03 with a uid filter, wildcards and filter fragments in the login match nobody (unescaped they would match ada)', async () => {
    const app = await start({ LDAP_SEARCH_FILTER: '(&(objectClass=inetOrgPerson)(uid={{username}}))' });
    expect((await login(new HttpClient(app.url), 'ada', 'ada-directory-pw')).status).toBe(200);
    for (const attempt of ['a*', 'ad*', 'ada)(uid=*', '*)(uid=*', 'ada)(|(uid=*']) {
      const res = await login(new HttpClient(app.url), attempt, 'ada-directory-pw');
      expect({ attempt, status: res.status }).toEqual({ attempt, status: 401 });
    }
  });

  it('LD-07/LD-11 LDAP_LOGIN_USES_USERNAME with a uid filter: the email field carries a username; /api/config says so', async () => {
    const app = await start({ LDAP_LOGIN_USES_USERNAME: 'true', LDAP_SEARCH_FILTER: '(uid={{username}})', LDAP_FULL_NAME: 'givenName,sn', LDAP_EMAIL: 'mail' });
    const config = await new HttpClient(app.url).get('/api/config');
    expect(config.body.ldap).toEqual({ enabled: true, username: true });
    const res = await login(new HttpClient(app.url), 'grace', 'grace-directory-pw');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'grace@example.org', name: 'Grace Hopper' });
    const nomail = await login(new HttpClient(app.url), 'nomail', 'nomail-directory-pw');
    expect(nomail.status).toBe(200);
    expect(nomail.body.user).toMatchObject({ email: 'nomail@ldap.local', emailVerified: false });
  });

  it("LD-05 a refused search account (wrong LDAP_BIND_CREDENTIALS) is a 503, not the user's wrong password", async () => {
    const app = await start({ LDAP_BIND_CREDENTIALS: 'wrong' });
    const res = await login(new HttpClient(app.url), 'grace@example.org', 'grace-directory-pw');
    expect(res.status).toBe(503);
  });

  it('LD-05 a server that accepts TCP but never speaks LDAP → 503 after the timeout', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const app = await start({ LDAP_URL: `ldap://127.0.0.1:${(silent.address() as net.AddressInfo).port}` });
      const res = await login(new HttpClient(app.url), 'grace@example.org', 'grace-directory-pw');
      expect(res.status).toBe(503);
    } finally {
      silent.close();
    }
  });
});
