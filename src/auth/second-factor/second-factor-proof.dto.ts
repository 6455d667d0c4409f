import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** LibreChat's `{token?, backupCode?}` body: a TOTP code or a backup code. */
export class SecondFactorProofDto {
  @ApiPropertyOptional({ example: '123456', description: 'A TOTP code (takes precedence over backupCode, as in LibreChat)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  token?: string;

  @ApiPropertyOptional({ example: '9f3a61c2' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  backupCode?: string;
}
