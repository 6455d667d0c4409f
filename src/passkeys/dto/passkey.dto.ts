import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

const CREDENTIAL_JSON = "The browser's PublicKeyCredential serialised as JSON (WebAuthn Level 3 toJSON form: id, rawId, type, response with base64url members)";

export class RegisterPasskeyDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: `RegistrationResponseJSON. ${CREDENTIAL_JSON}` })
  @IsObject()
  response!: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'Work laptop', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  name?: string;
}

export class RenamePasskeyDto {
  @ApiProperty({ example: 'Phone', maxLength: 64 })
  @IsString()
  @MaxLength(64)
  name!: string;
}

export class PasskeySignInOptionsDto {
  @ApiPropertyOptional({ example: 'ada@example.com', description: 'Binds the ceremony to this account; the options are the same with or without it' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}

export class PasskeySignInDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: `AuthenticationResponseJSON. ${CREDENTIAL_JSON}` })
  @IsObject()
  response!: Record<string, unknown>;
}

export class PasskeySecondFactorOptionsDto {
  @ApiPropertyOptional({ description: 'The temporary token from the password step' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  tempToken?: string;
}

export class PasskeyViewDto {
  @ApiProperty({ example: '6f1c2a9e-2b51-4a37-9d4c-3c1c6b1f7e0a' }) id!: string;
  @ApiProperty({ example: 'Work laptop' }) name!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt!: string | null;
  @ApiProperty({ description: 'The credential is synced (backed up) by its provider' }) backedUp!: boolean;
  @ApiProperty({ type: [String], example: ['internal', 'hybrid'] }) transports!: string[];
  @ApiProperty({ description: 'A signature-counter regression was seen (possible clone); refused until removed' }) flagged!: boolean;
}

export class PasskeyListDto {
  @ApiProperty({ type: [PasskeyViewDto] }) passkeys!: PasskeyViewDto[];
}

export class PublicKeyOptionsDto {
  @ApiProperty({ description: 'base64url challenge' }) challenge!: string;
  @ApiPropertyOptional({ example: 'chat.example.com' }) rpId?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Registration only: {id, name}' }) rp?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Registration only: {id (base64url user handle), name, displayName}' })
  user?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true } }) allowCredentials?: Record<string, unknown>[];
  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true } }) excludeCredentials?: Record<string, unknown>[];
  @ApiPropertyOptional({ example: 'required' }) userVerification?: string;
  @ApiPropertyOptional({ example: 300000 }) timeout?: number;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Registration only: the accepted algorithms ({alg, type})',
  })
  pubKeyCredParams?: Record<string, unknown>[];
  @ApiPropertyOptional({ example: 'none', description: 'Registration only' }) attestation?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Registration only: {residentKey, userVerification, requireResidentKey}' })
  authenticatorSelection?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'WebAuthn extensions (e.g. credProps)' }) extensions?: Record<
    string,
    unknown
  >;
  @ApiPropertyOptional({ type: [String], description: 'WebAuthn hints' }) hints?: string[];
}
