import type { z } from 'zod';
import type { GatehouseConfig, SessionConfig } from './config.types';
import { appleSchema } from './schemas/apple.schema';
import { ldapSchema } from './schemas/ldap.schema';
import { mailSchema } from './schemas/mail.schema';
import { moderationSchema } from './schemas/moderation.schema';
import { applyOpenIdAliases, openidSchema } from './schemas/openid.schema';
import { operationsSchema } from './schemas/operations.schema';
import { parseNamedOpenIdProviders } from './schemas/openid-providers.schema';
import { registrationSchema } from './schemas/registration.schema';
import { samlSchema } from './schemas/saml.schema';
import { secretsSchema } from './schemas/secrets.schema';
import { serverSchema } from './schemas/server.schema';
import { sessionSchema } from './schemas/session.schema';
import { socialSchema } from './schemas/social.schema';
import { storageSchema } from './schemas/storage.schema';
import { templatesSchema } from './schemas/templates.schema';
import { isPlaceholderSecret, resolveSecrets } from './secrets.resolver';
import { loadConfigFile } from './upstreams/load-upstreams';
import { templateEnvironment } from './upstreams/template-env';
import { collectWarnings, isLocalHost, shouldUseSecureCookie } from './warnings';

export type Env = Record<string, string | undefined>;

export type LoadResult = { ok: true; config: GatehouseConfig } | { ok: false; problems: string[]; warnings: string[] };

function parse<S extends z.ZodType>(schema: S, env: Env, problems: string[]): z.output<S> | null {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  for (const issue of result.error.issues) problems.push(`${issue.path.join('.') || 'environment'}: ${issue.message}`);
  return null;
}

/**
 * Parses and validates the whole environment once. Every bad variable is reported (one line
 * each: name, what is wrong, expected form) rather than stopping at the first one.
 */
export function loadConfig(rawEnv: Env): LoadResult {
  const problems: string[] = [];
  const env = applyOpenIdAliases(rawEnv, problems);
  const server = parse(serverSchema, env, problems);
  const session = parse(sessionSchema, env, problems);
  const registration = parse(registrationSchema, env, problems);
  const mail = parse(mailSchema, env, problems);
  const openid = parse(openidSchema, env, problems);
  const openidProviders = parseNamedOpenIdProviders(env, problems);
  const social = parse(socialSchema, env, problems);
  const saml = parse(samlSchema, env, problems);
  const ldap = parse(ldapSchema, env, problems);
  const apple = parse(appleSchema, env, problems);
  const moderation = parse(moderationSchema, env, problems);
  const storage = parse(storageSchema, env, problems);
  const operations = parse(operationsSchema, env, problems);
  const templateSettings = parse(templatesSchema, env, problems);
  const templates = templateSettings && { ...templateSettings, ...loadConfigFile(templateSettings.configPath, env, problems), env: templateEnvironment(env) };
  const rawSecrets = parse(secretsSchema, env, problems);

  const warnings: string[] = [];
  if (apple && server) {
    // Apple posts the callback cross-site: its state cookie must be SameSite=None, which browsers only keep with Secure (AP-05).
    const callback = new URL(apple.callbackUrl, `${server.domainServer.replace(/\/+$/, '')}/`);
    if (callback.protocol !== 'https:' && !isLocalHost(callback.hostname))
      problems.push(
        `APPLE_CALLBACK_URL: resolves to ${callback.origin}, which is not https; Sign in with Apple needs an https callback (set DOMAIN_SERVER or APPLE_CALLBACK_URL to an https URL)`,
      );
  }
  if (registration && registration.passwordHashCost < 10 && (server?.isProduction ?? false)) {
    problems.push(`PASSWORD_HASH_COST: ${registration.passwordHashCost} is too low for production; expected 10 or more`);
  }
  const production = server?.isProduction ?? env.NODE_ENV?.trim().toLowerCase() === 'production';
  const secrets =
    rawSecrets && storage
      ? resolveSecrets(
          rawSecrets,
          { production, dataDir: storage.dataDir, openidEnabled: (openid?.enabled ?? false) || openidProviders.length > 0, mayWrite: problems.length === 0 },
          problems,
          warnings,
        )
      : null;

  const samlSecret = saml?.sessionSecret;
  if (samlSecret && (isPlaceholderSecret(samlSecret) || samlSecret.length < 32)) {
    (production ? problems : warnings).push(
      'SAML_SESSION_SECRET: is a placeholder or shorter than 32 characters; generate one, e.g. with: openssl rand -hex 32',
    );
  }

  if (
    problems.length ||
    !server ||
    !session ||
    !registration ||
    !mail ||
    !openid ||
    !social ||
    !saml ||
    !ldap ||
    !moderation ||
    !storage ||
    !templates ||
    !secrets ||
    !operations
  ) {
    return { ok: false, problems: [...new Set(problems)], warnings };
  }
  const resolvedSession: SessionConfig = { ...session, cookieSecure: shouldUseSecureCookie(session.cookieSecure, server) };
  const config: GatehouseConfig = {
    server,
    secrets,
    session: resolvedSession,
    registration,
    mail,
    openid: { ...openid, postLogoutRedirectUri: openid.postLogoutRedirectUri ?? `${server.domainClient}/login` },
    openidProviders: openidProviders.map((p) => ({
      ...p,
      settings: { ...p.settings, postLogoutRedirectUri: p.settings.postLogoutRedirectUri ?? `${server.domainClient}/login` },
    })),
    social,
    saml,
    apple,
    ldap,
    moderation,
    storage,
    templates,
    operations,
    warnings,
  };
  warnings.push(...collectWarnings(config, env));
  return { ok: true, config };
}
