import { Injectable, Logger } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Clock } from '../common/clock';
import { OPENID_IDP_UNAVAILABLE, type FederatedRefresh, type FederatedRequest } from '../auth';
import { CookieInstructions } from '../common/http';
import { SingleFlight } from '../common/single-flight';
import { DomainError } from '../common/errors';
import { KeyValueStore, UserRepository, type IdpTokenSet, type UserRecord } from '../storage';
import { bearerCandidate } from './bearer-candidate';
import { IdpTokenStore } from './idp-token.store';
import { OpenIdUserCookie } from './openid-user-cookie';
import { ReuseCookies } from './reuse-cookies';
import { ReuseIdpUnavailableError, ReuseProviders, type ReuseIdentityProvider } from './reuse-identity-provider';

/** A request sent before the browser stored a rotated refresh cookie may still present the old one. */
const ROTATION_GRACE_MS = 30_000;
/**
 * Requests that raced an IdP refresh (several tabs, a slow network) but arrive just after it
 * finished get its result instead of a second IdP call, even past OPENID_REUSE_MAX_SESSION_AGE_MS.
 */
const RACE_WINDOW_MS = 5_000;
/** Access tokens this close to expiry are refreshed before being handed to an upstream. */
const EARLY_REFRESH_MS = 60_000;
/** How often an instance waiting on another's refresh looks at the vault. */
const LEASE_POLL_MS = 100;

type Outcome = { kind: 'ok'; token: string; tokens: IdpTokenSet } | { kind: 'ended' };

/**
 * POST /api/auth/refresh for a reuse session (docs/librechat-differences.md#openid-sign-in-and-token-reuse, improved):
 * - tokens come from the vault; the `refreshToken` cookie must be the one stored for this
 *   login (a stale or foreign cookie ends the session instead of being sent to the IdP);
 * - inside OPENID_REUSE_MAX_SESSION_AGE_MS a still-valid token is served with no IdP call (TR-05);
 * - otherwise one IdP refresh per login at a time (single-flight), so tabs refreshing together
 *   share it and a rotating refresh token is never spent twice;
 * - `invalid_grant` (IdP idle timeout, revoked grant) clears the cookies and answers "not
 *   signed in" once — the next call has no cookie, so there is no loop (TR-03);
 * - IdP 5xx/timeout → 503 and the session is kept (TR-04);
 * - a refreshed ID token must carry the same `iss` and `sub` (CS-14).
 */
@Injectable()
export class OpenIdRefreshService {
  private readonly logger = new Logger('OpenIdRefresh');
  private readonly flights = new SingleFlight<Outcome>();
  private readonly recent = new Map<string, { outcome: Outcome; presented: string; at: number }>();

  constructor(
    private readonly providers: ReuseProviders,
    private readonly cookies: ReuseCookies,
    private readonly store: IdpTokenStore,
    private readonly users: UserRepository,
    private readonly kv: KeyValueStore,
    private readonly clock: Clock,
  ) {}

