import type { FactoryProvider, Type } from '@nestjs/common';
import { SocialConfig } from '../../config';
import { SocialProviders } from '../social-providers';

/**
 * A provider module's strategy as a Nest provider: constructed through DI from the module's
 * settings when the provider is enabled, and `null` otherwise, so a switched-off provider never
 * builds a passport strategy (which would refuse missing credentials at construction).
 */
export function socialStrategyProvider<S, T>(
  strategy: Type<T> & (new (settings: S, providers: SocialProviders) => T),
  settingsOf: (social: SocialConfig) => S | null | undefined,
): FactoryProvider<T | null> {
  return {
    provide: strategy,
    inject: [SocialConfig, SocialProviders],
    useFactory: (social: SocialConfig, providers: SocialProviders) => {
      const settings = settingsOf(social);
      return settings && providers.isEnabled(settings) ? new strategy(settings, providers) : null;
    },
  };
}
