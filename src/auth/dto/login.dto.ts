import { Transform } from 'class-transformer';
import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  // The address format is checked by LoginService: with LDAP (LDAP_LOGIN_USES_USERNAME) this field carries a username.
  @IsString({ message: 'email must be a valid email address' })
  @IsNotEmpty({ message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  // Bounded before any hashing work (PW-05); policy lengths are enforced at registration.
  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  password!: string;
}
