import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { socialStrategyProvider } from '../oauth2/strategy-provider';
import { SocialProviders } from '../social-providers';
import { githubProfile } from './github.profile';
import { GitHubStrategy, GITHUB_SCOPES } from './github.strategy';

/** "Continue with GitHub" (`/oauth/github`), github.com or GitHub Enterprise Server. */
@Module({ providers: [socialStrategyProvider(GitHubStrategy, (social) => social.github)] })
export class GitHubModule implements OnModuleInit {
  constructor(
    private readonly providers: SocialProviders,
    @Inject(GitHubStrategy) private readonly strategy: GitHubStrategy | null,
  ) {}

  onModuleInit(): void {
    if (!this.strategy) return;
    this.providers.register({
      name: 'github',
      label: 'GitHub',
      iconUrl: null,
      scopes: GITHUB_SCOPES,
      strategy: this.strategy,
      identityKey: { field: 'githubId' },
      profile: githubProfile,
    });
  }
}
