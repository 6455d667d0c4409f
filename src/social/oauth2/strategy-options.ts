import type { PassportStrategyLike } from './passport-runner';

/**
 * The verify callback every built-in provider uses: the profile is handed on unchanged and the
 * shared use case decides the account after the strategy is done.
 */
export function keepProfile(_accessToken: string, _refreshToken: string, profile: unknown, done: (err: null, user: unknown) => void): void {
  done(null, profile);
}

/**
 * The strategies' own typings do not know `store`/`pkce` (passport-oauth2 options they pass
 * through) and split overloads on `passReqToCallback`; this is the shape they all accept at runtime.
 */
export type OAuth2StrategyClass = new (options: Record<string, unknown>, verify: typeof keepProfile) => PassportStrategyLike;

export function strategyClass(ctor: unknown): OAuth2StrategyClass {
  return ctor as OAuth2StrategyClass;
}
