import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../common/access.decorators';
import { DomainError } from '../common/errors';
import { LdapConfig, ServerConfig } from '../config';
import { BansService, RateLimit, banTargetOf } from '../moderation';
import { REFRESH_COOKIE, RefreshSessionsService, SessionCookies, SessionsErrors } from '../sessions';
import { UserRepository } from '../storage';
import { UsersService, toPublicUser, UsersErrors } from '../users';
import { AccessTokenService, type AccessClaims } from './access-token.service';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { FederatedSessions } from './federation/federated-sessions';
import { CurrentAuth } from './guards/auth.decorators';
import { SameSiteJsonOnly } from './guards/browser-form.guards';
import { LoginService } from './login.service';
import { assertSameSite, sessionContextOf } from './request-context';
import { AuthErrors } from './auth.errors';
import { CommonErrors } from '../common/errors';
import { ApiErrors, LogoutResult, Message, Session, SignedIn, TwoFactorPending, oneOfModels } from '../common/openapi';
import { ModerationErrors } from '../moderation';
import { DIRECTORY_LOGIN_ERRORS, OPENID_IDP_UNAVAILABLE, PASSWORD_POLICY_ERRORS } from './auth.api-errors';

export const REGISTERED_MESSAGE = 'Please check your email to verify your email address.';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly usersService: UsersService,
    private readonly users: UserRepository,
    private readonly login: LoginService,
    private readonly sessions: RefreshSessionsService,
    private readonly cookies: SessionCookies,
    private readonly tokens: AccessTokenService,
    private readonly server: ServerConfig,
    private readonly bans: BansService,
    private readonly federated: FederatedSessions,
    private readonly ldap: LdapConfig,
  ) {}

  @Post('register')
  @Public()
  @RateLimit('register')
  @SameSiteJsonOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a local account. An existing email gets the same answer (no enumeration).' })
  @ApiOkResponse({ type: Message, example: { message: REGISTERED_MESSAGE } })
  @ApiErrors(UsersErrors.REGISTRATION_DISABLED, UsersErrors.EMAIL_DOMAIN_NOT_ALLOWED, UsersErrors.INVALID_INVITE_TOKEN, ...PASSWORD_POLICY_ERRORS, AuthErrors.PASSWORD_MISMATCH, AuthErrors.CROSS_SITE_REQUEST, CommonErrors.UNSUPPORTED_MEDIA_TYPE)
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
  @ApiOkResponse({ description: '`{token, user}` and the refresh cookie, or for a 2FA account `{twoFAPending, tempToken}` and no cookie', schema: oneOfModels(SignedIn, TwoFactorPending) })
  @ApiErrors(AuthErrors.INVALID_CREDENTIALS, AuthErrors.EMAIL_LOGIN_DISABLED, AuthErrors.EMAIL_NOT_VERIFIED, AuthErrors.CROSS_SITE_REQUEST, AuthErrors.SECOND_FACTOR_UNAVAILABLE, ...DIRECTORY_LOGIN_ERRORS)
  async signIn(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    assertSameSite(req, this.server);
    const result = await this.login.login(body.email, body.password, sessionContextOf(req));
    // LibreChat's answer for a 2FA account: the temp token and no cookies (docs/two-factor.md).
    if ('twoFAPending' in result) return { twoFAPending: true, tempToken: result.tempToken };
    this.cookies.write(res, result.refreshToken, result.refreshExpiresAt);
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
    content: { 'application/json': { schema: { $ref: getSchemaPath(SignedIn) } }, 'text/plain': { schema: { type: 'string', enum: ['Refresh token not provided'] } } },
  })
  @ApiErrors(SessionsErrors.INVALID_REFRESH_TOKEN, SessionsErrors.REFRESH_TOKEN_REUSED, ModerationErrors.BANNED, AuthErrors.CROSS_SITE_REQUEST, OPENID_IDP_UNAVAILABLE)
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    assertSameSite(req, this.server);
    const federated = await this.federated.refresh(req, res);
    if (federated && 'notSignedIn' in federated) {
      res.type('text/plain');
      return 'Refresh token not provided';
    }
    if (federated) {
      await this.refuseBanned(federated.user.id, req, res);
      return { token: federated.token, user: toPublicUser(federated.user) };
    }
    const presented = readCookie(req, REFRESH_COOKIE);
    if (!presented) {
      // LibreChat's client reads this plain-text 200 as "not signed in" (docs/librechat-differences.md#http-api).
      res.type('text/plain');
      return 'Refresh token not provided';
    }
    try {
      const { token, session } = await this.sessions.rotate(presented, (userId) => this.refuseBanned(userId, req, res));
      const user = await this.users.findById(session.userId);
      if (!user) {
        await this.sessions.revoke(session.id);
        throw new DomainError(SessionsErrors.INVALID_REFRESH_TOKEN);
      }
      this.cookies.write(res, token, session.expiresAt, session.provider === 'openid' ? 'openid' : 'librechat');
      return { token: this.tokens.sign(user, session.id).token, user: toPublicUser(user) };
    } catch (error) {
      if (error instanceof DomainError && error.status === 401) this.cookies.clear(res);
      throw error;
    }
  }

  /** A banned user's refresh is answered 403 BANNED and the cookies are cleared (MB-08). */
  private async refuseBanned(userId: string, req: Request, res: Response): Promise<void> {
    try {
      await this.bans.assertNotBanned(banTargetOf(req, userId));
    } catch (error) {
      this.cookies.clear(res);
      throw error;
    }
  }

  @Post('logout')
  @Public()
  @HttpCode(200)
  @ApiCookieAuth('refreshToken')
  @ApiOperation({ summary: 'End the session of the presented refresh cookie (only that one) and clear the cookies; OpenID sessions may get `redirect` to the IdP logout' })
  @ApiOkResponse({ type: LogoutResult })
  @ApiErrors(AuthErrors.CROSS_SITE_REQUEST)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    assertSameSite(req, this.server);
    const presented = readCookie(req, REFRESH_COOKIE);
    const session = presented ? await this.sessions.findByToken(presented) : null;
    if (session) await this.sessions.revoke(session.id);
    // Providers clean up their own state and may send the browser on to the IdP's logout (LO-01).
    const { redirect } = await this.federated.logout(req, res, session);
    this.cookies.clear(res);
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
    const owned = (await this.sessions.list(auth.id)).some((s) => s.id === id);
    if (!owned || !(await this.sessions.revoke(id))) throw new DomainError(AuthErrors.SESSION_NOT_FOUND);
    return { message: 'Session revoked' };
  }
}

function readCookie(req: Request, name: string): string | null {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : null;
}
