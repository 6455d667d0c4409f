import type { PassportStrategyLike } from './passport-runner';

/**
 * The strategies' own typings do not know `store`/`pkce` (passport-oauth2 options they pass
 * through) and split overloads on `passReqToCallback`; this is the shape they all accept at runtime.
 * Used as `PassportStrategy(strategyClass(Strategy), name)` for the built-in providers.
 */
export type OAuth2StrategyClass = new (options: Record<string, unknown>, verify: (...args: never[]) => void) => PassportStrategyLike;

export function strategyClass(ctor: unknown): OAuth2StrategyClass {
  return ctor as OAuth2StrategyClass;
}
