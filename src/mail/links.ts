import type { ServerConfig } from '../config';

/**
 * Links in mail are built from DOMAIN_CLIENT only, never from Host or X-Forwarded-Host: a forged
 * header must not turn a reset mail into a link to the attacker's site (RS-04).
 */
export function clientLink(server: ServerConfig, path: string, params: Record<string, string>): string {
  return `${server.domainClient}${path}?${new URLSearchParams(params).toString()}`;
}
