import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import {
  CLIENT_ORIGIN,
  FAILURE_URL,
  fakeGitLab,
  fakeGoogle,
  providerEnv,
  sessionUser,
  socialLogin,
  startSocialApp,
  type FakeOAuthServer,
} from '../../support/social';
import { GitLabLoginModule } from '../../support/social/gitlab-provider.module';
import { bearer } from '../auth/auth-helpers';
import { UserRepository } from '../../../src/storage';

/** docs/providers.md: a provider added as one module through the public API gets routes, config, state, PKCE, rules and sessions. */
describe('extension API: a GitLab-style OAuth2 provider module (test-only)', () => {
  let gitlab: FakeOAuthServer;
  let google: FakeOAuthServer;
  let app: RunningApp;

  beforeAll(async () => {
    gitlab = await fakeGitLab({
      ada: {
        id: 4242,
        username: 'ada',
        name: 'Ada Lovelace',
        email: 'ada@example.test',
        avatar_url: 'https://gitlab.example/uploads/ada.png',
        confirmed_at: '2024-01-01T00:00:00Z',
        state: 'active',
      },
      sneaky: { id: 666, username: 'sneaky', name: 'Not Ada', email: 'ada@example.test', avatar_url: null, confirmed_at: null, state: 'active' },
    });
    google = await fakeGoogle({ ada: { sub: 'g-ada', name: 'Ada', given_name: 'Ada', email: 'ada@example.test', email_verified: true } });
    const gitlabEnv = { GITLAB_CLIENT_ID: gitlab.clientId, GITLAB_CLIENT_SECRET: gitlab.clientSecret, GITLAB_BASE_URL: gitlab.url };
    app = await startSocialApp(providerEnv('GOOGLE', google), { providerModules: [GitLabLoginModule.forRoot(gitlabEnv)] });
  });
  afterAll(async () => {
    await app?.stop();
    await gitlab?.stop();
    await google?.stop();
  });

  it('appears in /api/config loginProviders after the built-in ones', async () => {
    const res = await new HttpClient(app.url).get('/api/config');
    expect(res.body.loginProviders.map((p: { name: string }) => p.name)).toEqual(['google', 'gitlab']);
    expect(res.body.loginProviders[1]).toMatchObject({
      label: 'GitLab',
      scopes: ['read_user'],
      loginPath: '/oauth/gitlab',
      iconUrl: `${gitlab.url}/favicon.ico`,
    });
  });

  it('signs in end to end with state and PKCE: /oauth/gitlab → GitLab → callback → session → /api/user', async () => {
    const { http, authorization, callback } = await socialLogin(app, gitlab, 'gitlab', { login: 'ada' });
    expect(authorization.searchParams.get('redirect_uri')).toBe(`${app.url}/oauth/gitlab/callback`);
    expect(authorization.searchParams.get('state')!.length).toBeGreaterThanOrEqual(43);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const session = await sessionUser(http);
    expect(session.user).toMatchObject({ email: 'ada@example.test', provider: 'gitlab', username: 'ada', name: 'Ada Lovelace', emailVerified: true });
    expect((await http.get('/api/user', bearer(session.token!))).status).toBe(200);
    const stored = await app.app.get(UserRepository).findByEmail('ada@example.test');
    expect(stored).toMatchObject({ openidId: '4242', openidIssuer: gitlab.url });
  });

  it('the shared rules apply: an unconfirmed GitLab address with the same email does not take the account over', async () => {
    const { callback } = await socialLogin(app, gitlab, 'gitlab', { login: 'sneaky' });
    expect(callback.location).toBe(FAILURE_URL);
  });

  it('the shared flow safety applies: replayed state and access_denied fail cleanly', async () => {
    gitlab.denyNext = true;
    expect((await socialLogin(app, gitlab, 'gitlab', { login: 'ada' })).callback.location).toBe(FAILURE_URL);
    const ok = await socialLogin(app, gitlab, 'gitlab', { login: 'ada' });
    const replay = await ok.http.get(ok.redirectBack.pathname + ok.redirectBack.search, {
      headers: { cookie: ok.start.setCookies.map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(replay.location).toBe(FAILURE_URL);
  });

  it('a module whose config is incomplete refuses to build, naming the variable', () => {
    expect(() => GitLabLoginModule.forRoot({ GITLAB_CLIENT_ID: 'x' })).toThrow(/GITLAB_CLIENT_SECRET/);
  });
});
