import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { Public } from '../common/access.decorators';
import { CommonErrors, DomainError } from '../common/errors';
import { CookieInstructions, applyCookies, type RequestCookies } from '../common/http';
import { SecurityEvents } from '../common/security-events';
import { LdapConfig, ServerConfig } from '../config';
import { ModerationErrors, RateLimit } from '../moderation';
import { REFRESH_COOKIE, RefreshSessionsService, SessionCookies, SessionsErrors, sessionContextOf } from '../sessions';
import { UsersService, toPublicUser, UsersErrors } from '../users';
import type { AccessClaims } from './access-token.service';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { FederatedSessions } from './federation/federated-sessions';
import { CurrentAuth } from './guards/auth.decorators';
import { SameSiteJsonOnly } from './guards/browser-form.guards';
import { LoginService } from './login.service';
import { SessionRefreshService } from './session-refresh.service';
import { assertSameSite } from './request-context';
import { AuthErrors } from './auth.errors';
import { ApiErrors, LogoutResult, Message, Session, SignedIn, TwoFactorPending, oneOfModels } from '../common/openapi';
import { DIRECTORY_LOGIN_ERRORS, OPENID_IDP_UNAVAILABLE, PASSWORD_POLICY_ERRORS } from './auth.api-errors';

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
  @ApiOkResponse({ type: Message, example: { message: REGISTERED_MESSAGE } })
  @ApiErrors(
    UsersErrors.REGISTRATION_DISABLED,
    UsersErrors.EMAIL_DOMAIN_NOT_ALLOWED,
    UsersErrors.INVALID_INVITE_TOKEN,
    ...PASSWORD_POLICY_ERRORS,
    AuthErrors.PASSWORD_MISMATCH,
    AuthErrors.CROSS_SITE_REQUEST,
    CommonErrors.UNSUPPORTED_MEDIA_TYPE,
  )
  async register(@Body() body: RegisterDto): Promise<{ message: string }> {
    // With LDAP the password sign-in asks the directory: a local account could never sign in (LibreChat defect D-23 fixed).
    if (this.ldap.enabled) throw new DomainError(UsersErrors.REGISTRATION_DISABLED);
    if (body.confirm_password !== undefined && body.confirm_password !== body.password) {
      throw new DomainError(AuthErrors.PASSWORD_MISMATCH);
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
  @ApiOkResponse({
    description: '`{token, user}` and the refresh cookie, or for a 2FA account `{twoFAPending, tempToken}` and no cookie',
    schema: oneOfModels(SignedIn, TwoFactorPending),
  })
  @ApiErrors(
    AuthErrors.INVALID_CREDENTIALS,
    AuthErrors.EMAIL_LOGIN_DISABLED,
    AuthErrors.EMAIL_NOT_VERIFIED,
    AuthErrors.CROSS_SITE_REQUEST,
    AuthErrors.SECOND_FACTOR_UNAVAILABLE,
    UsersErrors.ACCOUNT_DISABLED,
    ...DIRECTORY_LOGIN_ERRORS,
  )
  async signIn(@Body() body: LoginDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
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
  @ApiResponse({
    status: 200,
    description: '`{token, user}` and a rotated cookie; without a session cookie the plain text LibreChat\'s client reads as "signed out"',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(SignedIn) } },
      'text/plain': { schema: { type: 'string', enum: ['Refresh token not provided'] } },
    },
  })
  @ApiErrors(
    SessionsErrors.INVALID_REFRESH_TOKEN,
    SessionsErrors.REFRESH_TOKEN_REUSED,
    ModerationErrors.BANNED,
    UsersErrors.ACCOUNT_DISABLED,
    AuthErrors.CROSS_SITE_REQUEST,
    OPENID_IDP_UNAVAILABLE,
  )
  async refresh(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    assertSameSite(req, this.server);
    const { addressKey } = sessionContextOf(req);
    const federated = await this.federated.refresh({ cookies: req.cookies as RequestCookies | undefined, addressKey });
    if (federated && 'notSignedIn' in federated) {
      applyCookies(res, federated.cookies);
      res.type('text/plain; charset=utf-8');
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
        res.type('text/plain; charset=utf-8');
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
  @ApiCookieAuth('refreshToken')
  @ApiOperation({
    summary: 'End the session of the presented refresh cookie (only that one) and clear the cookies; OpenID sessions may get `redirect` to the IdP logout',
  })
  @ApiOkResponse({ type: LogoutResult })
  @ApiErrors(AuthErrors.CROSS_SITE_REQUEST)
  async logout(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    assertSameSite(req, this.server);
    const session = await this.local.endPresented(readCookie(req, REFRESH_COOKIE));
    if (session) await this.events.emit({ type: 'sign_out', userId: session.userId, provider: session.provider ?? null });
    // Providers clean up their own state and may send the browser on to the IdP's logout (LO-01).
    const { redirect, cookies } = await this.federated.logout(
      { cookies: req.cookies as RequestCookies | undefined, addressKey: sessionContextOf(req).addressKey },
      session,
    );
    applyCookies(res, this.cookies.toClear(cookies));
    return redirect ? { message: 'Logout successful', redirect } : { message: 'Logout successful' };
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiOperation({ summary: "List the caller's active sessions" })
  @ApiOkResponse({ type: [Session] })
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
  @ApiOkResponse({ type: Message, example: { message: 'Session revoked' } })
  @ApiErrors(AuthErrors.SESSION_NOT_FOUND)
  async revokeSession(@CurrentAuth() auth: AccessClaims, @Param('id') id: string) {
    await this.local.revokeOwn(auth.id, id);
    await this.events.emit({ type: 'session.revoked', userId: auth.id, actorId: auth.id, reason: 'by_user', details: { sessionId: id } });
    return { message: 'Session revoked' };
  }
}

function readCookie(req: FastifyRequest, name: string): string | null {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : null;
}
