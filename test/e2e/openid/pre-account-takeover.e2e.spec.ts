import { SessionRepository, UserRepository } from '../../../src/storage';
import { HttpClient } from '../../support/http';
import { browserLogin, CLIENT_ORIGIN, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';
import { startSmtpServer, type SmtpServerHandle } from '../../support/smtp';
import { login, register } from '../auth/auth-helpers';
import { linkIn, mailTo, mailEnv } from '../mail/mail-helpers';

const VICTIM = 'victim@corp.example';
const ATTACKER_PASSWORD = 'attacker picked this one';

/**
 * SO-05, pre-account takeover through OpenID: with mail configured, an attacker registers the
 * victim's address with a password of their own (the account stays unverified). The victim later
 * signs in with OpenID, the provider asserting `email_verified: true`. The account is the
 * victim's from then on: the attacker's password, sessions and pending verification are gone.
 */
describe('SO-05 pre-account takeover through OpenID (real provider, real SMTP)', () => {
  let smtp: SmtpServerHandle;
  let stack: OpenIdStack;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    stack = await startOpenIdStack({
      env: { ...mailEnv(smtp), DOMAIN_CLIENT: CLIENT_ORIGIN, ALLOW_REGISTRATION: 'true', PASSWORD_HASH_COST: '4' },
      accounts: [{ accountId: 'victim', claims: { email: VICTIM, email_verified: true, name: 'Real Victim', preferred_username: 'victim' } }],
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await smtp?.stop();
  });

  it("SO-05 the attacker's password stops working once the victim signs in with a verified OpenID identity", async () => {
    const attacker = new HttpClient(stack.app.url);
    expect((await register(attacker, VICTIM, ATTACKER_PASSWORD, { name: 'Attacker' })).status).toBe(200);
    // The verification mail of the attacker's registration lands in the victim's mailbox.
    const pendingLink = linkIn(await mailTo(smtp, VICTIM, 'Verify your email'));
    const users = stack.app.app.get(UserRepository);
    const planted = (await users.findByEmail(VICTIM))!;
    expect(planted).toMatchObject({ emailVerified: false, password: expect.any(String) });
    expect((await login(attacker, VICTIM, ATTACKER_PASSWORD)).body.code).toBe('EMAIL_NOT_VERIFIED');

    const victim = await browserLogin(stack, { login: 'victim' });
    expect(victim.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const session = await victim.http.post('/api/auth/refresh');
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ id: planted.id, email: VICTIM, emailVerified: true, name: 'Real Victim' });

    // The attacker's password is dead, not merely "unverified".
    const attempt = await login(attacker, VICTIM, ATTACKER_PASSWORD);
    expect({ status: attempt.status, code: attempt.body.code }).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(await users.findById(planted.id)).toMatchObject({
      password: null,
      expiresAt: null,
      emailVerified: true,
      openidId: 'victim',
      openidIssuer: stack.op.issuer,
    });
    // The verification link the attacker's registration produced no longer does anything.
    const verify = await attacker.post('/api/user/verify', { json: { email: VICTIM, token: pendingLink.searchParams.get('token') } });
    expect(verify.body.code).toBe('INVALID_VERIFICATION_TOKEN');
    // Only the victim's own OpenID session exists.
    const sessions = await stack.app.app.get(SessionRepository).listByUser(planted.id, new Date());
    expect(sessions.map((s) => s.provider)).toEqual(['openid']);
  });
});
