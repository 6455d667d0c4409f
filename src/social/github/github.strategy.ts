import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-github2';
import { strategyClass } from '../oauth2/strategy-options';
import type { SocialProviders } from '../social-providers';

export const GITHUB_SCOPES = ['user:email', 'read:user'];

export interface GitHubSettings {
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
  baseUrl: string | null;
  enterpriseBaseUrl: string | null;
  enterpriseUserAgent: string | null;
}

/**
 * github.com splits the web flow (github.com/login/oauth/*) from the API (api.github.com);
 * GitHub Enterprise Server serves both from one host with the API under /api/v3
 * (GITHUB_ENTERPRISE_BASE_URL). GITHUB_OAUTH_BASE_URL replaces both github.com hosts.
 */
export function githubEndpoints(settings: Pick<GitHubSettings, 'baseUrl' | 'enterpriseBaseUrl'>) {
  if (settings.enterpriseBaseUrl) {
    const base = settings.enterpriseBaseUrl;
    return {
      authorizationURL: `${base}/login/oauth/authorize`,
      tokenURL: `${base}/login/oauth/access_token`,
      userProfileURL: `${base}/api/v3/user`,
      userEmailURL: `${base}/api/v3/user/emails`,
    };
  }
  const web = settings.baseUrl ?? 'https://github.com';
  const api = settings.baseUrl ?? 'https://api.github.com';
  return {
    authorizationURL: `${web}/login/oauth/authorize`,
    tokenURL: `${web}/login/oauth/access_token`,
    userProfileURL: `${api}/user`,
    userEmailURL: `${api}/user/emails`,
  };
}

/** passport-github2 as a Nest passport strategy; run by the social runner, never with sessions. */
export class GitHubStrategy extends PassportStrategy(strategyClass(Strategy), 'github') {
  constructor(settings: GitHubSettings, providers: SocialProviders) {
    super({
      ...providers.strategyOptions('github', settings, GITHUB_SCOPES, { pkce: true }),
      ...githubEndpoints(settings),
      // GitHub's API refuses requests without a User-Agent; Enterprise installs may require their own.
      ...(settings.enterpriseUserAgent ? { userAgent: settings.enterpriseUserAgent } : {}),
      // Every address with its `primary` and `verified` flags, not just the primary's value.
      allRawEmails: true,
    });
  }

  /** The profile goes on unchanged: the shared social-login use case decides the account. */
  validate(_accessToken: string, _refreshToken: string, profile: unknown): unknown {
    return profile;
  }
}
