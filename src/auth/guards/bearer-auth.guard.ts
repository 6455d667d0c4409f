import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { routeMetadata } from '../../common/route-metadata';
import { Reflector } from '@nestjs/core';
import { clientKey } from '../../common/client-ip';
import { DomainError } from '../../common/errors';
import { andThen, type MaybePromise } from '../../common/maybe-async';
import type { RequestCookies } from '../../common/http';
import { BansService, banTargetOf } from '../../moderation';
import type { UserRecord } from '../../storage';
import { assertAccountEnabled } from '../../users';
import { AccessTokenService, type AccessClaims } from '../access-token.service';
import { FederatedSessions } from '../federation/federated-sessions';
import { AuthenticatedRequest, IS_PUBLIC } from './auth.decorators';
import { AuthErrors } from '../auth.errors';
import { RecentUsers } from './recent-users';
import { assertRoles } from './roles.check';

/**
 * Global guard: every route needs `Authorization: Bearer <access token>` unless marked @Public(),
 * then the route's @Roles. Failures are 401 `{ message, code }` (403 for a role); a deleted or banned
 * user's tokens stop working at once when this process deleted or banned them, and within
 * RECENT_LOOKUP_MS (1 s) when another process did: the user and ban lookups of this path, made on
 * every API call, are reused for that long (`RecentUsers`, `BansService.assertNotBannedRecently`),
 * evicted by this process's own writes.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly users: RecentUsers,
    private readonly bans: BansService,
    private readonly federated: FederatedSessions,
  ) {}

  /**
   * Synchronous when the token is a Gatehouse access token and its user and ban verdict were looked
   * up less than a second ago, which is most API calls: no promise is made (common/maybe-async.ts).
   * The checks are the same either way; only their answers arrive sooner.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const isPublic = routeMetadata<boolean>(this.reflector, IS_PUBLIC, context) === true;
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      if (!isPublic) throw new DomainError(AuthErrors.TOKEN_MISSING);
      return this.authorize(context, request);
    }
    const pending = this.anonymousOnPublic(isPublic, () => this.identify(request, token, isPublic));
    return pending ? pending.then(() => this.authorize(context, request)) : this.authorize(context, request);
  }

  private authorize(context: ExecutionContext, request: AuthenticatedRequest): true {
    assertRoles(this.reflector, context, request.user);
    return true;
  }

  /**
   * On public routes (e.g. GET /api/config) a bad token simply means "anonymous", and an IdP whose
   * keys are briefly unreachable (503) must not take public routes down with it. Thrown at once or
   * rejected later, the same errors are forgiven.
   */
  private anonymousOnPublic(isPublic: boolean, attempt: () => MaybePromise<void>): Promise<void> | undefined {
    const forgive = (error: unknown): void => {
      if (isPublic && error instanceof DomainError && (error.status === 401 || error.status === 503)) return;
      throw error;
    };
    try {
      const pending = attempt();
      return pending instanceof Promise ? pending.catch(forgive) : undefined;
    } catch (error) {
      forgive(error);
      return undefined;
    }
  }

  /** Puts the token's user and claims on the request, or throws 401. */
  private identify(request: AuthenticatedRequest, token: string, isPublic: boolean): MaybePromise<void> {
    // Reused IdP tokens (OPENID_REUSE_TOKENS) are claimed by their module, which checks them
    // against the provider's JWKS; everything else must be a Gatehouse access token.
    const federated = this.federated.authenticateBearer({ cookies: request.cookies as RequestCookies | undefined, addressKey: clientKey(request) }, token);
    if (federated) {
      return federated.then((claimed) => (claimed ? this.admit(request, claimed.user, claimed.claims, isPublic) : this.identifyOwn(request, token, isPublic)));
    }
    return this.identifyOwn(request, token, isPublic);
  }

  private identifyOwn(request: AuthenticatedRequest, token: string, isPublic: boolean): MaybePromise<void> {
    const claims = this.tokens.verify(token);
    return andThen(this.users.findById(claims.id), (user) => {
      if (!user) throw new DomainError(AuthErrors.TOKEN_INVALID);
      return this.admit(request, user, claims, isPublic);
    });
  }

  /**
   * An access token issued before a ban stops working with the ban, not at its expiry (MB-08).
   * Public routes check bans themselves (login, refresh) or serve anyone (config, health).
   */
  private admit(request: AuthenticatedRequest, user: UserRecord, claims: AccessClaims, isPublic: boolean): MaybePromise<void> {
    if (isPublic) return this.attach(request, user, claims);
    assertAccountEnabled(user);
    return andThen(this.bans.assertNotBannedRecently(banTargetOf(request, user.id)), () => this.attach(request, user, claims));
  }

  private attach(request: AuthenticatedRequest, user: UserRecord, claims: AccessClaims): void {
    request.user = user;
    request.auth = claims;
  }
}

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
