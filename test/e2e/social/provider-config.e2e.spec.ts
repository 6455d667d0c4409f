import { loadConfig } from '../../../src/config';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { fakeGoogle, providerEnv, startSocialApp, type FakeOAuthServer } from '../../support/social';

describe('social provider configuration', () => {
  it.each([
    ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
    ['GITHUB_CLIENT_SECRET', 'GITHUB_CLIENT_ID'],
    ['DISCORD_CLIENT_ID', 'DISCORD_CLIENT_SECRET'],
    ['FACEBOOK_CLIENT_SECRET', 'FACEBOOK_CLIENT_ID'],
  ])('a half-configured provider (%s only) is a boot error naming %s', (given, missing) => {
    const result = loadConfig({ NODE_ENV: 'test', ALLOW_SOCIAL_LOGIN: 'true', [given]: 'value' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toMatch(new RegExp(`^${missing}: is required`, 'm'));
  });

  describe('with credentials', () => {
    let google: FakeOAuthServer;
    let off: RunningApp;
    let custom: RunningApp;

    beforeAll(async () => {
      google = await fakeGoogle({});
      off = await startSocialApp({ ...providerEnv('GOOGLE', google), ALLOW_SOCIAL_LOGIN: 'false' });
      custom = await startSocialApp({ ...providerEnv('GOOGLE', google), GOOGLE_CALLBACK_URL: '/auth/google/return' });
    });
    afterAll(async () => {
      await off?.stop();
      await custom?.stop();
      await google?.stop();
    });

    it('ALLOW_SOCIAL_LOGIN=false: the provider is off in /api/config and its routes answer 404', async () => {
      const http = new HttpClient(off.url);
      expect((await http.get('/api/config')).body).toMatchObject({ googleLoginEnabled: false, loginProviders: [] });
      expect((await http.get('/oauth/google')).status).toBe(404);
      expect((await http.get('/oauth/google/callback?code=x&state=y')).status).toBe(404);
    });

    it('GOOGLE_CALLBACK_URL is appended to DOMAIN_SERVER (a path, never "undefined")', async () => {
      const start = await new HttpClient(custom.url).get('/oauth/google');
      expect(new URL(start.location!).searchParams.get('redirect_uri')).toBe(`${custom.url}/auth/google/return`);
    });
  });
});
