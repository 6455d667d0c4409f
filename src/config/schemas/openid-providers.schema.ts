import { openidFields, openidSchema, type OpenIdSettings } from './openid.schema';

type Env = Record<string, string | undefined>;

/** A named OpenID provider (`OPENID_PROVIDERS=corp,partner`), configured like the default one with its own prefix. */
export interface NamedOpenIdProvider {
  /** As listed, lower-case: `corp`. */
  name: string;
  /** Registry name and route segment: `openid-corp` (also reachable as `/oauth/openid/corp`). */
  routeName: string;
  /** `OPENID_CORP_DOMAINS`: email domains this provider is meant for (published in /api/config). */
  domains: string[];
  settings: OpenIdSettings;
}

const NAME = /^[a-z][a-z0-9]{0,30}$/;

/**
 * `OPENID_PROVIDERS=corp,partner` adds providers besides the default `OPENID_*` one. Each reads
 * every OpenID variable with its name after `OPENID_` (`OPENID_CORP_ISSUER`,
 * `OPENID_CORP_CLIENT_ID`, …) and is validated by the same rules; problems name the prefixed
 * variable. Shared settings without the `OPENID_` prefix (PROXY, …) apply to all.
 */
export function parseNamedOpenIdProviders(env: Env, problems: string[]): NamedOpenIdProvider[] {
  const names = (env.OPENID_PROVIDERS ?? '')
    .split(/[\s,]+/)
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  const seen = new Set<string>();
  const out: NamedOpenIdProvider[] = [];
  for (const name of names) {
    if (!NAME.test(name) || name === 'callback') {
      problems.push(`OPENID_PROVIDERS: ${JSON.stringify(name)} is not a valid provider name; expected lower-case letters and digits, starting with a letter`);
      continue;
    }
    if (seen.has(name)) {
      problems.push(`OPENID_PROVIDERS: ${name} is listed twice`);
      continue;
    }
    seen.add(name);
    const prefix = `OPENID_${name.toUpperCase()}_`;
    const scoped: Env = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('OPENID_')));
    for (const key of Object.keys(openidFields.shape)) {
      if (!key.startsWith('OPENID_')) continue;
      const value = env[`${prefix}${key.slice('OPENID_'.length)}`];
      if (value !== undefined) scoped[key] = value;
    }
    scoped.OPENID_CALLBACK_URL ??= `/oauth/openid/${name}/callback`;
    scoped.OPENID_BUTTON_LABEL ??= `Continue with ${name}`;
    const rename = (variable: string) => (variable.startsWith('OPENID_') ? `${prefix}${variable.slice('OPENID_'.length)}` : variable);
    if (scoped.OPENID_CLIENT_ID === undefined) {
      problems.push(`${prefix}CLIENT_ID: is required because OPENID_PROVIDERS lists ${name}`);
      continue;
    }
    const result = openidSchema.safeParse(scoped);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push(`${rename(String(issue.path[0] ?? 'OPENID_PROVIDERS'))}: ${issue.message}`);
      continue;
    }
    const domains = (env[`${prefix}DOMAINS`] ?? '')
      .split(/[\s,]+/)
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean);
    out.push({ name, routeName: `openid-${name}`, domains, settings: result.data });
  }
  return out;
}