  /** Plain inputs (the request's cookies); the answer carries the cookie instructions AuthController applies. */
  async refresh(request: Pick<FederatedRequest, 'cookies'>): Promise<FederatedRefresh | undefined> {
    const session = this.cookies.read(request.cookies);
    const idp = session ? this.providers.get(session.who.provider) : undefined;
    if (!session || !idp) return undefined;
    const { who } = session;
    const cookies = new CookieInstructions();
    const [stored, user] = await Promise.all([this.store.load(who.id, who.sid, idp.name), this.users.findById(who.id)]);
    if (!stored?.refreshToken || !user || !session.refreshToken || !this.presentedIsCurrent(session.refreshToken, stored)) {
      await this.end(cookies, who, 'no stored tokens for this login, or the refresh cookie is not the stored one');
      return { notSignedIn: true, cookies };
    }
    const fresh = this.servable(stored, idp);
    if (fresh) return { token: fresh, user, cookies };
    // A request that still carries the refresh token a moment-ago refresh rotated away raced that
    // refresh, perhaps on another instance (TR-12): it gets that refresh's result, and the cookie
    // follows the rotation, instead of a second IdP refresh.
    const raced = this.racedRotation(session.refreshToken, stored);
    if (raced) {
      this.cookies.toSet(stored.refreshToken, who, cookies);
      return { token: raced, user, cookies };
    }

    const key = `${who.id}\u0000${who.sid}`;
    const presented = session.refreshToken;
    const racedHere = this.recent.get(key);
    let outcome: Outcome;
    try {
      if (racedHere && this.clock.now().getTime() - racedHere.at <= RACE_WINDOW_MS && same(racedHere.presented, presented) && racedHere.outcome.kind === 'ok')
        outcome = racedHere.outcome;
      else outcome = await this.flights.run(key, () => this.refreshOnce(idp, who.id, who.sid, stored).then((result) => this.remember(key, presented, result)));
    } catch (error) {
      if (error instanceof ReuseIdpUnavailableError) {
        this.logger.warn({ userId: who.id }, `IdP refresh unavailable, session kept: ${error.message}`);
        throw new DomainError(OPENID_IDP_UNAVAILABLE);
      }
      throw error;
    }
    if (outcome.kind === 'ended') {
      await this.end(cookies, who, 'the identity provider ended the session');
      return { notSignedIn: true, cookies };
    }
    // Rotating providers hand out a new refresh token: the cookie follows the vault.
    if (outcome.tokens.refreshToken && outcome.tokens.refreshToken !== session.refreshToken) this.cookies.toSet(outcome.tokens.refreshToken, who, cookies);
    return { token: outcome.token, user: await this.currentUser(user), cookies };
  }

  /**
   * The stored IdP tokens of one reuse login for server-side use (template variables), refreshed
   * at the IdP first when the access token expires within a minute (TR-10). Shares the
   * single-flight with /api/auth/refresh, and moves the cookie along when the IdP rotates the
   * refresh token (the cookies to set are appended to `cookies`). Null when the login has no usable
   * tokens any more.
   */
  async currentTokens(who: OpenIdUserCookie, presented: string | null, cookies: CookieInstructions): Promise<IdpTokenSet | null> {
    const idp = this.providers.get(who.provider);
    if (!idp) return null;
    const stored = await this.store.load(who.id, who.sid, idp.name);
    if (!stored?.accessToken) return null;
    if (stored.expiresAt && stored.expiresAt.getTime() - this.clock.now().getTime() > EARLY_REFRESH_MS) return stored;
    if (!stored.refreshToken || !presented || !this.presentedIsCurrent(presented, stored)) return null;
    const key = `${who.id}\u0000${who.sid}`;
    let outcome: Outcome;
    try {
      outcome = await this.flights.run(key, () => this.refreshOnce(idp, who.id, who.sid, stored).then((result) => this.remember(key, presented, result)));
    } catch (error) {
      if (error instanceof ReuseIdpUnavailableError) throw new DomainError(OPENID_IDP_UNAVAILABLE);
      throw error;
    }
    if (outcome.kind === 'ended') return null;
    if (outcome.tokens.refreshToken && outcome.tokens.refreshToken !== presented) this.cookies.toSet(outcome.tokens.refreshToken, who, cookies);
    return outcome.tokens;
  }

