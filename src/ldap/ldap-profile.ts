import type { LdapDirectorySettings } from '../config';
import type { SocialProfile } from '../social';
import type { DirectoryEntry } from './ldap-directory';

/** LibreChat's fallback address for entries without one; never treated as a verified address. */
const SYNTHETIC_DOMAIN = 'ldap.local';

/**
 * LibreChat's LDAP mapping (docs/providers.md): id = LDAP_ID ‖ uid ‖ sAMAccountName ‖ mail; name =
 * LDAP_FULL_NAME attributes joined by a space ‖ cn ‖ name ‖ commonName ‖ displayName; username =
 * LDAP_USERNAME ‖ givenName ‖ mail; email = LDAP_EMAIL ‖ mail ‖ `<username>@ldap.local`; the
 * first value of a multi-valued attribute. The directory is the operator's own, so a real
 * address from it counts as verified; the synthetic fallback does not (it may not link, LD-07).
 */
export function ldapProfile(entry: DirectoryEntry, attributes: LdapDirectorySettings['attributes']): SocialProfile {
  const first = (...names: (string | null)[]): string | null => {
    for (const name of names) {
      const value = name ? entry.attributes[name.toLowerCase()]?.[0]?.trim() : undefined;
      if (value) return value;
    }
    return null;
  };
  const id = first(attributes.id, 'uid', 'sAMAccountName', 'mail') ?? entry.dn;
  const fullName = attributes.fullName
    .map((a) => first(a))
    .filter((v): v is string => !!v)
    .join(' ');
  const name = fullName || first('cn', 'name', 'commonName', 'displayName');
  const username = first(attributes.username, 'givenName', 'mail');
  const realEmail = first(attributes.email, 'mail');
  const email = realEmail ?? `${(username ?? id).toLowerCase().replace(/[^a-z0-9._+-]/g, '_')}@${SYNTHETIC_DOMAIN}`;
  return { id, email, emailVerified: realEmail !== null, name, username: username?.toLowerCase() ?? null, avatar: null };
}
