import type { GatehouseConfig } from './config.types';
import type { ServerSettings } from './schemas/server.schema';
import type { Env } from './load-config';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLocalHost(hostname: string): boolean {
  return LOCAL_HOSTS.has(hostname) || hostname.endsWith('.localhost');
}

/**
 * SESSION_COOKIE_SECURE wins when set; otherwise Secure in production unless DOMAIN_SERVER is a
 * local host (docs/configuration.md#secure-cookies), so a local production build over http still keeps its session.
 */
export function shouldUseSecureCookie(explicit: boolean | undefined, server: ServerSettings): boolean {
  if (explicit !== undefined) return explicit;
  return server.isProduction && !isLocalHost(new URL(server.domainServer).hostname);
}

/** Settings that boot but will surprise an operator; each is logged once at start. */
export function collectWarnings(config: GatehouseConfig, env: Env): string[] {
  const out: string[] = [];
  const serverUrl = new URL(config.server.domainServer);
  if (config.session.cookieSecure && serverUrl.protocol === 'http:' && !isLocalHost(serverUrl.hostname)) {
    // SE-11: browsers drop Secure cookies on plain http, which shows up as an endless re-login.
    out.push(
      `SESSION_COOKIE_SECURE: refresh cookies are marked Secure but DOMAIN_SERVER (${config.server.domainServer}) is plain http; browsers will drop them. Serve over https, or set SESSION_COOKIE_SECURE=false for a trusted development network.`,
    );
  }
  if (config.server.isProduction && env.DOMAIN_SERVER === undefined) {
    out.push(`DOMAIN_SERVER: not set in production; using ${config.server.domainServer} for callback and email links`);
  }
  const ldap = config.ldap.directory;
  if (!config.server.webauthn) {
    out.push(
      `WEBAUTHN_RP_ID: passkeys are off because no RP ID and origin can be derived from DOMAIN_CLIENT (${config.server.domainClient}): an IP address or plain http on a public host; serve over https or set WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS`,
    );
  }
  if (ldap && !ldap.rejectUnauthorized)
    out.push(
      "LDAP_TLS_REJECT_UNAUTHORIZED: false, so the directory's certificate is not verified; anyone on the path can read the passwords users type. Use LDAP_CA_CERT_PATH instead.",
    );
  if (ldap && !ldap.startTls && ldap.urls.some((u) => u.startsWith('ldap:') && !isLocalHost(new URL(u).hostname))) {
    out.push('LDAP_URL: plain ldap:// without LDAP_STARTTLS sends the passwords users type in clear; use ldaps:// or LDAP_STARTTLS=true');
  }
  if (config.openid.reuseTokens && !/\boffline_access\b/.test(config.openid.scope)) {
    out.push(
      'OPENID_SCOPE: OPENID_REUSE_TOKENS=true but the scope has no offline_access; many providers then issue no refresh token and sessions end when the IdP access token expires',
    );
  }
  for (const named of config.openidProviders) {
    const prefix = `OPENID_${named.name.toUpperCase()}_`;
    if (named.settings.reuseTokens && !/\boffline_access\b/.test(named.settings.scope)) {
      out.push(
        `${prefix}SCOPE: ${prefix}REUSE_TOKENS=true but the scope has no offline_access; many providers then issue no refresh token and sessions end when the IdP access token expires`,
      );
    }
  }
  if (!config.openid.enabled && Object.keys(env).some((k) => /^OPENID_(ISSUER|CLIENT_SECRET|SCOPE)$/.test(k) && env[k]?.trim())) {
    out.push('OPENID_CLIENT_ID: not set, so OpenID login stays off although other OPENID_* variables are set');
  }
  if (env.REDIS_URI?.trim() && !config.storage.redisUri) {
    out.push('USE_REDIS: REDIS_URI is set but USE_REDIS is not true, so Redis is not used');
  }
  if (env.NODE_ENV && !/^(development|production|test)$/.test(env.NODE_ENV.trim())) {
    out.push(
      `NODE_ENV: ${JSON.stringify(env.NODE_ENV)} is not one of development, production, test; running as ${config.server.isProduction ? 'production' : 'non-production'}`,
    );
  }
  if (config.openid.clockToleranceSec > 60) {
    out.push(`OPENID_CLOCK_TOLERANCE: ${config.openid.clockToleranceSec} s is more leeway than recommended (≤ 60 s)`);
  }
  if (config.registration.allowSocialRegistration && !config.registration.allowSocialLogin) {
    out.push('ALLOW_SOCIAL_REGISTRATION: has no effect while ALLOW_SOCIAL_LOGIN is false');
  }
  const publicTrust = trustsPublicPeers(config.server.trustProxy);
  if (publicTrust) {
    // MB-14: then any client that connects directly picks the address it is limited and banned by.
    out.push(
      `TRUST_PROXY: ${publicTrust}, so a client connecting directly can choose its address with X-Forwarded-For and escape limits and bans. Name the proxies instead (e.g. TRUST_PROXY=loopback,uniquelocal or their addresses), or make sure only the proxy can reach ${config.server.host}:${config.server.port}.`,
    );
  }
  out.push(...mailWarnings(config));
  return out;
}

/** Why a trust-proxy setting believes X-Forwarded-For from public peers, or null when it does not. */
export function trustsPublicPeers(setting: number | boolean | string[]): string | null {
  if (setting === true) return 'true trusts every peer';
  if (typeof setting === 'number' && setting > 0) return `a hop count (${setting}) trusts whatever peer connects`;
  return null;
}

function mailWarnings(config: GatehouseConfig): string[] {
  const out: string[] = [];
  const { registration, mail } = config;
  const mailConfigured = mail.transport !== null;
  if (registration.allowInsecurePasswordReset) {
    if (mailConfigured) {
      out.push('ALLOW_INSECURE_PASSWORD_RESET: has no effect while mail is configured; reset links are only sent by mail');
    } else if (!registration.allowPasswordReset) {
      out.push('ALLOW_INSECURE_PASSWORD_RESET: has no effect while ALLOW_PASSWORD_RESET is false');
    } else {
      out.push(
        'ALLOW_INSECURE_PASSWORD_RESET: INSECURE — mail is not configured, so POST /api/auth/requestPasswordReset returns a working reset link to anyone who knows a registered email address; any account can be taken over. Configure mail and remove this variable.',
      );
    }
  } else if (registration.allowPasswordReset && !mailConfigured) {
    out.push(
      'ALLOW_PASSWORD_RESET: mail is not configured, so reset requests are answered but no link is sent; reset passwords with `npm run cli -- reset-password <email>`',
    );
  }
  if (mail.transport === 'smtp' && mail.allowSelfSigned) {
    out.push('EMAIL_ALLOW_SELFSIGNED: the SMTP server certificate is not verified; anyone on the path can read reset links');
  }
  return out;
}
