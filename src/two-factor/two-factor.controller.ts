import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { type AccessClaims, CurrentAuth, PASSKEY_CHALLENGE_COOKIE, Public, SecondFactorProofDto, assertSameSite } from '../auth';
import { applyCookies } from '../common/http';
import { ServerConfig } from '../config';
import { RateLimit } from '../moderation';
import { sessionContextOf } from '../sessions';
import { toPublicUser } from '../users';
import { VerifyTempDto } from './dto/verify-temp.dto';
import { TwoFactorLoginService } from './two-factor-login.service';
import { Caller, TwoFactorService } from './two-factor.service';
import { ApiErrors, BackupCodes, Message, SignedIn, TwoFactorEnrolment } from '../common/openapi';
import { AuthErrors } from '../auth';
import { UsersErrors } from '../users';
import { TwoFactorErrors } from './two-factor.errors';

const callerOf = (auth: AccessClaims): Caller => ({ userId: auth.id, email: auth.email, sessionId: auth.sid });

/**
 * LibreChat's `/api/auth/2fa/*` routes. LibreChat answers verify/confirm/disable with an empty
 * body while its client types expect `{message}` (LibreChat defect D-15); a message is sent here.
 */
@ApiTags('two-factor')
@Controller('api/auth/2fa')
export class TwoFactorController {
  constructor(
    private readonly twoFactor: TwoFactorService,
    private readonly loginStep: TwoFactorLoginService,
    private readonly server: ServerConfig,
  ) {}

  @Post('enable')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Start (or, with a current code, restart) enrolment: a pending secret and 10 backup codes, shown once' })
  @ApiOkResponse({ type: TwoFactorEnrolment })
  @ApiErrors(AuthErrors.SECOND_FACTOR_REQUIRED, AuthErrors.INVALID_SECOND_FACTOR, TwoFactorErrors.TWO_FACTOR_SECRET_CORRUPTED, UsersErrors.USER_NOT_FOUND)
  enable(@CurrentAuth() auth: AccessClaims, @Body() body: SecondFactorProofDto) {
    return this.twoFactor.enable(callerOf(auth), body);
  }

  @Post('verify')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Check a code against the pending enrolment (or the live factor)' })
  @ApiOkResponse({ type: Message, example: { message: '2FA code verified' } })
  @ApiErrors(
    TwoFactorErrors.INVALID_SECOND_FACTOR_IN_SETUP,
    TwoFactorErrors.TWO_FACTOR_NOT_INITIATED,
    TwoFactorErrors.TWO_FACTOR_NOT_SET_UP,
    TwoFactorErrors.TWO_FACTOR_SECRET_CORRUPTED,
    AuthErrors.INVALID_SECOND_FACTOR,
    UsersErrors.USER_NOT_FOUND,
  )
  async verify(@CurrentAuth() auth: AccessClaims, @Body() body: SecondFactorProofDto) {
    await this.twoFactor.verify(callerOf(auth), body);
    return { message: '2FA code verified' };
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Make the pending enrolment live with a code from the new secret; other sessions end' })
  @ApiOkResponse({ type: Message, example: { message: '2FA enabled' } })
  @ApiErrors(
    TwoFactorErrors.INVALID_SECOND_FACTOR_IN_SETUP,
    TwoFactorErrors.TWO_FACTOR_NOT_INITIATED,
    TwoFactorErrors.TWO_FACTOR_SECRET_CORRUPTED,
    UsersErrors.USER_NOT_FOUND,
  )
  async confirm(@CurrentAuth() auth: AccessClaims, @Body() body: SecondFactorProofDto) {
    await this.twoFactor.confirm(callerOf(auth), body.token);
    return { message: '2FA enabled' };
  }

  @Post('disable')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Turn 2FA off (a code is required while it is on); other sessions end' })
  @ApiOkResponse({ type: Message, example: { message: '2FA disabled' } })
  @ApiErrors(
    AuthErrors.SECOND_FACTOR_REQUIRED,
    AuthErrors.INVALID_SECOND_FACTOR,
    TwoFactorErrors.TWO_FACTOR_NOT_SET_UP,
    TwoFactorErrors.TWO_FACTOR_SECRET_CORRUPTED,
    UsersErrors.USER_NOT_FOUND,
  )
  async disable(@CurrentAuth() auth: AccessClaims, @Body() body: SecondFactorProofDto) {
    await this.twoFactor.disable(callerOf(auth), body);
    return { message: '2FA disabled' };
  }

  @Post('backup/regenerate')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'New backup codes (a code is required while 2FA is on); other sessions end' })
  @ApiOkResponse({ type: BackupCodes })
  @ApiErrors(
    AuthErrors.SECOND_FACTOR_REQUIRED,
    AuthErrors.INVALID_SECOND_FACTOR,
    TwoFactorErrors.TWO_FACTOR_NOT_SET_UP,
    TwoFactorErrors.TWO_FACTOR_SECRET_CORRUPTED,
    UsersErrors.USER_NOT_FOUND,
  )
  regenerate(@CurrentAuth() auth: AccessClaims, @Body() body: SecondFactorProofDto) {
    return this.twoFactor.regenerateBackupCodes(callerOf(auth), body);
  }

  @Post('verify-temp')
  @Public()
  @RateLimit('twoFactorTemp')
  @HttpCode(200)
  @ApiOperation({ summary: 'Second step of a password sign-in: temp token plus TOTP, backup code or passkey assertion → {token, user} and the refresh cookie' })
  @ApiOkResponse({ type: SignedIn })
  @ApiErrors(
    TwoFactorErrors.MISSING_TEMP_TOKEN,
    TwoFactorErrors.INVALID_TEMP_TOKEN,
    TwoFactorErrors.TWO_FACTOR_NOT_ENABLED,
    TwoFactorErrors.TWO_FACTOR_SECRET_CORRUPTED,
    AuthErrors.INVALID_SECOND_FACTOR,
    AuthErrors.CROSS_SITE_REQUEST,
    AuthErrors.EMAIL_NOT_VERIFIED,
  )
  async verifyTemp(@Body() body: VerifyTempDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    assertSameSite(req, this.server);
    const passkey = body.passkey
      ? { response: body.passkey, challenge: (req.cookies as Record<string, string | undefined>)[PASSKEY_CHALLENGE_COOKIE] }
      : undefined;
    const result = await this.loginStep.verifyTemp(body.tempToken, { token: body.token, backupCode: body.backupCode, passkey }, sessionContextOf(req));
    applyCookies(res, result.cookies);
    return { token: result.accessToken, user: toPublicUser(result.user) };
  }
}
