/**
 * Which of the caller's request headers an upstream receives (TR-11). An allow-list, so identity
 * headers an upstream trusts (`X-User-ID`, `X-Role`, ...) cannot be supplied by the caller in any
 * spelling, and nothing new a client invents reaches the upstream unasked.
 */

/** Content negotiation, body description, client software and tracing ids. */
export const DEFAULT_ENDPOINT_FORWARD_HEADERS: readonly string[] = [
  'accept',
  'accept-language',
  'content-type',
  'content-language',
  'user-agent',
  'traceparent',
  'tracestate',
  'x-request-id',
];

/** MCP's streamable-http and SSE transports also need their session, version and resume headers. */
export const DEFAULT_MCP_FORWARD_HEADERS: readonly string[] = [...DEFAULT_ENDPOINT_FORWARD_HEADERS, 'mcp-session-id', 'mcp-protocol-version', 'last-event-id'];

/**
 * Never forwarded, even when listed: the caller's credentials for Gatehouse, hop-by-hop headers,
 * what fetch computes itself, and client-address headers an upstream might believe.
 */
export const NEVER_FORWARDED_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'cookie',
  'host',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'content-encoding',
  'expect',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'origin',
  'referer',
]);

/** The allow-list of one upstream entry; problems for names that can never be forwarded. */
export function forwardHeadersOf(kind: 'endpoint' | 'mcp', configured: string[] | undefined, where: string, problems: string[]): readonly string[] {
  if (!configured) return kind === 'mcp' ? DEFAULT_MCP_FORWARD_HEADERS : DEFAULT_ENDPOINT_FORWARD_HEADERS;
  const names = [...new Set(configured.map((name) => name.toLowerCase()))];
  for (const name of names) {
    if (NEVER_FORWARDED_HEADERS.has(name))
      problems.push(`${where}.forwardHeaders lists ${name}, a credential, hop-by-hop or address header that is never forwarded`);
  }
  return names.filter((name) => !NEVER_FORWARDED_HEADERS.has(name));
}

/**
 * Configured headers are one header per name whatever the case (TR-11), so two spellings of one
 * name in an entry would leave which value wins to chance: refused at boot.
 */
export function checkConfiguredHeaderNames(headers: Record<string, string> | undefined, where: string, problems: string[]): void {
  const seen = new Map<string, string>();
  for (const name of Object.keys(headers ?? {})) {
    const earlier = seen.get(name.toLowerCase());
    if (earlier) problems.push(`${where}.headers has both ${earlier} and ${name}; header names are case-insensitive`);
    else seen.set(name.toLowerCase(), name);
  }
}
