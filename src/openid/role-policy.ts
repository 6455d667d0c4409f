import { Injectable } from '@nestjs/common';
import { OpenIdConfig } from '../config';
import { claimAt, roleValues, type ClaimSources } from './claims';
import { OpenIdFailure } from './openid-errors';
import { RoleSync } from './role-sync';

/**
 * OPENID_REQUIRED_ROLE* (a login needs one of the roles) and OPENID_ADMIN_ROLE* (present →
 * ADMIN, absent → an ADMIN is demoted to USER), read from the access token, the ID token or
 * userinfo at a claim path (docs/librechat-differences.md#environment-variables), then
 * OPENID_ROLE_SYNC_* (role-sync.ts). `roleFor` is the one role rule every entrance calls: the
 * login callback, the token-reuse refresh at the IdP and (with OPENID_ROLE_SYNC_API_ENABLED)
 * IdP-bearer requests.
 */
@Injectable()
export class RolePolicy {
  constructor(
    private readonly config: OpenIdConfig,
    private readonly sync: RoleSync,
  ) {}

  /**
   * The role to store, or null to leave it: the admin mapping first (it alone grants or removes
   * ADMIN), then role sync for everyone who is not an ADMIN after it.
   */
  roleFor(sources: ClaimSources, currentRole: string | null): string | null {
    const admin = this.adminRole(sources, currentRole);
    const synced = this.sync.decide(sources, admin ?? currentRole).role;
    return synced ?? admin;
  }

  /**
   * After a refresh at the IdP: false when the required role is no longer held. A source the
   * refresh did not return (no new ID token, opaque access token) proves nothing either way.
   */
  stillHoldsRequiredRole(sources: ClaimSources): boolean {
    const kind = this.config.requiredRoleTokenKind;
    if (this.config.requiredRoles.length === 0 || !this.config.requiredRolePath || !kind || !sources[kind]) return true;
    const held = roleValues(claimAt(sources[kind], this.config.requiredRolePath));
    return this.config.requiredRoles.some((role) => held.includes(role));
  }

  /** Which token kinds the role rules read (so a refresh fetches UserInfo only when one needs it). */
  reads(kind: keyof ClaimSources): boolean {
    const c = this.config;
    return (
      (c.requiredRoles.length > 0 && c.requiredRoleTokenKind === kind) || c.adminRole?.tokenKind === kind || (c.roleSync.enabled && c.roleSync.source === kind)
    );
  }

  assertRequiredRole(sources: ClaimSources): void {
    const required = this.config.requiredRoles;
    if (required.length === 0 || !this.config.requiredRolePath || !this.config.requiredRoleTokenKind) return;
    const kind = this.config.requiredRoleTokenKind;
    if (!sources[kind]) {
      const hint =
        kind === 'access' ? ' (the access token is opaque; set OPENID_AUDIENCE so the provider issues a JWT, or read the role from the id token)' : '';
      throw new OpenIdFailure('rejected', `OPENID_REQUIRED_ROLE_TOKEN_KIND=${kind} but no ${kind} token claims are available${hint}`);
    }
    const held = roleValues(claimAt(sources[kind], this.config.requiredRolePath));
    if (!required.some((role) => held.includes(role))) {
      const wanted = required.length === 1 ? `"${required[0]}" role` : `one of: ${required.map((r) => `"${r}"`).join(', ')}`;
      throw new OpenIdFailure('rejected', `You must have ${wanted} to log in.`);
    }
  }

  /**
   * The role to store, or null to leave it as it is. A token kind that is not available (an
   * opaque access token, a refresh without a new ID token) leaves the role alone instead of
   * demoting an administrator for a claim nobody could read.
   */
  adminRole(sources: ClaimSources, currentRole: string | null): string | null {
    const mapping = this.config.adminRole;
    if (!mapping) return null;
    const source = sources[mapping.tokenKind as keyof ClaimSources] ?? null;
    if (!source) return null;
    const value = claimAt(source, mapping.path);
    const isAdmin = value === true || roleValues(value).includes(mapping.role);
    if (isAdmin) return 'ADMIN';
    return currentRole === 'ADMIN' ? 'USER' : null;
  }
}
