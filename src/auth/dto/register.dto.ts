import { Transform } from 'class-transformer';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

/**
 * Only these fields are read; anything else in the body (role, emailVerified, provider,
 * openidId, ...) is dropped by the whitelist validation pipe (PW-09).
 */
export class RegisterDto {
  @ApiProperty({ example: 'Ada Lovelace' })
  @IsString()
  @Length(1, 80)
  name!: string;

  @ApiProperty({ example: 'ada@example.com' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ example: 'ada' })
  @IsOptional()
  @IsString()
  @Length(0, 80)
  // Letters and digits of any script plus a few separators; no quotes, operators or markup.
  @Matches(/^[\p{L}\p{N}_.@#&()-]*$/u, { message: 'username may contain letters, digits and _ . @ # & ( ) - only' })
  username?: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MaxLength(4096)
  password!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  confirm_password?: string;

  @ApiPropertyOptional({ description: 'Invite token' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  token?: string;
}
