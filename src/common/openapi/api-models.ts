import { ApiProperty, ApiPropertyOptional, getSchemaPath, type ApiPropertyOptions } from '@nestjs/swagger';

/**
 * The shared response shapes of the HTTP API, as OpenAPI components. They describe, they do not
 * validate: handlers build plain objects, and the contract test (test/support/contract/) checks
 * every answer the e2e suites receive against these schemas, unknown fields included.
 */
export class User {
  @ApiProperty() _id!: string;
  @ApiProperty({ description: 'Same as `_id` (LibreChat sends both).' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) username!: string | null;
  @ApiProperty({ format: 'email' }) email!: string;
  @ApiProperty() emailVerified!: boolean;
  @ApiProperty({ type: String, nullable: true }) avatar!: string | null;
  @ApiProperty({ example: 'local' }) provider!: string;
  @ApiProperty({ example: 'USER' }) role!: string;
  @ApiProperty({ type: [String] }) plugins!: string[];
  @ApiProperty() twoFactorEnabled!: boolean;
  @ApiProperty() termsAccepted!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class Message {
  @ApiProperty() message!: string;
}

/** A signed-in answer: the access token in the body, the refresh token in an HttpOnly cookie. */
export class SignedIn {
  @ApiProperty({ description: 'Access token (HS256 JWT, `typ: at+jwt`).' }) token!: string;
  @ApiProperty({ type: () => User }) user!: User;
}

/** A 2FA account's password step: no session yet, a temp token for `/api/auth/2fa/verify-temp`. */
export class TwoFactorPending {
  @ApiProperty({ enum: [true] }) twoFAPending!: true;
  @ApiProperty() tempToken!: string;
}

export class LogoutResult {
  @ApiProperty({ example: 'Logout successful' }) message!: string;
  @ApiPropertyOptional({ description: "The identity provider's end-session URL to send the browser to (OpenID)." }) redirect?: string;
}

export class Session {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastUsedAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'local' }) provider!: string | null;
  @ApiProperty({ description: 'The session of the presented access token.' }) current!: boolean;
}

export class Ban {
  @ApiProperty({ description: '`user:<id>` or `ip:<address>`' }) key!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: Number, nullable: true }) violationCount!: number | null;
  @ApiProperty({ type: String, nullable: true }) userId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class BanLifted {
  @ApiProperty({ example: 'Ban lifted' }) message!: string;
  @ApiProperty() key!: string;
}

export class TwoFactorEnrolment {
  @ApiProperty({ description: 'otpauth:// URL of the pending secret.' }) otpauthUrl!: string;
  @ApiProperty({ type: [String], description: 'Ten backup codes, shown once.' }) backupCodes!: string[];
  @ApiProperty({ description: 'The otpauth URL as a PNG data URL, drawn by the server.' }) qrCodeDataUrl!: string;
}

export class BackupCodeHash {
  @ApiProperty() codeHash!: string;
  @ApiProperty() used!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) usedAt!: string | null;
}

export class BackupCodes {
  @ApiProperty({ type: [String], description: 'The new codes, shown once.' }) backupCodes!: string[];
  @ApiProperty({ type: [BackupCodeHash], description: "LibreChat's client shape: the stored records (hashes only)." }) backupCodesHash!: BackupCodeHash[];
}

export class EmailVerified {
  @ApiProperty() message!: string;
  @ApiProperty({ enum: ['success'] }) status!: 'success';
}

export class LoginProvider {
  @ApiProperty() name!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ type: String, nullable: true }) iconUrl!: string | null;
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty({ type: [String] }) domains!: string[];
  @ApiProperty() loginPath!: string;
}

export class LdapStartup {
  @ApiProperty() enabled!: boolean;
  @ApiPropertyOptional({ enum: [true] }) username?: true;
}

export class StartupConfig {
  @ApiProperty() appTitle!: string;
  @ApiProperty() serverDomain!: string;
  @ApiProperty() emailLoginEnabled!: boolean;
  @ApiProperty() registrationEnabled!: boolean;
  @ApiProperty() socialLoginEnabled!: boolean;
  @ApiProperty() googleLoginEnabled!: boolean;
  @ApiProperty() githubLoginEnabled!: boolean;
  @ApiProperty() discordLoginEnabled!: boolean;
  @ApiProperty() facebookLoginEnabled!: boolean;
  @ApiProperty() appleLoginEnabled!: boolean;
  @ApiProperty() openidLoginEnabled!: boolean;
  @ApiProperty() openidLabel!: string;
  @ApiProperty() openidImageUrl!: string;
  @ApiProperty() openidAutoRedirect!: boolean;
  @ApiProperty() samlLoginEnabled!: boolean;
  @ApiProperty() samlLabel!: string;
  @ApiProperty() samlImageUrl!: string;
  @ApiProperty({ type: () => LdapStartup }) ldap!: LdapStartup;
  @ApiProperty() emailEnabled!: boolean;
  @ApiProperty() passwordResetEnabled!: boolean;
  @ApiProperty() minPasswordLength!: number;
  @ApiProperty({ type: [String] }) socialLogins!: string[];
  @ApiPropertyOptional({ description: 'Only for a signed-in caller.' }) openidReuseTokens?: boolean;
  @ApiProperty({ type: [LoginProvider] }) loginProviders!: LoginProvider[];
}

export class ResetLink {
  @ApiProperty({ description: 'Only with ALLOW_INSECURE_PASSWORD_RESET and no mail transport.' }) link!: string;
}

export class GraphToken {
  @ApiProperty() access_token!: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type!: 'Bearer';
  @ApiProperty() expires_in!: number;
  @ApiProperty() scope!: string;
}

export class Liveness {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

/** Terminus' report: one entry per check (`store`, `redis`, `lifecycle`, `mail`) with `status` and details. */
const checks: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } }, required: ['status'], additionalProperties: true },
};

export class Readiness {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status!: string;
  @ApiPropertyOptional(checks) info?: Record<string, unknown>;
  @ApiPropertyOptional(checks) error?: Record<string, unknown>;
  @ApiProperty(checks) details!: Record<string, unknown>;
}

export class NotReady extends Readiness {
  @ApiProperty() message!: string;
  @ApiProperty({ enum: ['NOT_READY'] }) code!: 'NOT_READY';
}

/** Every model, so the document carries them as components even when only referenced by `$ref`. */
export const API_MODELS = [
  User,
  Message,
  SignedIn,
  TwoFactorPending,
  LogoutResult,
  Session,
  Ban,
  BanLifted,
  TwoFactorEnrolment,
  BackupCodes,
  EmailVerified,
  StartupConfig,
  ResetLink,
  GraphToken,
  Liveness,
  Readiness,
  NotReady,
];

/** `oneOf` of models, for answers with alternative shapes (a password step with or without 2FA). */
export const oneOfModels = (...models: (new () => unknown)[]) => ({ oneOf: models.map((m) => ({ $ref: getSchemaPath(m) })) });
