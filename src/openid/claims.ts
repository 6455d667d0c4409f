export type TokenKind = 'access' | 'id' | 'userinfo';
export type ClaimSources = Record<TokenKind, Record<string, unknown> | null>;

/**
 * Value at a claim path such as `roles`, `realm_access.roles` or `resource_access.app.roles`.
 * A key that exists as written wins, so namespaced claims (`https://example.com/roles`) work.
 */
export function claimAt(source: Record<string, unknown> | null, path: string): unknown {
  if (!source) return undefined;
  if (Object.prototype.hasOwnProperty.call(source, path)) return source[path];
  let current: unknown = source;
  for (const part of path.split('.')) {
    if (!current || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Role values: arrays as they are, strings split on whitespace and commas; exact matches only. */
export function roleValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

function text(value: unknown): string | null {
  if (Array.isArray(value)) {
    const parts = value.filter((v): v is string => typeof v === 'string' && v !== '');
    return parts.length ? parts.join('_') : null;
  }
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export interface ClaimNames {
  username: string | null;
  name: string | null;
  email: string | null;
}

/** LibreChat's rule (docs/librechat-differences.md#environment-variables): OPENID_EMAIL_CLAIM, else email → preferred_username → upn. */
export function emailOf(claims: Record<string, unknown>, names: ClaimNames): string | null {
  if (names.email) return text(claimAt(claims, names.email));
  return text(claims.email) ?? text(claims.preferred_username) ?? text(claims.upn);
}

/** LibreChat's rule (docs/librechat-differences.md#environment-variables): OPENID_USERNAME_CLAIM, else preferred_username → username → email. */
export function usernameOf(claims: Record<string, unknown>, names: ClaimNames): string | null {
  if (names.username) return text(claimAt(claims, names.username));
  return text(claims.preferred_username) ?? text(claims.username) ?? text(claims.email);
}

/** LibreChat's rule (docs/librechat-differences.md#environment-variables): OPENID_NAME_CLAIM, else "given family" (either alone), else name, username, email. */
export function displayNameOf(claims: Record<string, unknown>, names: ClaimNames): string | null {
  if (names.name) {
    const configured = text(claimAt(claims, names.name));
    if (configured) return configured;
  }
  const given = text(claims.given_name);
  const family = text(claims.family_name);
  const joined = [given, family].filter(Boolean).join(' ');
  return joined || text(claims.name) || usernameOf(claims, names) || text(claims.email);
}

export function isEmailLike(value: string | null): value is string {
  return value !== null && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/** Unverified decode of a JWT payload — only for tokens received directly from the token endpoint. */
export function decodePayload(token: string | null): Record<string, unknown> | null {
  if (!token || !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
