import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { SecondFactorProofDto } from '../../auth';

/** `{tempToken, token | backupCode | passkey}`; tempToken is optional here so its absence gets LibreChat's own 400. */
export class VerifyTempDto extends SecondFactorProofDto {
  @ApiPropertyOptional({ description: 'The temporary token from the password step' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  tempToken?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'A passkey assertion (AuthenticationResponseJSON) answering POST /api/auth/passkeys/second-factor/options; used when neither token nor backupCode is given',
  })
  @IsOptional()
  @IsObject()
  passkey?: Record<string, unknown>;
}
