import { AppleModule } from './apple/apple.module';
import { DiscordModule } from './discord/discord.module';
import { FacebookModule } from './facebook/facebook.module';
import { GitHubModule } from './github/github.module';
import { GoogleModule } from './google/google.module';

/** The LibreChat providers; each registers itself only when configured. */
export const BUILTIN_SOCIAL_PROVIDER_MODULES = [GoogleModule, GitHubModule, DiscordModule, FacebookModule, AppleModule];
