import type { UserPatch } from '../storage';
import { ClaimNames, claimAt, displayNameOf, usernameOf } from './claims';

/**
 * The profile fields an OpenID sign-in writes onto an existing account: only those whose own claim
 * the provider released. An absent claim leaves the stored value alone (MB-21): a provider that
 * omits `name` or `oid` on one login (another scope, another client, a UserInfo outage) must not
 * erase or overwrite with a fallback (the email address) what the account holds.
 */
export function claimedProfile(claims: Record<string, unknown>, names: ClaimNames): UserPatch {
  const profile: UserPatch = {};
  const usernameClaims = names.username ? [claimAt(claims, names.username)] : [claims.preferred_username, claims.username];
  if (usernameClaims.some(present)) profile.username = usernameOf(claims, names);
  const nameClaims = [names.name ? claimAt(claims, names.name) : undefined, claims.given_name, claims.family_name, claims.name];
  if (nameClaims.some(present)) profile.name = displayNameOf(claims, names);
  if (present(claims.oid)) profile.idOnTheSource = claims.oid;
  return profile;
}

/** A new account's profile: every fallback applies (username and name from the email when absent). */
export function newAccountProfile(claims: Record<string, unknown>, names: ClaimNames): UserPatch {
  return {
    username: usernameOf(claims, names),
    name: displayNameOf(claims, names),
    idOnTheSource: present(claims.oid) ? claims.oid : null,
  };
}

function present(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