  /**
   * One IdP refresh per login across instances (TR-12): the single-flight above is
   * per process, so a lease in the shared key-value store decides which instance spends the
   * (possibly rotating) refresh token; the others wait for its result to appear in the vault.
   * The holder failing on an outage releases the lease and the waiters answer 503 too; the
   * holder ending the login (invalid_grant) deletes the vault entry and they end it as well.
   */
  private async refreshOnce(idp: ReuseIdentityProvider, userId: string, loginId: string, stored: IdpTokenSet): Promise<Outcome> {
    const leaseKey = `openid:refresh-lease:${userId}:${loginId}`;
    const holder = randomBytes(12).toString('base64url');
    if (await this.kv.setIfAbsent(leaseKey, holder, idp.refreshLeaseMs, this.clock.now())) {
      try {
        return await this.refreshAtIdp(idp, userId, loginId, stored);
      } finally {
        if ((await this.kv.get(leaseKey, this.clock.now()).catch(() => null)) === holder) await this.kv.delete(leaseKey).catch(() => undefined);
      }
    }
    // Counted in polls, not read from the clock: this is real waiting on another instance, and a
    // clock a test holds still must not turn it into an endless loop.
    for (let polls = Math.ceil(idp.refreshLeaseMs / LEASE_POLL_MS); polls > 0; polls--) {
      await delay(LEASE_POLL_MS);
      const current = await this.store.load(userId, loginId, idp.name);
      if (!current) return { kind: 'ended' };
      if (current.refreshedAt !== stored.refreshedAt || current.refreshToken !== stored.refreshToken) {
        const token = bearerCandidate(current, this.clock.now().getTime(), true);
        return token ? { kind: 'ok', token, tokens: current } : { kind: 'ended' };
      }
      if (!(await this.kv.get(leaseKey, this.clock.now()))) break;
    }
    throw new ReuseIdpUnavailableError('another instance is refreshing this login and has not finished');
  }

  private remember(key: string, presented: string, outcome: Outcome): Outcome {
    const now = this.clock.now().getTime();
    for (const [k, entry] of this.recent) if (now - entry.at > RACE_WINDOW_MS) this.recent.delete(k);
    this.recent.set(key, { outcome, presented, at: now });
    return outcome;
  }

  private presentedIsCurrent(presented: string, stored: IdpTokenSet): boolean {
    if (same(presented, stored.refreshToken ?? '')) return true;
    const refreshedAt = stored.refreshedAt ? Date.parse(stored.refreshedAt) : NaN;
    return !!stored.previousRefreshToken && this.clock.now().getTime() - refreshedAt <= ROTATION_GRACE_MS && same(presented, stored.previousRefreshToken);
  }

  /** The stored result of the refresh that rotated `presented` away, when that was less than RACE_WINDOW_MS ago. */
  private racedRotation(presented: string, stored: IdpTokenSet): string | null {
    if (!stored.previousRefreshToken || !stored.refreshToken || !same(presented, stored.previousRefreshToken)) return null;
    const now = this.clock.now().getTime();
    const refreshedAt = stored.refreshedAt ? Date.parse(stored.refreshedAt) : NaN;
    if (!(now - refreshedAt >= 0 && now - refreshedAt <= RACE_WINDOW_MS)) return null;
    return bearerCandidate(stored, now, true);
  }

  /** The ID token (else a JWT access token) when recent enough and not about to expire. */
  private servable(tokens: IdpTokenSet, idp: ReuseIdentityProvider): string | null {
    const refreshedAt = tokens.refreshedAt ? Date.parse(tokens.refreshedAt) : NaN;
    const age = this.clock.now().getTime() - refreshedAt;
    if (!Number.isFinite(age) || age < 0 || age > idp.reuseMaxSessionAgeMs) return null;
    return bearerCandidate(tokens, this.clock.now().getTime());
  }

  private async refreshAtIdp(idp: ReuseIdentityProvider, userId: string, loginId: string, stored: IdpTokenSet): Promise<Outcome> {
    const tokens = await idp.refreshAtIdp(userId, stored);
    const token = tokens ? bearerCandidate(tokens, this.clock.now().getTime(), true) : null;
    if (!tokens || !token) return { kind: 'ended' };
    await this.store.save(userId, loginId, tokens, idp.name);
    return { kind: 'ok', token, tokens };
  }

  private async currentUser(user: UserRecord): Promise<UserRecord> {
    return (await this.users.findById(user.id)) ?? user;
  }

  private async end(cookies: CookieInstructions, who: OpenIdUserCookie, why: string): Promise<void> {
    this.logger.log({ userId: who.id }, `OpenID reuse session ended: ${why}`);
    await this.store.delete(who.id, who.sid, who.provider).catch(() => undefined);
    this.cookies.toClear(cookies);
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
