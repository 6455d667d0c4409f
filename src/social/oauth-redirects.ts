import type { ServerConfig } from '../config';

/**
 * Where a failed browser sign-in lands: LibreChat's client shows its error on
 * `/login?redirect=false&error=auth_failed` (docs/librechat-differences.md#http-api). `reason` is only ever a coarse,
 * operator-facing category (e.g. `provider_unavailable`), never account details.
 */
export function failureRedirect(server: ServerConfig, reason?: string): string {
  const url = new URL('/login', server.domainClient);
  url.searchParams.set('redirect', 'false');
  url.searchParams.set('error', 'auth_failed');
  if (reason) url.searchParams.set('reason', reason);
  return url.href;
}

/** Success goes to the client's root, where the SPA calls POST /api/auth/refresh. */
export function successRedirect(server: ServerConfig): string {
  return server.domainClient;
}

/**
 * The failure reasons a browser is told (the page shows a matching text); every other reason
 * stays in the log. Banned and disabled say something about the account, but only to someone
 * who just proved they own it at the provider.
 */
const SHOWN_REASONS = new Set(['provider_unavailable', 'banned', 'disabled']);

export function shownReason(reason: string): string | undefined {
  return SHOWN_REASONS.has(reason) ? reason : undefined;
}
