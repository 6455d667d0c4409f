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
