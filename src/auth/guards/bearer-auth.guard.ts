import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { routeMetadata } from '../../common/route-metadata';
import { Reflector } from '@nestjs/core';
import { clientKey } from '../../common/client-ip';
import { DomainError } from '../../common/errors';
import type { RequestCookies } from '../../common/http';
import { BansService, banTargetOf } from '../../moderation';
import { assertAccountEnabled } from '../../users';
import { AccessTokenService } from '../access-token.service';
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

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    await this.authenticate(context, request);
    assertRoles(this.reflector, context, request.user);
    return true;
  }

  private async authenticate(context: ExecutionContext, request: AuthenticatedRequest): Promise<void> {
    const isPublic = routeMetadata<boolean>(this.reflector, IS_PUBLIC, context);
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      if (isPublic) return;
      throw new DomainError(AuthErrors.TOKEN_MISSING);
    }
    try {
      // Reused IdP tokens (OPENID_REUSE_TOKENS) are claimed by their module, which checks them
      // against the provider's JWKS; everything else must be a Gatehouse access token.
      const federated = await this.federated.authenticateBearer(
        { cookies: request.cookies as RequestCookies | undefined, addressKey: clientKey(request) },
        token,
      );
      if (federated) {
        if (!isPublic) {
          assertAccountEnabled(federated.user);
          await this.bans.assertNotBannedRecently(banTargetOf(request, federated.user.id));
        }
        request.user = federated.user;
        request.auth = federated.claims;
        return;
      }
      const claims = this.tokens.verify(token);
      const user = await this.users.findById(claims.id);
      if (!user) throw new DomainError(AuthErrors.TOKEN_INVALID);
      // An access token issued before a ban stops working with the ban, not at its expiry (MB-08).
      // Public routes check bans themselves (login, refresh) or serve anyone (config, health).
      if (!isPublic) {
        assertAccountEnabled(user);
        await this.bans.assertNotBannedRecently(banTargetOf(request, user.id));
      }
      request.user = user;
      request.auth = claims;
    } catch (error) {
      // On public routes (e.g. GET /api/config) a bad token simply means "anonymous".
      // An IdP whose keys are briefly unreachable (503) must not take public routes down with it.
      if (isPublic && error instanceof DomainError && (error.status === 401 || error.status === 503)) return;
      throw error;
    }
  }
}

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
