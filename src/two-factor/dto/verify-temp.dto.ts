import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { SecondFactorProofDto } from '../../auth';

/** `{tempToken, token | backupCode}`; tempToken is optional here so its absence gets LibreChat's own 400. */
export class VerifyTempDto extends SecondFactorProofDto {
  @ApiPropertyOptional({ description: 'The temporary token from the password step' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  tempToken?: string;
}
