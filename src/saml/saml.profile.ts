import type { Profile } from '@node-saml/node-saml';
import type { SamlConfig } from '../config';
import type { SocialProfile } from '../social';

type Claims = SamlConfig['claims'];

/**
 * A verified SAML assertion → the shared profile shape, with LibreChat's claim rules (docs/providers.md):
 * each SAML_*_CLAIM names an attribute, falling back to the default attribute name (email,
 * username, given_name, family_name, picture); the name is SAML_NAME_CLAIM, else given + family
 * name, else username or email; the username is username, else given name, else email (a list
 * joined with `_`). The account key is the NameID.
 *
 * The email counts as verified, as in LibreChat: the IdP is the operator's own, pinned by its
 * certificate, and asserts the address for its directory. That is what lets an existing account
 * with the same verified address be linked (docs/providers.md).
 */
export function samlProfile(profile: Profile, claims: Claims): SocialProfile {
  const claim = (configured: string | null, fallback: string): string | null => text((configured ? profile[configured] : undefined) ?? profile[fallback]);
  const email = claim(claims.email, 'email');
  const username = claim(claims.username, 'username');
  const givenName = claim(claims.givenName, 'given_name');
  const familyName = claim(claims.familyName, 'family_name');
  const configuredName = claims.name ? text(profile[claims.name]) : null;
  const name = configuredName ?? ([givenName, familyName].filter(Boolean).join(' ') || username || email);
  const picture = claim(claims.picture, 'picture');
  return {
    id: profile.nameID,
    email,
    emailVerified: email !== null,
    name,
    username: joined(claims.username ? (profile[claims.username] ?? profile.username) : profile.username) ?? givenName ?? email,
    // Only a web address is kept; a data: URL or a path would not be an avatar the client can load.
    avatar: picture && /^https:\/\//i.test(picture) ? picture : null,
  };
}

/** A single-valued attribute as text; multi-valued ones give their first value. */
function text(value: unknown): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function joined(value: unknown): string | null {
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join('_') || null;
  return text(value);
}
