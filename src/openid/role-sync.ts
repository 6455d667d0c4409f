import { Injectable } from '@nestjs/common';
import { OpenIdConfig } from '../config';
import { claimAt, type ClaimSources } from './claims';

const ADMIN = 'admin';

/** Why the role sync chose what it chose (logged, and asserted by the unit spec). */
export type RoleSyncReason = 'disabled' | 'admin-untouched' | 'source-unavailable' | 'group-overage' | 'matched' | 'fallback' | 'no-match';

export interface RoleSyncDecision {
  /** The role to store, or null to leave the stored one as it is. */
  role: string | null;
  reason: RoleSyncReason;
}

/**
 * OPENID_ROLE_SYNC_* (LibreChat's generic role mapping, docs/configuration.md#role-sync): the values of
 * OPENID_ROLE_SYNC_CLAIM in the chosen source are compared, without regard to letter case, with
 * OPENID_ROLE_SYNC_ROLE_PRIORITY; the first priority role the user holds wins and is stored as
 * written in the configuration. No match → OPENID_ROLE_SYNC_FALLBACK_ROLE when set (it is
 * authoritative: a role the IdP no longer asserts is taken away), else the stored role stays.
 * ADMIN is never granted (the schema refuses it in the lists, and a claim value "admin" matches
 * nothing) and an ADMIN is never changed here: administrators are the admin mapping's business
 * (OPENID_ADMIN_ROLE*), which runs first (RolePolicy.roleFor).
 *
 * A source that is not available (opaque access token, no UserInfo) leaves the role alone rather
 * than applying the fallback, and so does an Entra group overage (`_claim_names.groups`): the
 * groups are not in the token, and reading their absence as "no groups" would demote everyone.
 */
@Injectable()
export class RoleSync {
  constructor(private readonly config: OpenIdConfig) {}

  get enabled(): boolean {
    return this.config.roleSync.enabled;
  }

  decide(sources: ClaimSources, currentRole: string | null): RoleSyncDecision {
    const sync = this.config.roleSync;
    if (!sync.enabled || !sync.claim) return { role: null, reason: 'disabled' };
    if (currentRole?.toLowerCase() === ADMIN) return { role: null, reason: 'admin-untouched' };
    const source = sources[sync.source];
    if (!source) return { role: null, reason: 'source-unavailable' };
    if (hasGroupOverage(source, sync.claim)) return { role: null, reason: 'group-overage' };
    const held = new Set(values(claimAt(source, sync.claim)).map((v) => v.toLowerCase()));
    held.delete(ADMIN);
    const matched = sync.priority.find((role) => role.toLowerCase() !== ADMIN && held.has(role.toLowerCase()));
    if (matched) return { role: changed(matched, currentRole), reason: 'matched' };
    if (sync.fallbackRole && sync.fallbackRole.toLowerCase() !== ADMIN) return { role: changed(sync.fallbackRole, currentRole), reason: 'fallback' };
    return { role: null, reason: 'no-match' };
  }
}

function changed(role: string, current: string | null): string | null {
  return role === current ? null : role;
}

/** Arrays as they are; strings split on whitespace and commas (as the required-role check reads them). */
function values(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  return list
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Entra moves a too-large `groups` claim out of the token and says so with `_claim_names` (or `hasgroups`). */
export function hasGroupOverage(source: Record<string, unknown>, claim: string): boolean {
  if (claim !== 'groups') return false;
  if (source.hasgroups === true || source.hasgroups === 'true') return true;
  const names = source._claim_names;
  return !!names && typeof names === 'object' && typeof (names as Record<string, unknown>).groups === 'string';
}
