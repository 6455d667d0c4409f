import { Injectable, Logger } from '@nestjs/common';
import { SecurityEvents } from '../common/security-events';
import { OpenIdConfig } from '../config';
import { UserRepository, type UserRecord } from '../storage';
import { decodePayload, type ClaimSources } from './claims';
import { IdpUnavailableError } from './openid-errors';
import type { ProviderMetadata } from './provider-metadata';
import { GroupOverageResolver } from './group-overage.resolver';
import { RolePolicy } from './role-policy';
import { UserinfoClient } from './userinfo.client';

/**
 * Keeps a stored role in step with the IdP after the login: at every token-reuse refresh at the
 * IdP, and (OPENID_ROLE_SYNC_API_ENABLED) on IdP-bearer requests. The decision is RolePolicy's
 * `roleFor`, the same rule the login callback applies; this class only gathers the claim sources
 * each entrance has and writes the role when it changes.
 */
@Injectable()
export class IdpRoleUpdater {
  private readonly logger = new Logger('OpenIdRoles');

  constructor(
    private readonly config: OpenIdConfig,
    private readonly roles: RolePolicy,
    private readonly users: UserRepository,
    private readonly userinfo: UserinfoClient,
    private readonly overage: GroupOverageResolver,
    private readonly events: SecurityEvents,
  ) {}

  /**
   * After a refresh grant: the new ID token's verified claims (null when the IdP sent none), the
   * access token when it is a JWT from the token endpoint, UserInfo only when a role rule reads it.
   * Returns false when the user no longer holds OPENID_REQUIRED_ROLE (the caller ends the session).
   */
  async afterRefresh(
    userId: string,
    metadata: ProviderMetadata,
    subject: string,
    idClaims: Record<string, unknown> | null,
    accessToken: string | null,
  ): Promise<boolean> {
    let sources: ClaimSources = { id: idClaims, access: decodePayload(accessToken), userinfo: null };
    if (this.roles.reads('userinfo'))
      sources.userinfo = await this.userinfo.fetch(metadata, accessToken, subject).catch((error: unknown) => {
        if (error instanceof IdpUnavailableError) throw error;
        return null;
      });
    // Entra group overage: the same Graph lookup as at sign-in (OR-07).
    sources = await this.overage.resolve(sources, metadata, subject, accessToken);
    if (!this.roles.stillHoldsRequiredRole(sources)) {
      this.logger.log({ userId }, 'the IdP no longer asserts the required role; ending the session');
      return false;
    }
    const user = await this.users.findById(userId);
    if (user) await this.write(user, sources, 'refresh');
    return true;
  }

  /**
   * An IdP bearer token (already verified): an ID token names this client in `aud`, anything
   * else is read as an access token. Only the source the bearer is gets its claims, so a rule
   * reading another source leaves the role alone instead of flapping between requests.
   */
  async onBearer(user: UserRecord, payload: Record<string, unknown>): Promise<UserRecord> {
    if (!this.config.roleSync.apiEnabled) return user;
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const isIdToken = !!this.config.clientId && aud.includes(this.config.clientId);
    const sources: ClaimSources = { id: isIdToken ? payload : null, access: isIdToken ? null : payload, userinfo: null };
    return this.write(user, sources, 'bearer');
  }

  private async write(user: UserRecord, sources: ClaimSources, entrance: string): Promise<UserRecord> {
    const next = this.roles.roleFor(sources, user.role);
    if (!next || next === user.role) return user;
    this.logger.log({ userId: user.id, from: user.role, to: next, entrance }, 'role follows the identity provider');
    const updated = (await this.users.update(user.id, { role: next })) ?? user;
    await this.events.emit({
      type: 'role.changed',
      userId: user.id,
      actorId: null,
      provider: 'openid',
      reason: 'idp_role_sync',
      details: { from: user.role, to: next, entrance },
    });
    return updated;
  }
}
