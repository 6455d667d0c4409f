import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../common/access.decorators';
import { DomainError } from '../common/errors';
import { CookieInstructions, applyCookies, type RequestCookies } from '../common/http';
import { SecurityEvents } from '../common/security-events';
import { LdapConfig, ServerConfig } from '../config';
import { RateLimit } from '../moderation';
import { REFRESH_COOKIE, RefreshSessionsService, SessionCookies, sessionContextOf } from '../sessions';
import { UsersService, toPublicUser } from '../users';
import type { AccessClaims } from './access-token.service';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { FederatedSessions } from './federation/federated-sessions';
import { CurrentAuth } from './guards/auth.decorators';
import { SameSiteJsonOnly } from './guards/browser-form.guards';
import { LoginService } from './login.service';
import { SessionRefreshService } from './session-refresh.service';
import { assertSameSite } from './request-context';

export const REGISTERED_MESSAGE = 'Please check your email to verify your email address.';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly usersService: UsersService,
    private readonly login: LoginService,
    private readonly sessions: RefreshSessionsService,
    private readonly local: SessionRefreshService,
    private readonly cookies: SessionCookies,
    private readonly server: ServerConfig,
    private readonly federated: FederatedSessions,
    private readonly ldap: LdapConfig,
    private readonly events: SecurityEvents,
  ) {}

  @Post('register')
  @Public()
  @RateLimit('register')
  @SameSiteJsonOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a local account. An existing email gets the same answer (no enumeration).' })
  @ApiOkResponse({ schema: { example: { message: REGISTERED_MESSAGE } } })
  async register(@Body() body: RegisterDto): Promise<{ message: string }> {
    // With LDAP the password sign-in asks the directory: a local account could never sign in (LibreChat defect D-23 fixed).
    if (this.ldap.enabled) throw new DomainError(403, 'REGISTRATION_DISABLED', 'Registration is not allowed.');
    if (body.confirm_password !== undefined && body.confirm_password !== body.password) {
      throw new DomainError(400, 'PASSWORD_MISMATCH', 'The passwords do not match.');
    }
    await this.usersService.register(
      { email: body.email, password: body.password, name: body.name, username: body.username || null },
      { invite: body.token || undefined },
    );
    return { message: REGISTERED_MESSAGE };
  }

  @Post('login')
  @Public()
  @RateLimit('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Password sign-in: access token in the body, refresh token in an HttpOnly cookie' })
  async signIn(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    assertSameSite(req, this.server);
    const result = await this.login.login(body.email, body.password, sessionContextOf(req));
    // LibreChat's answer for a 2FA account: the temp token and no cookies (docs/two-factor.md).
    if ('twoFAPending' in result) return { twoFAPending: true, tempToken: result.tempToken };
    applyCookies(res, result.cookies);
    return { token: result.accessToken, user: toPublicUser(result.user) };
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiCookieAuth('refreshToken')
  @ApiOperation({ summary: 'Rotate the refresh cookie and mint a new access token. Without a cookie: 200 text "Refresh token not provided".' })
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    assertSameSite(req, this.server);
    const { addressKey } = sessionContextOf(req);
    const federated = await this.federated.refresh({ cookies: req.cookies as RequestCookies | undefined, addressKey });
    if (federated && 'notSignedIn' in federated) {
      applyCookies(res, federated.cookies);
      res.type('text/plain');
      return 'Refresh token not provided';
    }
    // The federated handler's cookies (a rotated IdP refresh token) come first, then any refusal's clearing.
    const cookies = new CookieInstructions().merge(federated?.cookies);
    try {
      if (federated) {
        this.local.refuseDisabled(federated.user, cookies);
        await this.local.refuseBanned(federated.user.id, addressKey, cookies);
        return { token: federated.token, user: toPublicUser(federated.user) };
      }
      const refreshed = await this.local.refresh(readCookie(req, REFRESH_COOKIE), addressKey, cookies);
      if (!refreshed) {
        // LibreChat's client reads this plain-text 200 as "not signed in" (docs/librechat-differences.md#http-api).
        res.type('text/plain');
        return 'Refresh token not provided';
      }
      return { token: refreshed.token, user: toPublicUser(refreshed.user) };
    } finally {
      applyCookies(res, cookies);
    }
  }

  @Post('logout')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'End the session of the presented refresh cookie (only that one) and clear the cookies; OpenID sessions may get `redirect` to the IdP logout' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    assertSameSite(req, this.server);
    const session = await this.local.endPresented(readCookie(req, REFRESH_COOKIE));
    if (session) await this.events.emit({ type: 'sign_out', userId: session.userId, provider: session.provider ?? null });
    // Providers clean up their own state and may send the browser on to the IdP's logout (LO-01).
    const { redirect, cookies } = await this.federated.logout({ cookies: req.cookies as RequestCookies | undefined, addressKey: sessionContextOf(req).addressKey }, session);
    applyCookies(res, this.cookies.toClear(cookies));
    return redirect ? { message: 'Logout successful', redirect } : { message: 'Logout successful' };
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiOperation({ summary: "List the caller's active sessions" })
  async listSessions(@CurrentAuth() auth: AccessClaims) {
    const sessions = await this.sessions.list(auth.id);
    return sessions.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      userAgent: s.userAgent,
      ip: s.ip,
      provider: s.provider,
      current: s.id === auth.sid,
    }));
  }

  @Delete('sessions/:id')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Revoke one of the caller's sessions" })
  async revokeSession(@CurrentAuth() auth: AccessClaims, @Param('id') id: string) {
    await this.local.revokeOwn(auth.id, id);
    await this.events.emit({ type: 'session.revoked', userId: auth.id, actorId: auth.id, reason: 'by_user', details: { sessionId: id } });
    return { message: 'Session revoked' };
  }
}

function readCookie(req: Request, name: string): string | null {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : null;
}
