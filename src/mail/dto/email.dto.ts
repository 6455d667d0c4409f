import { Transform } from 'class-transformer';
import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Body of POST /api/auth/requestPasswordReset and POST /api/user/verify/resend. */
export class EmailOnlyDto {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;
}

/** Body of POST /api/user/verify; the email may arrive URI-encoded, as it is in the link. */
export class VerifyEmailDto {
  @ApiProperty({ example: 'ada%40example.com' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(762)
  email!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  token!: string;
}

/** Body of POST /api/auth/resetPassword. */
export class ResetPasswordDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  userId!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  token!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(4096)
  password!: string;

  @ApiProperty({ required: false })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  confirm_password?: string;
}
