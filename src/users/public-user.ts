import type { UserRecord } from '../storage';

/** The user as clients see it: LibreChat's `GET /api/user` fields, never secrets (docs/librechat-differences.md#http-api). */
export interface PublicUser {
  _id: string;
  id: string;
  name: string | null;
  username: string | null;
  email: string;
  emailVerified: boolean;
  avatar: string | null;
  provider: string;
  role: string;
  plugins: string[];
  twoFactorEnabled: boolean;
  termsAccepted: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toPublicUser(user: UserRecord): PublicUser {
  return {
    _id: user.id,
    id: user.id,
    name: user.name,
    username: user.username,
    email: user.email,
    emailVerified: user.emailVerified,
    avatar: user.avatar,
    provider: user.provider,
    role: user.role,
    plugins: [],
    twoFactorEnabled: user.twoFactorEnabled,
    termsAccepted: user.termsAccepted,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
