import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { CLIENT_ORIGIN, fakeDiscord, fakeFacebook, providerEnv, sessionUser, socialLogin, startSocialApp, type FakeOAuthServer } from '../../support/social';
import { bearer } from '../auth/auth-helpers';
import { discordAvatarUrl } from '../../../src/social/discord/discord.profile';

describe('Discord and Facebook sign-in against fake APIs', () => {
  let discord: FakeOAuthServer;
  let facebook: FakeOAuthServer;
  let app: RunningApp;

  beforeAll(async () => {
    discord = await fakeDiscord({
      animated: {
        id: '80351110224678912',
        username: 'nelly',
        global_name: 'Nelly',
        discriminator: '0',
        avatar: 'a_8342729096ea3675442027381ff50dfe',
        email: 'nelly@example.test',
        verified: true,
      },
      legacy: {
        id: '80351110224678913',
        username: 'oldtimer',
        global_name: null,
        discriminator: '1337',
        avatar: null,
        email: 'old@example.test',
        verified: true,
      },
    });
    facebook = await fakeFacebook({
      zuck: { id: '10150000000000001', name: 'Mark Example', email: 'mark@example.test', picture: 'https://platform-lookaside.fbsbx.com/mark.jpg' },
    });
    app = await startSocialApp({ ...providerEnv('DISCORD', discord), ...providerEnv('FACEBOOK', facebook), SOCIAL_LOGINS: 'discord,facebook' });
  });
  afterAll(async () => {
    await app?.stop();
    await discord?.stop();
    await facebook?.stop();
  });

  it('/api/config: both flags on, socialLogins in the configured order', async () => {
    const res = await new HttpClient(app.url).get('/api/config');
    expect(res.body).toMatchObject({
      discordLoginEnabled: true,
      facebookLoginEnabled: true,
      googleLoginEnabled: false,
      githubLoginEnabled: false,
      socialLogins: ['discord', 'facebook'],
    });
  });

  it('Discord: identify email, prompt=none, state; the animated avatar is a .gif on the CDN', async () => {
    const { http, authorization, callback } = await socialLogin(app, discord, 'discord', { login: 'animated' });
    expect(authorization.pathname).toBe('/oauth2/authorize');
    expect(authorization.searchParams.get('scope')).toBe('identify email');
    expect(authorization.searchParams.get('prompt')).toBe('none');
    expect(authorization.searchParams.get('state')!.length).toBeGreaterThanOrEqual(43);
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    // Only the user object is fetched: no guilds/connections probes.
    expect(discord.resourceRequests.map((r) => r.path)).toEqual(['/api/users/@me']);
    const session = await sessionUser(http);
    expect(session.user).toMatchObject({
      email: 'nelly@example.test',
      provider: 'discord',
      username: 'nelly',
      name: 'Nelly',
      emailVerified: true,
      avatar: 'https://cdn.discordapp.com/avatars/80351110224678912/a_8342729096ea3675442027381ff50dfe.gif',
    });
    expect((await http.get('/api/user', bearer(session.token!))).status).toBe(200);
  });

  it('Discord: without an avatar, the default embed avatar by discriminator % 5', async () => {
    const { http } = await socialLogin(app, discord, 'discord', { login: 'legacy' });
    const session = await sessionUser(http);
    expect(session.user).toMatchObject({ email: 'old@example.test', name: 'oldtimer', avatar: 'https://cdn.discordapp.com/embed/avatars/2.png' });
  });

  it('Discord avatar rules (docs/librechat-differences.md#social-sign-in): png for static hashes, (id >> 22) % 6 for new-style usernames', () => {
    expect(discordAvatarUrl({ id: '1', avatar: 'abc', discriminator: '0' })).toBe('https://cdn.discordapp.com/avatars/1/abc.png');
    expect(discordAvatarUrl({ id: '80351110224678912', avatar: null, discriminator: '0' })).toBe(
      `https://cdn.discordapp.com/embed/avatars/${Number((80351110224678912n >> 22n) % 6n)}.png`,
    );
    expect(discordAvatarUrl({ id: '5', avatar: null, discriminator: '0005' })).toBe('https://cdn.discordapp.com/embed/avatars/0.png');
  });

  it('Facebook: asks for the email permission, reads /me?fields=id,name,email,picture with appsecret_proof, signs in', async () => {
    const { http, authorization, callback } = await socialLogin(app, facebook, 'facebook', { login: 'zuck' });
    expect(authorization.pathname).toBe('/dialog/oauth');
    expect(authorization.searchParams.get('scope')).toBe('public_profile,email');
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const me = facebook.resourceRequests.at(-1)!;
    expect(me.path).toBe('/me');
    expect(me.url.searchParams.get('fields')).toBe('id,name,email,picture');
    expect(me.url.searchParams.get('appsecret_proof')).toMatch(/^[0-9a-f]{64}$/);
    const session = await sessionUser(http);
    expect(session.user).toMatchObject({
      email: 'mark@example.test',
      provider: 'facebook',
      name: 'Mark Example',
      avatar: 'https://platform-lookaside.fbsbx.com/mark.jpg',
    });
    expect((await http.get('/api/user', bearer(session.token!))).status).toBe(200);
  });
});
