import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RefreshSessionRecord, UserRecord } from '../storage';
import { PROVIDER_ID_FIELDS } from '../storage';

/** A user as the admin API shows it: the public fields plus what an administrator acts on; never secrets. */
export class AdminUserView {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) username!: string | null;
  @ApiProperty() role!: string;
  @ApiProperty() provider!: string;
  @ApiProperty() emailVerified!: boolean;
  @ApiProperty() twoFactorEnabled!: boolean;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ description: 'Whether the account has a local password (never the hash)' }) hasPassword!: boolean;
  @ApiProperty({ type: [String], description: 'Identity providers linked to the account (googleId, openidId, ...)' }) linkedIdentities!: string[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export function toAdminUserView(user: UserRecord): AdminUserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    username: user.username,
    role: user.role,
    provider: user.provider,
    emailVerified: user.emailVerified,
    twoFactorEnabled: user.twoFactorEnabled,
    disabled: user.disabled,
    hasPassword: user.password !== null,
    linkedIdentities: PROVIDER_ID_FIELDS.filter((field) => user[field] !== null),
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export class AdminUserPage {
  @ApiProperty({ type: [AdminUserView] }) users!: AdminUserView[];
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page; null on the last page' }) next!: string | null;
}

export class AdminSessionView {
  @ApiProperty() id!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() lastUsedAt!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) provider!: string | null;
}

export function toAdminSessionView(session: RefreshSessionRecord): AdminSessionView {
  return {
    id: session.id,
    createdAt: session.createdAt.toISOString(),
    lastUsedAt: session.lastUsedAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    userAgent: session.userAgent,
    ip: session.ip,
    provider: session.provider ?? null,
  };
}

export class AdminActionResult {
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ description: 'Sessions ended by the action' }) endedSessions?: number;
  @ApiPropertyOptional({ type: AdminUserView }) user?: AdminUserView;
}
