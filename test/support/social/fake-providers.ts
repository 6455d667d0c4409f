import type * as http from 'node:http';
import { FakeOAuthServer, type FakeShape, type FakeUser } from './fake-oauth-server';

/**
 * Google: authorize at accounts.google.com/o/oauth2/v2/auth, token at oauth2.googleapis.com/token,
 * OpenID userinfo at openidconnect.googleapis.com/v1/userinfo (`sub`, `email_verified`, `picture`).
 */
export function fakeGoogle(users: Record<string, FakeUser>): Promise<FakeOAuthServer> {
  const shape: FakeShape = {
    name: 'google',
    authorizePath: '/o/oauth2/v2/auth',
    tokenPath: '/token',
    tokenResponse: (token) => ({
      contentType: 'application/json',
      body: JSON.stringify({
        access_token: token,
        expires_in: 3599,
        scope: 'openid https://www.googleapis.com/auth/userinfo.profile https://www.googleapis.com/auth/userinfo.email',
        token_type: 'Bearer',
        id_token: 'unused.by.passport',
      }),
    }),
    resources: { '/v1/userinfo': (user) => user },
  };
  return new FakeOAuthServer(shape, users).start();
}

/**
 * GitHub: the web flow under /login/oauth/*, the REST API (`/user`, `/user/emails` with
 * `primary`/`verified`) on api.github.com — or under /api/v3 on GitHub Enterprise Server. The
 * token endpoint answers form-encoded unless the client asks for JSON, and the API rejects
 * requests without a User-Agent, as GitHub does.
 */
export function fakeGitHub(users: Record<string, FakeUser & { emails?: unknown[] }>, options: { enterprise?: boolean } = {}): Promise<FakeOAuthServer> {
  const api = options.enterprise ? '/api/v3' : '';
  const requireAgent = (req: { headers: http.IncomingHttpHeaders }) => typeof req.headers['user-agent'] === 'string' && req.headers['user-agent'] !== '';
  const shape: FakeShape = {
    name: options.enterprise ? 'github-enterprise' : 'github',
    authorizePath: '/login/oauth/authorize',
    tokenPath: '/login/oauth/access_token',
    tokenResponse: (token, req) =>
      /json/.test(req.headers.accept ?? '')
        ? { contentType: 'application/json', body: JSON.stringify({ access_token: token, scope: 'read:user,user:email', token_type: 'bearer' }) }
        : {
            contentType: 'application/x-www-form-urlencoded',
            body: new URLSearchParams({ access_token: token, scope: 'read:user,user:email', token_type: 'bearer' }).toString(),
          },
    resources: {
      [`${api}/user`]: (user, _url, server) => (requireAgent(server.resourceRequests.at(-1)!) ? profileOnly(user) : null),
      [`${api}/user/emails`]: (user, _url, server) => (requireAgent(server.resourceRequests.at(-1)!) ? (user.emails ?? []) : null),
    },
  };
  return new FakeOAuthServer(shape, users).start();
}

function profileOnly(user: FakeUser): FakeUser {
  const { emails: _emails, ...profile } = user;
  return profile;
}

/** Discord: /oauth2/authorize, /api/oauth2/token, /api/users/@me (`avatar` hash, `discriminator`, `verified`). */
export function fakeDiscord(users: Record<string, FakeUser>): Promise<FakeOAuthServer> {
  const shape: FakeShape = {
    name: 'discord',
    authorizePath: '/oauth2/authorize',
    tokenPath: '/api/oauth2/token',
    tokenResponse: (token) => ({
      contentType: 'application/json',
      body: JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 604800, refresh_token: 'unused', scope: 'identify email' }),
    }),
    resources: { '/api/users/@me': (user) => user },
  };
  return new FakeOAuthServer(shape, users).start();
}

/**
 * Facebook Graph: /dialog/oauth, /oauth/access_token, /me?fields=… returning only the fields
 * asked for (`picture` as `{ data: { url } }`); `email` only when the user granted it.
 * Requires a matching `appsecret_proof`, as an app with "Require App Secret" does.
 */
export function fakeFacebook(users: Record<string, FakeUser>): Promise<FakeOAuthServer> {
  const shape: FakeShape = {
    name: 'facebook',
    authorizePath: '/dialog/oauth',
    tokenPath: '/oauth/access_token',
    resources: {
      '/me': (user, url, server) => {
        const token = url.searchParams.get('access_token') ?? (server.resourceRequests.at(-1)!.headers.authorization ?? '').split(' ')[1] ?? '';
        if (url.searchParams.get('appsecret_proof') !== server.appSecretProof(token)) return null;
        const fields = (url.searchParams.get('fields') ?? 'id,name').split(',');
        const granted = String(server.lastAuthorization.get('scope') ?? '').split(',');
        const out: FakeUser = {};
        for (const field of fields) {
          if (field === 'email' && !granted.includes('email')) continue;
          if (field === 'picture' && typeof user.picture === 'string')
            out.picture = { data: { height: 50, is_silhouette: false, url: user.picture, width: 50 } };
          else if (user[field] !== undefined) out[field] = user[field];
        }
        return out;
      },
    },
  };
  return new FakeOAuthServer(shape, users).start();
}

/** GitLab: /oauth/authorize, /oauth/token, /api/v4/user (`confirmed_at` when the address is confirmed). */
export function fakeGitLab(users: Record<string, FakeUser>): Promise<FakeOAuthServer> {
  const shape: FakeShape = {
    name: 'gitlab',
    authorizePath: '/oauth/authorize',
    tokenPath: '/oauth/token',
    tokenResponse: (token) => ({
      contentType: 'application/json',
      body: JSON.stringify({
        access_token: token,
        token_type: 'Bearer',
        expires_in: 7200,
        refresh_token: 'unused',
        scope: 'read_user',
        created_at: 1700000000,
      }),
    }),
    resources: { '/api/v4/user': (user) => user },
  };
  return new FakeOAuthServer(shape, users).start();
}
