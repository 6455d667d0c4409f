import { UserRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { startSmtpServer, type SmtpServerHandle } from '../../support/smtp';
import { CLIENT_ORIGIN, fakeGitHub, providerEnv, sessionUser, socialLogin, startSocialApp, type FakeOAuthServer } from '../../support/social';
import { login, register } from '../auth/auth-helpers';
import { mailEnv, mailTo } from '../mail/mail-helpers';

const VICTIM = 'victim@example.test';
const ATTACKER_PASSWORD = 'attacker picked this one';

/**
 * SO-05 through a social provider: the same rule as OpenID (one FederatedAccounts service), here
 * exercised through the GitHub fake, whose `/user/emails` marks the victim's primary address verified.
 */
describe('SO-05 pre-account takeover through a social provider (fake GitHub, real SMTP)', () => {
  let smtp: SmtpServerHandle;
  let github: FakeOAuthServer;
  let app: RunningApp;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    github = await fakeGitHub({
      victim: {
        login: 'victim',
        id: 7001,
        name: 'Real Victim',
        avatar_url: 'https://avatars.githubusercontent.com/u/7001',
        email: null,
        emails: [{ email: VICTIM, primary: true, verified: true, visibility: null }],
      },
    });
    app = await startSocialApp({
      ...providerEnv('GITHUB', github),
      ...mailEnv(smtp),
      DOMAIN_CLIENT: CLIENT_ORIGIN,
      ALLOW_REGISTRATION: 'true',
      PASSWORD_HASH_COST: '4',
    });
  });
  afterAll(async () => {
    await app?.stop();
    await github?.stop();
    await smtp?.stop();
  });

  it("SO-05 a verified GitHub sign-in claims the unverified account and the attacker's password stops working", async () => {
    const attacker = new HttpClient(app.url);
    expect((await register(attacker, VICTIM, ATTACKER_PASSWORD, { name: 'Attacker' })).status).toBe(200);
    await mailTo(smtp, VICTIM, 'Verify your email');
    const planted = (await app.app.get(UserRepository).findByEmail(VICTIM))!;
    expect(planted).toMatchObject({ emailVerified: false, password: expect.any(String) });

    const { http, callback } = await socialLogin(app, github, 'github', { login: 'victim' });
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    expect((await sessionUser(http)).user).toMatchObject({ id: planted.id, emailVerified: true, name: 'Real Victim' });

    const attempt = await login(attacker, VICTIM, ATTACKER_PASSWORD);
    expect({ status: attempt.status, code: attempt.body.code }).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(await app.app.get(UserRepository).findById(planted.id)).toMatchObject({ password: null, expiresAt: null, githubId: '7001' });
  });
});
