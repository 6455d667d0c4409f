import { Injectable } from '@nestjs/common';
import type { FastifyRequest, FastifyReply } from 'fastify';

/**
 * A browser sign-in provider (OpenID Connect, Google, GitHub, Discord, Facebook, or one an
 * operator adds). It owns its two hops and always answers with a redirect: never a 500 or a JSON
 * page in the browser.
 */
export interface LoginProvider {
  /** Path segment: `/oauth/<name>` and `/oauth/<name>/callback`. */
  readonly name: string;
  /** Button text for clients that draw buttons from `/api/config` `loginProviders`. */
  readonly label?: string;
  readonly iconUrl?: string | null;
  /** Scopes requested at the provider (documentation and `/api/config` only). */
  readonly scopes?: readonly string[];
  /**
   * Email domains this provider is meant for (several OpenID providers): a client can route a
   * user by the address typed. Empty: any.
   */
  readonly domains?: readonly string[];
  /** Where the sign-in starts, when not `/oauth/<name>` (named OpenID providers: `/oauth/openid/<name>`). */
  readonly loginPath?: string;
  /**
   * The provider answers with a cross-site POST (`response_mode=form_post`, Apple): `POST
   * /oauth/<name>/callback` is routed to `callback`. Others answer 404 there.
   */
  readonly acceptsPost?: boolean;
  start(req: FastifyRequest, res: FastifyReply): Promise<void>;
  callback(req: FastifyRequest, res: FastifyReply): Promise<void>;
}

/** What `/api/config` publishes of a registered provider. */
export interface LoginProviderInfo {
  name: string;
  label: string;
  iconUrl: string | null;
  scopes: string[];
  domains: string[];
  /** Relative to DOMAIN_SERVER. */
  loginPath: string;
}

/**
 * Every browser sign-in provider registers here at module init, but only when it is enabled
 * (ALLOW_SOCIAL_LOGIN and its credentials): an unregistered name answers 404 on `/oauth/<name>`
 * and its `/api/config` flag is false. Registration order is the order of `loginProviders`.
 */
@Injectable()
export class LoginProviderRegistry {
  private readonly providers = new Map<string, LoginProvider>();

  register(provider: LoginProvider): void {
    if (!/^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)?$/.test(provider.name))
      throw new Error(`login provider name ${JSON.stringify(provider.name)} must be lower-case letters, digits and dashes`);
    if (this.providers.has(provider.name)) throw new Error(`login provider ${provider.name} is registered twice`);
    this.providers.set(provider.name, provider);
  }

  get(name: string): LoginProvider | null {
    return this.providers.get(name) ?? null;
  }

  has(name: string): boolean {
    return this.providers.has(name);
  }

  names(): string[] {
    return [...this.providers.keys()];
  }

  list(): LoginProviderInfo[] {
    return [...this.providers.values()].map((p) => ({
      name: p.name,
      label: p.label ?? p.name,
      iconUrl: p.iconUrl ?? null,
      scopes: [...(p.scopes ?? [])],
      domains: [...(p.domains ?? [])],
      loginPath: p.loginPath ?? `/oauth/${p.name}`,
    }));
  }
}
