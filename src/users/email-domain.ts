/**
 * Registration allow-list: `example.com` matches exactly, `*.example.com` matches subdomains
 * (not the apex). An empty list allows every domain. Comparison is case-insensitive.
 */
export function isEmailDomainAllowed(email: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  const domain = email.trim().toLowerCase().split('@').pop() ?? '';
  return allowed.some((rule) => (rule.startsWith('*.') ? domain.endsWith(rule.slice(1)) && domain.length > rule.length - 1 : domain === rule));
}
