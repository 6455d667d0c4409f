import { Injectable, Logger } from '@nestjs/common';
import { OpenIdConfig } from '../config';
import type { ClaimSources, TokenKind } from './claims';
import { OnBehalfOfService } from './on-behalf-of.service';
import { OpenIdHttp } from './openid-http';
import type { ProviderMetadata } from './provider-metadata';
import { hasGroupOverage } from './role-sync';

/** Entra's cap on member objects one call returns is far above this; more is refused as hostile. */
const MAX_GROUPS = 5_000;

/**
 * Entra group overage: a user in too many groups gets `_claim_names.groups` (or `hasgroups`) in
 * place of the `groups` claim. The groups are then read from Microsoft Graph
 * (`POST {OPENID_GRAPH_URL}/v1.0/me/getMemberObjects`, the documented replacement for the
 * `_claim_sources` endpoint) with a token obtained on-behalf-of the user's access token for
 * OPENID_GRAPH_SCOPES, through PROXY/NO_PROXY like every IdP call. The `_claim_sources` endpoint
 * itself is never called: it names a host chosen by the token, and Graph's address is configured.
 * The result takes the place of the claim in that source, so role sync, the admin mapping and the
 * required role read it as if the token had carried it. Any failure leaves the overage in place,
 * which role sync reads as "leave the role alone" (OR-04).
 */
@Injectable()
export class GroupOverageResolver {
  private readonly logger = new Logger('OpenIdGroupOverage');

  constructor(
    private readonly config: OpenIdConfig,
    private readonly http: OpenIdHttp,
    private readonly onBehalfOf: OnBehalfOfService,
  ) {}

  /** Sources with overage markers on a `groups` claim the role rules read, resolved through Graph. */
  async resolve(sources: ClaimSources, metadata: ProviderMetadata, sub: string, accessToken: string | null): Promise<ClaimSources> {
    const kinds = (Object.keys(sources) as TokenKind[]).filter((kind) => {
      const source = sources[kind];
      return !!source && hasGroupOverage(source, 'groups') && this.readsGroups(kind);
    });
    if (kinds.length === 0 || !accessToken) return sources;
    const groups = await this.memberObjects(metadata, sub, accessToken);
    if (!groups) return sources;
    const resolved: ClaimSources = { ...sources };
    for (const kind of kinds) {
      const { _claim_names: names, _claim_sources: _sources, hasgroups: _has, ...rest } = sources[kind]!;
      const otherNames =
        names && typeof names === 'object' ? Object.fromEntries(Object.entries(names as Record<string, unknown>).filter(([k]) => k !== 'groups')) : {};
      resolved[kind] = { ...rest, ...(Object.keys(otherNames).length ? { _claim_names: otherNames } : {}), groups };
    }
    return resolved;
  }

  private readsGroups(kind: TokenKind): boolean {
    const c = this.config;
    return (
      (c.roleSync.enabled && c.roleSync.source === kind && c.roleSync.claim === 'groups') ||
      (c.adminRole?.tokenKind === kind && c.adminRole.path === 'groups') ||
      (c.requiredRoleTokenKind === kind && c.requiredRolePath === 'groups')
    );
  }

  private async memberObjects(metadata: ProviderMetadata, sub: string, accessToken: string): Promise<string[] | null> {
    try {
      const exchanged = await this.onBehalfOf.exchangeWithExpiry(metadata, sub, accessToken, this.config.graphScopes.join(' '));
      if (!exchanged) throw new Error('the on-behalf-of exchange returned no token');
      const url = `${this.config.graphUrl.replace(/\/+$/, '')}/v1.0/me/getMemberObjects`;
      const res = await this.http.request('graph-member-objects', url, {
        headers: { authorization: `Bearer ${exchanged.token}` },
        json: { securityEnabledOnly: false },
      });
      const value = res.json?.value;
      if (res.status !== 200 || !Array.isArray(value)) throw new Error(`Graph answered ${res.status}`);
      const groups = value.filter((v): v is string => typeof v === 'string');
      if (groups.length > MAX_GROUPS) throw new Error(`Graph listed ${groups.length} groups, more than ${MAX_GROUPS}`);
      return groups;
    } catch (error) {
      this.logger.warn({ sub }, `group overage not resolved, the role is left as it is: ${(error as Error).message}`);
      return null;
    }
  }
}
