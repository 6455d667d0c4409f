import { Module, type DynamicModule, type OnModuleInit, Inject } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import OAuth2Strategy from 'passport-oauth2';
import { z } from 'zod';
import { SocialProviders, strategyClass, type SocialProfile } from '../../../src/social';

/**
 * The example of docs/providers.md, used as written: a GitLab (self-managed or gitlab.com)
 * sign-in added as one module through the public API only — config schema, strategy,
 * profile mapping and registration. Routes, /api/config, state, PKCE, account rules and the
 * session come from the registry.
 */
export const gitlabSchema = z.object({
  GITLAB_CLIENT_ID: z.string().min(1),
  GITLAB_CLIENT_SECRET: z.string().min(1),
  GITLAB_BASE_URL: z.string().url().default('https://gitlab.com'),
  GITLAB_CALLBACK_URL: z.string().default('/oauth/gitlab/callback'),
});
export type GitLabSettings = z.output<typeof gitlabSchema>;

const GITLAB_SETTINGS = Symbol('GITLAB_SETTINGS');

/** GET /api/v4/user */
interface GitLabUser {
  id: number;
  username: string;
  name?: string;
  email?: string;
  avatar_url?: string | null;
  /** Set once the primary address is confirmed. */
  confirmed_at?: string | null;
}

export function gitlabProfile(raw: unknown): SocialProfile {
  const user = raw as GitLabUser;
  return {
    id: String(user.id),
    email: user.email ?? null,
    emailVerified: typeof user.confirmed_at === 'string' && user.confirmed_at !== '',
    name: user.name ?? null,
    username: user.username,
    avatar: user.avatar_url ?? null,
  };
}

/** passport-oauth2 with GitLab's endpoints, as a Nest passport strategy. */
export class GitLabStrategy extends PassportStrategy(strategyClass(OAuth2Strategy), 'gitlab') {
  private readonly base: string;

  constructor(settings: GitLabSettings, providers: SocialProviders) {
    const base = settings.GITLAB_BASE_URL.replace(/\/+$/, '');
    // strategyClass: passport-oauth2's typings know neither `pkce` stores nor `store` with a verifier.
    super({
      authorizationURL: `${base}/oauth/authorize`,
      tokenURL: `${base}/oauth/token`,
      clientID: settings.GITLAB_CLIENT_ID,
      clientSecret: settings.GITLAB_CLIENT_SECRET,
      callbackURL: providers.callbackUrl(settings.GITLAB_CALLBACK_URL),
      scope: ['read_user'],
      state: true,
      pkce: true,
      store: providers.stateStore('gitlab'),
    });
    this.base = base;
  }

  /** passport-oauth2 knows no profile endpoint: fetch GitLab's user object with the access token. */
  userProfile(accessToken: string, done: (err?: unknown, profile?: unknown) => void): void {
    const oauth2 = (this as unknown as { _oauth2: OAuth2Strategy['_oauth2'] })._oauth2;
    oauth2.useAuthorizationHeaderforGET(true);
    oauth2.get(`${this.base}/api/v4/user`, accessToken, (err, body) => {
      if (err) return done(Object.assign(new Error('Failed to fetch the GitLab user'), { oauthError: err }));
      try {
        done(null, JSON.parse(String(body)));
      } catch {
        done(new Error('Failed to parse the GitLab user'));
      }
    });
  }

  validate(_accessToken: string, _refreshToken: string, profile: unknown): unknown {
    return profile;
  }
}

@Module({})
export class GitLabLoginModule implements OnModuleInit {
  /** `env`: the variables to read; the schema reports what is missing or malformed. */
  static forRoot(env: Record<string, string | undefined>): DynamicModule {
    const settings = gitlabSchema.parse(env);
    return {
      module: GitLabLoginModule,
      providers: [
        { provide: GITLAB_SETTINGS, useValue: settings },
        // Built only when enabled (ALLOW_SOCIAL_LOGIN + credentials): a strategy refuses missing credentials.
        {
          provide: GitLabStrategy,
          inject: [SocialProviders],
          useFactory: (providers: SocialProviders) => (providers.isEnabled(settings) ? new GitLabStrategy(settings, providers) : null),
        },
      ],
    };
  }

  constructor(
    private readonly providers: SocialProviders,
    @Inject(GITLAB_SETTINGS) private readonly settings: GitLabSettings,
    @Inject(GitLabStrategy) private readonly strategy: GitLabStrategy | null,
  ) {}

  onModuleInit(): void {
    if (!this.strategy) return;
    const base = this.settings.GITLAB_BASE_URL.replace(/\/+$/, '');
    this.providers.register({
      name: 'gitlab',
      label: 'GitLab',
      iconUrl: `${base}/favicon.ico`,
      scopes: ['read_user'],
      strategy: this.strategy,
      // No column of its own: the issuer-bound slot, with the instance URL as the issuer.
      identityKey: { field: 'openidId', issuer: base },
      profile: gitlabProfile,
    });
  }
}
