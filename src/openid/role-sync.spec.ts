import { loadConfig } from '../config/load-config';
import type { OpenIdConfig } from '../config';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ClaimSources } from './claims';
import { RolePolicy } from './role-policy';
import { RoleSync } from './role-sync';

function policy(env: Record<string, string>): RolePolicy {
  const result = loadConfig({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-rolesync-')), ...env });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  const config = result.config.openid as unknown as OpenIdConfig;
  return new RolePolicy(config, new RoleSync(config));
}

const SYNC = { OPENID_ROLE_SYNC_ENABLED: 'true', OPENID_ROLE_SYNC_CLAIM: 'roles', OPENID_ROLE_SYNC_ROLE_PRIORITY: 'EDITOR,VIEWER' };
const id = (claims: Record<string, unknown> | null): ClaimSources => ({ id: claims, access: null, userinfo: null });

describe('OpenID role sync (LibreChat semantics, docs/configuration.md#role-sync)', () => {
  it('OR-01 the first priority role the claim holds wins, matched without letter case, stored as configured', () => {
    const p = policy(SYNC);
    expect(p.roleFor(id({ roles: ['viewer', 'editor'] }), 'USER')).toBe('EDITOR');
    expect(p.roleFor(id({ roles: 'viewer other' }), 'USER')).toBe('VIEWER');
    // Already that role: nothing to write.
    expect(p.roleFor(id({ roles: ['editor'] }), 'EDITOR')).toBeNull();
  });

  it('OR-02 no match: the fallback applies when set (authoritative), else the role stays', () => {
    expect(policy({ ...SYNC, OPENID_ROLE_SYNC_FALLBACK_ROLE: 'USER' }).roleFor(id({ roles: ['other'] }), 'EDITOR')).toBe('USER');
    expect(policy({ ...SYNC, OPENID_ROLE_SYNC_FALLBACK_ROLE: 'USER' }).roleFor(id({}), 'EDITOR')).toBe('USER');
    expect(policy(SYNC).roleFor(id({ roles: ['other'] }), 'EDITOR')).toBeNull();
  });

  it('OR-03 sync never grants ADMIN and never touches an ADMIN; the admin mapping runs first', () => {
    const p = policy({ ...SYNC, OPENID_ROLE_SYNC_FALLBACK_ROLE: 'USER' });
    expect(p.roleFor(id({ roles: ['admin', 'ADMIN'] }), 'USER')).toBeNull();
    expect(p.roleFor(id({ roles: ['viewer'] }), 'ADMIN')).toBeNull();
    const withAdmin = policy({ ...SYNC, OPENID_ADMIN_ROLE: 'boss', OPENID_ADMIN_ROLE_PARAMETER_PATH: 'roles', OPENID_ADMIN_ROLE_TOKEN_KIND: 'id' });
    expect(withAdmin.roleFor(id({ roles: ['boss', 'editor'] }), 'VIEWER')).toBe('ADMIN');
    // Admin role withdrawn: demoted by the mapping, then synced from the remaining roles.
    expect(withAdmin.roleFor(id({ roles: ['viewer'] }), 'ADMIN')).toBe('VIEWER');
    expect(withAdmin.roleFor(id({ roles: ['other'] }), 'ADMIN')).toBe('USER');
  });

  it('OR-04 a source that is not available, or an Entra group overage, leaves the role alone', () => {
    const p = policy({ ...SYNC, OPENID_ROLE_SYNC_SOURCE: 'access', OPENID_ROLE_SYNC_FALLBACK_ROLE: 'USER' });
    expect(p.roleFor({ id: { roles: ['editor'] }, access: null, userinfo: null }, 'VIEWER')).toBeNull();
    expect(p.roleFor({ id: null, access: { roles: ['editor'] }, userinfo: null }, 'VIEWER')).toBe('EDITOR');
    const groups = policy({ ...SYNC, OPENID_ROLE_SYNC_CLAIM: 'groups', OPENID_ROLE_SYNC_FALLBACK_ROLE: 'USER' });
    expect(groups.roleFor(id({ _claim_names: { groups: 'src1' }, _claim_sources: { src1: { endpoint: 'https://graph' } } }), 'EDITOR')).toBeNull();
    expect(groups.roleFor(id({ hasgroups: true }), 'EDITOR')).toBeNull();
    // Admin mapping on an unavailable source does not demote either.
    const admin = policy({ OPENID_ADMIN_ROLE: 'boss', OPENID_ADMIN_ROLE_PARAMETER_PATH: 'roles', OPENID_ADMIN_ROLE_TOKEN_KIND: 'access' });
    expect(admin.roleFor(id({ roles: [] }), 'ADMIN')).toBeNull();
  });

  it('reads the claim at a path from the configured source (userinfo)', () => {
    const p = policy({ ...SYNC, OPENID_ROLE_SYNC_SOURCE: 'userinfo', OPENID_ROLE_SYNC_CLAIM: 'realm_access.roles' });
    expect(p.roleFor({ id: { roles: ['editor'] }, access: null, userinfo: { realm_access: { roles: ['Viewer'] } } }, 'USER')).toBe('VIEWER');
  });

  it('required role after a refresh: lost → false; a source the refresh did not return proves nothing', () => {
    const p = policy({ OPENID_REQUIRED_ROLE: 'chat', OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'roles', OPENID_REQUIRED_ROLE_TOKEN_KIND: 'id' });
    expect(p.stillHoldsRequiredRole(id({ roles: ['chat'] }))).toBe(true);
    expect(p.stillHoldsRequiredRole(id({ roles: ['other'] }))).toBe(false);
    expect(p.stillHoldsRequiredRole(id(null))).toBe(true);
  });
});
