import { Module, OnModuleInit } from '@nestjs/common';
import { SocialConfig } from '../../config';
import { SocialProviders } from '../social-providers';
import { githubProfile } from './github.profile';
import { createGitHubStrategy, GITHUB_SCOPES } from './github.strategy';

/** "Continue with GitHub" (`/oauth/github`), github.com or GitHub Enterprise Server. */
@Module({})
export class GitHubModule implements OnModuleInit {
  constructor(
    private readonly providers: SocialProviders,
    private readonly social: SocialConfig,
  ) {}

  onModuleInit(): void {
    const settings = this.social.github;
    if (!settings || !this.providers.isEnabled(settings)) return;
    this.providers.register({
      name: 'github',
      label: 'GitHub',
      iconUrl: null,
      scopes: GITHUB_SCOPES,
      strategy: createGitHubStrategy(settings, this.providers),
      identityKey: { field: 'githubId' },
      profile: githubProfile,
    });
  }
}
