import type { z } from 'zod';
import type { GatehouseConfig, SessionConfig } from './config.types';
import { mailSchema } from './schemas/mail.schema';
import { moderationSchema } from './schemas/moderation.schema';
import { applyOpenIdAliases, openidSchema } from './schemas/openid.schema';
import { parseNamedOpenIdProviders } from './schemas/openid-providers.schema';
import { registrationSchema } from './schemas/registration.schema';
import { secretsSchema } from './schemas/secrets.schema';
import { serverSchema } from './schemas/server.schema';
import { sessionSchema } from './schemas/session.schema';
import { socialSchema } from './schemas/social.schema';
import { storageSchema } from './schemas/storage.schema';
import { templatesSchema } from './schemas/templates.schema';
import { resolveSecrets } from './secrets.resolver';
import { loadUpstreams } from './upstreams/load-upstreams';
import { templateEnvironment } from './upstreams/template-env';
import { collectWarnings, shouldUseSecureCookie } from './warnings';

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
  const moderation = parse(moderationSchema, env, problems);
  const storage = parse(storageSchema, env, problems);
  const templateSettings = parse(templatesSchema, env, problems);
  const templates = templateSettings && { ...templateSettings, upstreams: loadUpstreams(templateSettings.configPath, env, problems), env: templateEnvironment(env) };
  const rawSecrets = parse(secretsSchema, env, problems);

  const warnings: string[] = [];
  if (registration && registration.passwordHashCost < 10 && (server?.isProduction ?? false)) {
    problems.push(`PASSWORD_HASH_COST: ${registration.passwordHashCost} is too low for production; expected 10 or more`);
  }
  const production = server?.isProduction ?? env.NODE_ENV?.trim().toLowerCase() === 'production';
  const secrets =
    rawSecrets && storage
      ? resolveSecrets(rawSecrets, { production, dataDir: storage.dataDir, openidEnabled: (openid?.enabled ?? false) || openidProviders.length > 0, mayWrite: problems.length === 0 }, problems, warnings)
      : null;

  if (problems.length || !server || !session || !registration || !mail || !openid || !social || !moderation || !storage || !templates || !secrets) {
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
    openidProviders: openidProviders.map((p) => ({ ...p, settings: { ...p.settings, postLogoutRedirectUri: p.settings.postLogoutRedirectUri ?? `${server.domainClient}/login` } })),
    social,
    moderation,
    storage,
    templates,
    warnings,
  };
  warnings.push(...collectWarnings(config, env));
  return { ok: true, config };
}
