import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { type AccessClaims, AuthErrors, CurrentAuth, Public, assertSameSite } from '../auth';
import { ApiErrors, Message, SignedIn } from '../common/openapi';
import { sessionContextOf } from '../sessions';
import { ServerConfig } from '../config';
import { ModerationErrors, RateLimit } from '../moderation';
import { SessionCookies } from '../sessions';
import { TwoFactorErrors } from '../two-factor';
import { UsersErrors, toPublicUser } from '../users';
import {
  PasskeyListDto,
  PasskeySecondFactorOptionsDto,
  PasskeySignInDto,
  PasskeySignInOptionsDto,
  PasskeyViewDto,
  PublicKeyOptionsDto,
  RegisterPasskeyDto,
  RenamePasskeyDto,
} from './dto/passkey.dto';
import { PasskeyChallengeStore } from './passkey-challenge.store';
import { PasskeyCaller, PasskeyManagementService } from './passkey-management.service';
import { PasskeySignInService } from './passkey-sign-in.service';
import { PasskeysErrors as E } from './passkeys.errors';

const callerOf = (auth: AccessClaims): PasskeyCaller => ({ userId: auth.id, sessionId: auth.sid });
const CHALLENGE_COOKIE_NOTE = 'Sets the HttpOnly `passkey_challenge` cookie (sealed, single-use, 5 minutes); send it back with the answer.';

/** Passkeys (WebAuthn), issue 21. See docs/passkeys.md. */
@ApiTags('passkeys')
@Controller('api/auth/passkeys')
export class PasskeysController {
  constructor(
    private readonly management: PasskeyManagementService,
    private readonly signIn: PasskeySignInService,
    private readonly challenges: PasskeyChallengeStore,
    private readonly cookies: SessionCookies,
    private readonly server: ServerConfig,
  ) {}

  @Get()
  @ApiBearerAuth()
  @ApiOperation({ summary: "The signed-in user's passkeys, oldest first" })
  @ApiOkResponse({ type: PasskeyListDto })
  @ApiErrors(E.PASSKEYS_UNAVAILABLE)
  async list(@CurrentAuth() auth: AccessClaims): Promise<PasskeyListDto> {
    return { passkeys: await this.management.list(auth.id) };
  }

  @Post('register/options')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Start registering a passkey: PublicKeyCredentialCreationOptionsJSON (resident key and user verification preferred, attestation none)',
    description: CHALLENGE_COOKIE_NOTE,
  })
  @ApiOkResponse({ type: PublicKeyOptionsDto })
  @ApiErrors(E.PASSKEY_NOT_FOUND, E.PASSKEYS_UNAVAILABLE)
  async registrationOptions(@CurrentAuth() auth: AccessClaims, @Res({ passthrough: true }) res: FastifyReply) {
    const { options, sealed } = await this.management.registrationOptions(callerOf(auth));
    this.challenges.write(res, sealed);
    return options;
  }

  @Post('register')
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiCookieAuth('passkey_challenge')
  @ApiOperation({ summary: "Finish registration with the browser's attestation; the user's other sessions end" })
  @ApiCreatedResponse({ type: PasskeyViewDto })
  // PASSKEY_CHALLENGE_INVALID: missing, expired, spent or another user's; PASSKEY_REGISTRATION_REJECTED: origin, RP ID, challenge or attestation wrong.
  @ApiErrors(E.PASSKEY_CHALLENGE_INVALID, E.PASSKEY_REGISTRATION_REJECTED, E.PASSKEY_ALREADY_REGISTERED, E.PASSKEYS_UNAVAILABLE)
  async register(
    @CurrentAuth() auth: AccessClaims,
    @Body() body: RegisterPasskeyDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return this.management.register(callerOf(auth), body.response, body.name, this.challenges.take(req, res));
  }

  @Patch(':id')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Rename one of the user's passkeys; the user's other sessions end" })
  @ApiOkResponse({ type: PasskeyViewDto })
  @ApiErrors(E.PASSKEY_NOT_FOUND)
  rename(@CurrentAuth() auth: AccessClaims, @Param('id') id: string, @Body() body: RenamePasskeyDto) {
    return this.management.rename(callerOf(auth), id, body.name);
  }

  @Delete(':id')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Remove one of the user's passkeys (refused when it is the account's last way to sign in); the user's other sessions end" })
  @ApiOkResponse({ type: Message, example: { message: 'Passkey removed' } })
  @ApiErrors(E.PASSKEY_NOT_FOUND, E.LAST_SIGN_IN_METHOD)
  async remove(@CurrentAuth() auth: AccessClaims, @Param('id') id: string) {
    await this.management.remove(callerOf(auth), id);
    return { message: 'Passkey removed' };
  }

  @Post('sign-in/options')
  @Public()
  @RateLimit('login')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Start a passwordless sign-in (usernameless, conditional mediation, or bound to an email hint): PublicKeyCredentialRequestOptionsJSON with user verification required',
    description: CHALLENGE_COOKIE_NOTE,
  })
  @ApiOkResponse({ type: PublicKeyOptionsDto })
  @ApiErrors(AuthErrors.CROSS_SITE_REQUEST, E.PASSKEYS_UNAVAILABLE)
  async signInOptions(@Body() body: PasskeySignInOptionsDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    assertSameSite(req, this.server);
    const { options, sealed } = await this.signIn.signInOptions(body.email);
    this.challenges.write(res, sealed);
    return options;
  }

  @Post('sign-in')
  @Public()
  @RateLimit('login')
  @HttpCode(200)
  @ApiCookieAuth('passkey_challenge')
  @ApiOperation({ summary: 'Finish a passwordless sign-in: {token, user} and the refresh cookie, exactly as after a password sign-in' })
  @ApiOkResponse({ type: SignedIn })
  // PASSKEY_REJECTED: unknown or flagged credential, wrong origin or RP ID, bad signature, no user verification, counter regression.
  @ApiErrors(
    E.PASSKEY_CHALLENGE_INVALID,
    E.PASSKEY_REJECTED,
    AuthErrors.CROSS_SITE_REQUEST,
    AuthErrors.EMAIL_NOT_VERIFIED,
    UsersErrors.ACCOUNT_DISABLED,
    ModerationErrors.BANNED,
    E.PASSKEYS_UNAVAILABLE,
  )
  async finishSignIn(@Body() body: PasskeySignInDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    assertSameSite(req, this.server);
    const result = await this.signIn.signIn(body.response, this.challenges.take(req, res), sessionContextOf(req));
    this.cookies.write(res, result.refreshToken, result.refreshExpiresAt);
    return { token: result.accessToken, user: toPublicUser(result.user) };
  }

  @Post('second-factor/options')
  @Public()
  @RateLimit('twoFactorTemp')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Second step of a 2FA sign-in with a passkey: request options for the temp token's user; answer with POST /api/auth/2fa/verify-temp {tempToken, passkey}",
    description: CHALLENGE_COOKIE_NOTE,
  })
  @ApiOkResponse({ type: PublicKeyOptionsDto })
  @ApiErrors(E.NO_PASSKEY, TwoFactorErrors.INVALID_TEMP_TOKEN, AuthErrors.CROSS_SITE_REQUEST, E.PASSKEYS_UNAVAILABLE)
  async secondFactorOptions(@Body() body: PasskeySecondFactorOptionsDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    assertSameSite(req, this.server);
    const { options, sealed } = await this.signIn.secondFactorOptions(body.tempToken);
    this.challenges.write(res, sealed);
    return options;
  }
}
