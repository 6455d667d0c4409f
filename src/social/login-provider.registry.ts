import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';

/**
 * A browser sign-in provider (OpenID Connect today; Google, GitHub, Discord and Facebook plug in
 * the same way). It owns its two hops and always answers with a redirect: never a 500 or a JSON
 * page in the browser.
 */
export interface LoginProvider {
  /** Path segment: `/oauth/<name>` and `/oauth/<name>/callback`. */
  readonly name: string;
  start(req: Request, res: Response): Promise<void>;
  callback(req: Request, res: Response): Promise<void>;
}

@Injectable()
export class LoginProviderRegistry {
  private readonly providers = new Map<string, LoginProvider>();

  register(provider: LoginProvider): void {
    if (this.providers.has(provider.name)) throw new Error(`login provider ${provider.name} is registered twice`);
    this.providers.set(provider.name, provider);
  }

  get(name: string): LoginProvider | null {
    return this.providers.get(name) ?? null;
  }

  names(): string[] {
    return [...this.providers.keys()];
  }
}
