import { Injectable } from '@nestjs/common';
import { OpenIdConfig } from '../config';
import { claimAt, roleValues, type ClaimSources } from './claims';
import { OpenIdFailure } from './openid-errors';

/**
 * OPENID_REQUIRED_ROLE* (a login needs one of the roles) and OPENID_ADMIN_ROLE* (present →
 * ADMIN, absent → an ADMIN is demoted to USER), read from the access token, the ID token or
 * userinfo at a claim path (docs/librechat-differences.md#environment-variables).
 */
@Injectable()
export class RolePolicy {
  constructor(private readonly config: OpenIdConfig) {}

  assertRequiredRole(sources: ClaimSources): void {
    const required = this.config.requiredRoles;
    if (required.length === 0 || !this.config.requiredRolePath || !this.config.requiredRoleTokenKind) return;
    const kind = this.config.requiredRoleTokenKind;
    if (!sources[kind]) {
      const hint = kind === 'access' ? ' (the access token is opaque; set OPENID_AUDIENCE so the provider issues a JWT, or read the role from the id token)' : '';
      throw new OpenIdFailure('rejected', `OPENID_REQUIRED_ROLE_TOKEN_KIND=${kind} but no ${kind} token claims are available${hint}`);
    }
    const held = roleValues(claimAt(sources[kind], this.config.requiredRolePath));
    if (!required.some((role) => held.includes(role))) {
      const wanted = required.length === 1 ? `"${required[0]}" role` : `one of: ${required.map((r) => `"${r}"`).join(', ')}`;
      throw new OpenIdFailure('rejected', `You must have ${wanted} to log in.`);
    }
  }

  /** The role to store, or null to leave it as it is. */
  adminRole(sources: ClaimSources, currentRole: string | null): string | null {
    const mapping = this.config.adminRole;
    if (!mapping) return null;
    const value = claimAt(sources[mapping.tokenKind as keyof ClaimSources] ?? null, mapping.path);
    const isAdmin = value === true || roleValues(value).includes(mapping.role);
    if (isAdmin) return 'ADMIN';
    return currentRole === 'ADMIN' ? 'USER' : null;
  }
}
