import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIP, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** An administrator's ban of one client address for a human duration. */
export class CreateBanDto {
  @ApiProperty({ example: '203.0.113.7', description: 'IPv4 or IPv6 address; IPv6 is banned as its IPV6_SUBNET_PREFIX network, like automatic bans' })
  @IsIP()
  ip!: string;

  @ApiProperty({ example: '2h', description: 'e.g. 30m, 2h, 1h30m, 7d (at most 365d)' })
  @IsString()
  @IsNotEmpty()
  @Matches(/^[0-9a-z ]{1,20}$/i)
  duration!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}
