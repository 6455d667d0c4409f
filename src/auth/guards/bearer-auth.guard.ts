import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../../common/errors';
import { BansService, banTargetOf } from '../../moderation';
import { UserRepository } from '../../storage';
import { AccessTokenService } from '../access-token.service';
import { FederatedSessions } from '../federation/federated-sessions';
import { AuthenticatedRequest, IS_PUBLIC } from './auth.decorators';
import { AuthErrors } from '../auth.errors';

/**
 * Global guard: every route needs `Authorization: Bearer <access token>` unless marked @Public().
 * Failures are 401 `{ message, code }`; a deleted or banned user's tokens stop working at once.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly users: UserRepository,
    private readonly bans: BansService,
    private readonly federated: FederatedSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      if (isPublic) return true;
      throw new DomainError(AuthErrors.TOKEN_MISSING);
    }
    try {
      // Reused IdP tokens (OPENID_REUSE_TOKENS) are claimed by their module, which checks them
      // against the provider's JWKS; everything else must be a Gatehouse access token.
      const federated = await this.federated.authenticateBearer(request, token);
      if (federated) {
        if (!isPublic) await this.bans.assertNotBanned(banTargetOf(request, federated.user.id));
        request.user = federated.user;
        request.auth = federated.claims;
        return true;
      }
      const claims = this.tokens.verify(token);
      const user = await this.users.findById(claims.id);
      if (!user) throw new DomainError(AuthErrors.TOKEN_INVALID);
      // An access token issued before a ban stops working with the ban, not at its expiry (MB-08).
      // Public routes check bans themselves (login, refresh) or serve anyone (config, health).
      if (!isPublic) await this.bans.assertNotBanned(banTargetOf(request, user.id));
      request.user = user;
      request.auth = claims;
      return true;
    } catch (error) {
      // On public routes (e.g. GET /api/config) a bad token simply means "anonymous".
      // An IdP whose keys are briefly unreachable (503) must not take public routes down with it.
      if (isPublic && error instanceof DomainError && (error.status === 401 || error.status === 503)) return true;
      throw error;
    }
  }
}

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
