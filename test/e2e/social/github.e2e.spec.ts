import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { CLIENT_ORIGIN, FAILURE_URL, fakeGitHub, providerEnv, sessionUser, socialLogin, startSocialApp, type FakeOAuthServer } from '../../support/social';
import { bearer } from '../auth/auth-helpers';

const GITHUB_USERS = {
  octo: {
    login: 'octocat',
    id: 583231,
    node_id: 'MDQ6VXNlcjU4MzIzMQ==',
    avatar_url: 'https://avatars.githubusercontent.com/u/583231?v=4',
    name: 'The Octocat',
    // The public profile address is not what signs in: the primary verified one from /user/emails is.
    email: 'public@example.test',
    emails: [
      { email: 'secondary@example.test', primary: false, verified: true, visibility: null },
      { email: 'Octo@Example.test', primary: true, verified: true, visibility: 'public' },
    ],
  },
  unverified: {
    login: 'newbie',
    id: 777,
    avatar_url: 'https://avatars.githubusercontent.com/u/777?v=4',
    name: 'New Bie',
    email: null,
    emails: [{ email: 'newbie@example.test', primary: true, verified: false, visibility: 'private' }],
  },
};

describe('GitHub sign-in against a fake github.com (web flow + REST API)', () => {
  let github: FakeOAuthServer;
  let app: RunningApp;

  beforeAll(async () => {
    github = await fakeGitHub(GITHUB_USERS);
    app = await startSocialApp(providerEnv('GITHUB', github));
  });
  afterAll(async () => {
    await app?.stop();
    await github?.stop();
  });

  it('asks for user:email read:user with state and PKCE at /login/oauth/authorize (SO-04)', async () => {
    const start = await new HttpClient(app.url).get('/oauth/github');
    const url = new URL(start.location!);
    expect(url.origin + url.pathname).toBe(`${github.url}/login/oauth/authorize`);
    expect(url.searchParams.get('scope')).toBe('user:email,read:user');
    expect(url.searchParams.get('redirect_uri')).toBe(`${app.url}/oauth/github/callback`);
    expect(url.searchParams.get('state')!.length).toBeGreaterThanOrEqual(43);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('full flow: the primary verified address from /user/emails, session, /api/user', async () => {
    const { http, callback } = await socialLogin(app, github, 'github', { login: 'octo' });
    expect(callback.status).toBe(302);
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const session = await sessionUser(http);
    expect(session.user).toMatchObject({
      email: 'octo@example.test',
      provider: 'github',
      username: 'octocat',
      name: 'The Octocat',
      emailVerified: true,
      avatar: 'https://avatars.githubusercontent.com/u/583231?v=4',
    });
    const me = await http.get('/api/user', bearer(session.token!));
    expect(me.status).toBe(200);
    // The API calls went to /user and /user/emails with a bearer token and a User-Agent.
    const paths = github.resourceRequests.slice(-2).map((r) => r.path);
    expect(paths).toEqual(['/user', '/user/emails']);
    expect(github.resourceRequests.at(-1)!.headers['user-agent']).toBeTruthy();
  });

  it('an unverified primary address still signs up a new account, marked unverified', async () => {
    const { http, callback } = await socialLogin(app, github, 'github', { login: 'unverified' });
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const session = await sessionUser(http);
    expect(session.user).toMatchObject({ email: 'newbie@example.test', emailVerified: false });
  });
});

describe('GitHub Enterprise Server (GITHUB_ENTERPRISE_BASE_URL, /api/v3, GITHUB_ENTERPRISE_USER_AGENT)', () => {
  let ghe: FakeOAuthServer;
  let app: RunningApp;

  beforeAll(async () => {
    ghe = await fakeGitHub(GITHUB_USERS, { enterprise: true });
    app = await startSocialApp({ ...providerEnv('GITHUB', ghe, 'GITHUB_ENTERPRISE_BASE_URL'), GITHUB_ENTERPRISE_USER_AGENT: 'acme-gatehouse/1.0' });
  });
  afterAll(async () => {
    await app?.stop();
    await ghe?.stop();
  });

  it('authorizes and exchanges on the enterprise host, reads /api/v3/user and /api/v3/user/emails with the configured User-Agent', async () => {
    const { http, authorization, callback } = await socialLogin(app, ghe, 'github', { login: 'octo' });
    expect(authorization.origin + authorization.pathname).toBe(`${ghe.url}/login/oauth/authorize`);
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    expect(ghe.resourceRequests.map((r) => r.path)).toEqual(['/api/v3/user', '/api/v3/user/emails']);
    expect(ghe.resourceRequests.every((r) => r.headers['user-agent'] === 'acme-gatehouse/1.0')).toBe(true);
    const session = await sessionUser(http);
    expect(session.user).toMatchObject({ email: 'octo@example.test', provider: 'github' });
  });

  it('a token endpoint 500 ends on the failure page, not a 500', async () => {
    ghe.tokenFailureStatus = 500;
    try {
      const { callback } = await socialLogin(app, ghe, 'github', { login: 'octo' });
      expect(callback.status).toBe(302);
      expect(callback.location).toBe(`${FAILURE_URL}&reason=provider_unavailable`);
      expect(callback.setCookies.map((c) => c.name)).not.toContain('refreshToken');
    } finally {
      ghe.tokenFailureStatus = null;
    }
  });
});
